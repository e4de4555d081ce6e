package main

import (
	"github.com/spf13/cobra"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
)

func newStatePullCmd(opts *stateOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "pull FILE",
		Short: "Download the S3 state to a local state file",
		Long: `Download the state the configuration keeps in S3 to FILE (replaced
atomically, mode 0600), e.g. to inspect it with --state FILE or to move it
to another backend. It takes no lock.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := remoteState(cmd.Context(), opts)
			if err != nil {
				return err
			}
			if err := r.Pull(cmd.Context(), args[0]); err != nil {
				return err
			}
			view.State{W: opts.streams.Out}.Pulled(r.Location(), args[0])
			return nil
		},
	}
}

func newStatePushCmd(opts *stateOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "push FILE",
		Short: "Upload a local state file as the S3 state",
		Long: `Replace the state the configuration keeps in S3 with the local state file
FILE (e.g. the state of a local backend, or one pulled and rebuilt). It
takes the lock, so it fails while a run holds the state, and the upload is
conditional: a state changed by someone else meanwhile is not overwritten.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := remoteState(cmd.Context(), opts)
			if err != nil {
				return err
			}
			if err := r.Push(cmd.Context(), args[0], "lakesync state push "+args[0]); err != nil {
				return err
			}
			view.State{W: opts.streams.Out}.Pushed(args[0], r.Location())
			return nil
		},
	}
}

func newStateUnlockCmd(opts *stateOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "unlock ID",
		Short: "Break the lock of an S3 state whose holder is gone",
		Long: `Delete the lock object of the S3 state, only if its id is ID and its lease
has run out: a run renews its lease while it runs, so only a killed run
leaves a lock whose lease runs out. A live lock is refused. The id and the
holder are in the error of the run that found the state locked.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := remoteState(cmd.Context(), opts)
			if err != nil {
				return err
			}
			l, err := r.Unlock(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			view.State{W: opts.streams.Out}.Unlocked(r.Location(), l)
			return nil
		},
	}
}
