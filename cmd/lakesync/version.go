package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func newVersionCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the lakesync version, the commit it was built from, and the Go toolchain",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			info, _ := debug.ReadBuildInfo()
			fmt.Fprintln(g.streams.Out, versionLine(info, runtime.GOOS, runtime.GOARCH))
			return nil
		},
	}
}

// versionLine is what `lakesync version` prints, read from the build
// info the Go toolchain embeds: the module version (since Go 1.24 a build
// in a git checkout takes it from the tag, v1.2.3, or makes a
// pseudo-version from the commit; `go install ...@v1.2.3` sets it too), the
// commit and whether the tree was modified, and the toolchain. A binary
// without build info says "dev".
//
//	lakesync v0.3.0 (commit 4e8130b5e0d1, go1.26.8, linux/amd64)
func versionLine(info *debug.BuildInfo, goos, goarch string) string {
	version, commit, modified, goVersion := "dev", "", false, runtime.Version()
	if info != nil {
		if v := info.Main.Version; v != "" && v != "(devel)" {
			version = v
		}
		if info.GoVersion != "" {
			goVersion = info.GoVersion
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	detail := ""
	if commit != "" {
		detail = "commit " + commit[:min(12, len(commit))]
		if modified {
			detail += ", modified"
		}
		detail += ", "
	}
	return fmt.Sprintf("lakesync %s (%s%s, %s/%s)", version, detail, goVersion, goos, goarch)
}
