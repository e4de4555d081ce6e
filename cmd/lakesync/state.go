package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

type stateOptions struct {
	*globalOptions
	StatePath string
	Job       string
	JSON      bool
}

func newStateCmd(g *globalOptions) *cobra.Command {
	opts := &stateOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "state",
		Short: "Inspect and edit the state: what lakesync copied, per job and source key",
		Long: `The state records, per job and source key, the source ETag, size and version
it copied, the destination key and the destination ETag it got. sync
decides with it: an object is copied again when its source ETag or size
differs from the record, or the destination no longer carries the recorded
ETag. Removing a record makes the next sync copy the object again (or
adopt it, when the destination has the same size and checksum).`,
	}
	cmd.PersistentFlags().StringVar(&opts.StatePath, "state", "", "the state file (default: the configuration's state block)")
	cmd.AddCommand(newStateListCmd(opts), newStateShowCmd(opts), newStateRmCmd(opts), newStateRebuildCmd(opts),
		newStatePullCmd(opts), newStatePushCmd(opts), newStateUnlockCmd(opts))
	return cmd
}

func newStateListCmd(opts *stateOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list [PREFIX]",
		Short: "List the records, optionally of one job and below a source key prefix",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			prefix := ""
			if len(args) == 1 {
				prefix = args[0]
			}
			return runStateList(cmd.Context(), opts, prefix)
		},
	}
	cmd.Flags().StringVar(&opts.Job, "job", "", "only this job")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "one JSON object per line")
	return cmd
}

// openState opens the state --state names, else the configuration's
// (local or in S3, see openStateBackend), and returns it with its close.
func openState(ctx context.Context, opts *stateOptions, mode state.Mode) (*state.Store, func(context.Context) error, error) {
	var sess *state.Session
	var err error
	if opts.StatePath != "" {
		sess, err = state.File{Path: opts.StatePath}.Open(ctx, mode)
	} else {
		cfg, lerr := opts.loadConfig()
		if lerr != nil {
			return nil, nil, lerr
		}
		sess, err = openStateBackend(ctx, state.NewLocation(cfg, plan.Shard{}), exec.NewAccounts(cfg), mode)
	}
	if err != nil {
		return nil, nil, err
	}
	return sess.Store(), sess.Close, nil
}

func runStateList(ctx context.Context, opts *stateOptions, prefix string) error {
	st, closeState, err := openState(ctx, opts, state.ReadOnly())
	if err != nil {
		return err
	}
	defer closeState(ctx)
	jobs := []string{opts.Job}
	if opts.Job == "" {
		if jobs, err = st.Jobs(); err != nil {
			return err
		}
	}
	v := view.NewStateList(view.FormatOf(opts.JSON, false), opts.streams.Out)
	for _, job := range jobs {
		for rec, err := range st.Records(ctx, job, prefix) {
			if err != nil {
				return err
			}
			v.Record(job, rec)
		}
	}
	return v.Done()
}

func newStateShowCmd(opts *stateOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "show KEY",
		Short: "Show every record of one source key",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, closeState, err := openState(cmd.Context(), opts, state.ReadOnly())
			if err != nil {
				return err
			}
			defer closeState(cmd.Context())
			recs, err := st.Find(args[0])
			if err != nil {
				return err
			}
			if len(recs) == 0 {
				return &exitCodeError{code: exitError, msg: fmt.Sprintf("no record of source key %q in %s: lakesync state list PREFIX lists the recorded keys", args[0], st.Path())}
			}
			return view.WriteJSON(opts.streams.Out, recs)
		},
	}
}

func newStateRmCmd(opts *stateOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rm KEY... | --job J",
		Short: "Remove records, so the next sync copies (or adopts) those objects again",
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			if (len(args) == 0) == (opts.Job == "") {
				return fmt.Errorf("give source keys, or --job J to remove all of a job's records")
			}
			st, closeState, err := openState(cmd.Context(), opts, state.ReadWrite("lakesync state rm -c "+opts.ConfigPath))
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, closeState(cmd.Context())) }()
			if len(args) == 0 {
				n, err := st.DeleteJob(opts.Job)
				if err != nil {
					return err
				}
				view.State{W: opts.streams.Out}.Removed(n, opts.Job)
				return nil
			}
			removed := 0
			for _, key := range args {
				recs, err := st.Find(key)
				if err != nil {
					return err
				}
				for _, r := range recs {
					if err := st.Delete(r.Job, key); err != nil {
						return err
					}
					removed++
				}
			}
			view.State{W: opts.streams.Out}.Removed(removed, "")
			return nil
		},
	}
	cmd.Flags().StringVar(&opts.Job, "job", "", "remove every record of this job")
	return cmd
}
