package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/plan"
)

type exportOptions struct {
	*globalOptions
	Out    string
	Job    string
	Format string
}

func newExportCmd(g *globalOptions, runF func(context.Context, *exportOptions) error) *cobra.Command {
	export := &cobra.Command{Use: "export", Short: "Write the statements lakesync owns for other tools"}
	opts := &exportOptions{globalOptions: g}
	tf := &cobra.Command{
		Use:   "terraform",
		Short: "Write the statements lakesync owns in each document as Terraform (or IAM JSON)",
		Long: `For every document a job needs (bucket policies, key policies, the copier
role's policy; managed or external), write the statements lakesync owns in
it: the same statements plan and apply write into a managed document. Add
them to the documents Terraform owns (policy = "external") through
source_policy_documents, and lakesync plan then finds every grant in place.

With --format hcl (the default), each document is one
data "aws_iam_policy_document" block named after it (lakesync_bucket_lake);
with --format json, one IAM policy document. With --out DIR, each document
is a file of its own in DIR (NAME.tf or NAME.json); without, all go to
standard output. A key named by alias is resolved to its ARN with the key
account's credentials; nothing else is read.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runExportTerraform(cmd.Context(), opts)
		},
	}
	f := tf.Flags()
	f.StringVar(&opts.Out, "out", "", "write one file per document into DIR instead of standard output")
	f.StringVar(&opts.Job, "job", "", "only the statements of sync job J")
	f.StringVar(&opts.Format, "format", view.ExportHCL, "hcl (data \"aws_iam_policy_document\" blocks) or json (IAM policy documents)")
	export.AddCommand(tf)
	return export
}

func runExportTerraform(ctx context.Context, opts *exportOptions) error {
	v, err := view.NewExport(opts.Format, opts.streams.Out)
	if err != nil {
		return err
	}
	cfg, err := opts.loadConfig()
	if err != nil {
		return err
	}
	if opts.Job != "" && cfg.Job(opts.Job) == nil {
		return fmt.Errorf("--job %q: %s declares no such sync job", opts.Job, opts.ConfigPath)
	}
	keyARN, err := resolveJobKeys(ctx, cfg, opts.Job)
	if err != nil {
		return err
	}
	docs, err := plan.Statements(cfg, keyARN, opts.Job)
	if err != nil {
		return err
	}
	if opts.Out == "" {
		return v.Write(docs)
	}
	files, err := v.Files(docs)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	for _, f := range files {
		path := filepath.Join(opts.Out, f.Name)
		if err := replaceFile(path, f.Text); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		fmt.Fprintln(opts.streams.Err, "wrote", path)
	}
	return nil
}

// resolveJobKeys is the ARN of every key the jobs (job only, when set)
// use, by key block name: as written, or resolved from its alias.
func resolveJobKeys(ctx context.Context, cfg *config.Config, job string) (map[string]string, error) {
	acc := exec.NewAccounts(cfg)
	out := map[string]string{}
	for _, j := range cfg.Jobs {
		if job != "" && j.Name != job {
			continue
		}
		for _, b := range []*config.Bucket{j.Source, j.Destination} {
			if b.Key == nil || out[b.Key.Name] != "" {
				continue
			}
			arn, err := exec.ResolveKeyARN(ctx, acc, b.Key)
			if err != nil {
				return nil, fmt.Errorf("key.%s: %w", b.Key.Name, err)
			}
			out[b.Key.Name] = arn
		}
	}
	return out, nil
}
