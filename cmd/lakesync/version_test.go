package main

import (
	"runtime/debug"
	"testing"
)

func TestVersionLine(t *testing.T) {
	rev := "4e8130b5e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5"
	for _, tc := range []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"tagged release", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.3.0"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: "false"}}},
			"lakesync v0.3.0 (commit 4e8130b5e0d1, go1.26.8, linux/arm64)"},
		{"modified tree", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.3.1-0.20261201134554-4e8130b5e0d1+dirty"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: "true"}}},
			"lakesync v0.3.1-0.20261201134554-4e8130b5e0d1+dirty (commit 4e8130b5e0d1, modified, go1.26.8, linux/arm64)"},
		{"go install without vcs", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.3.0"}},
			"lakesync v0.3.0 (go1.26.8, linux/arm64)"},
		{"devel build", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			"lakesync dev (go1.26.8, linux/arm64)"},
	} {
		if got := versionLine(tc.info, "linux", "arm64"); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}
