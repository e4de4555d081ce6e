package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/ui"
	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

type uiOptions struct {
	*globalOptions
	Listen      string
	AllowRemote bool
}

func newUICmd(g *globalOptions, runF func(context.Context, *uiOptions) error) *cobra.Command {
	opts := &uiOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "ui",
		Short: "Serve a local web UI: the plan, runs started and followed live, their reports, the state",
		Long: `Serve a web UI for the configuration on a loopback address. It prints a URL
with a random token; every request must carry it. Its pages show the plan
(with the access picture and the statement diffs), start plan, apply (of
exactly the plan shown, after you type "yes"; all jobs or one) and migrate, follow a run live, list past runs
with their reports and browse the state. Each action runs the same command
line as the CLI, in-process, with --json.

The UI holds the state (and its lock) while it runs: a second UI or an
apply on the same state is refused until it stops. Runs are kept in a runs
directory beside the state (.lakesync/runs/ID.jsonl and the others).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runUI(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Listen, "listen", "127.0.0.1:8642", "the address to serve on, HOST:PORT (loopback unless --allow-remote)")
	cmd.Flags().BoolVar(&opts.AllowRemote, "allow-remote", false, "allow a --listen address that is not loopback (every request still needs the token)")
	return cmd
}

func runUI(ctx context.Context, opts *uiOptions) (err error) {
	if err := ui.CheckListen(opts.Listen, opts.AllowRemote); err != nil {
		return err
	}
	cfg, err := opts.loadConfig()
	if err != nil {
		return err
	}
	loc := state.NewLocation(cfg, plan.Shard{})
	// The state is held, locked, for the UI's lifetime: a second UI or an
	// apply on it is refused, and the UI's runs use this session.
	sess, err := openStateBackend(ctx, loc, exec.NewAccounts(cfg), state.ReadWrite("lakesync ui -c "+opts.ConfigPath))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, sess.Close(ctx)) }()
	ln, err := net.Listen("tcp", opts.Listen)
	if err != nil {
		return fmt.Errorf("lakesync ui: %w", err)
	}
	token, err := ui.NewToken()
	if err != nil {
		return err
	}
	held := sess.Context()
	srv, err := ui.New(held, ui.Options{
		Token:      token,
		Listen:     ln.Addr().String(),
		Command:    opts.command(loc, sess),
		Flags:      opts.runFlags(),
		Config:     opts.ConfigPath,
		Jobs:       jobNames(cfg),
		Migrations: migrations(cfg),
		RunsDir:    runsDir(loc, opts.ConfigPath),
		Secrets:    secrets(cfg),
	})
	if err != nil {
		ln.Close()
		return err
	}
	url := "http://" + ln.Addr().String() + "/?token=" + token
	fmt.Fprintf(opts.streams.Out, "lakesync ui: open %s\n", url)
	return srv.Serve(held, ln)
}

// command runs a command line through the command tree, as main does,
// using the state the UI holds.
func (opts *uiOptions) command(loc state.Location, sess *state.Session) ui.Command {
	return func(ctx context.Context, args []string, out, errw io.Writer) int {
		return run(withHeldState(ctx, loc, sess), args, &streams{In: strings.NewReader(""), Out: out, Err: errw})
	}
}

// runFlags are the global flags every run of the UI repeats.
func (opts *uiOptions) runFlags() []string {
	flags := []string{"--config", opts.ConfigPath, "--no-color"}
	for _, v := range opts.Vars {
		flags = append(flags, "--var", v)
	}
	return flags
}

// runsDir is where the UI keeps its runs: beside a local state, else
// beside the configuration.
func runsDir(loc state.Location, configPath string) string {
	if !loc.Remote() {
		return filepath.Join(filepath.Dir(loc.Path), "runs")
	}
	return filepath.Join(filepath.Dir(configPath), ".lakesync", "runs")
}

func migrations(cfg *config.Config) []ui.Migration {
	var out []ui.Migration
	for _, m := range cfg.Migrations {
		out = append(out, ui.Migration{Name: m.Name, Bucket: m.Bucket.BucketName})
	}
	return out
}

// secretEnv names the environment variables whose values are secrets.
var secretEnv = regexp.MustCompile(`(?i)secret|token|password|passwd|credential|session|access_key`)

// secrets are the values no page of the UI may show: credentials in the
// environment and the accounts' external ids.
func secrets(cfg *config.Config) []string {
	var out []string
	for _, kv := range os.Environ() {
		name, value, _ := strings.Cut(kv, "=")
		if secretEnv.MatchString(name) && value != "" {
			out = append(out, value)
		}
	}
	for _, a := range cfg.Accounts {
		if a.ExternalID != "" {
			out = append(out, a.ExternalID)
		}
	}
	return out
}
