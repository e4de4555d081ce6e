package policy

import (
	"strings"
	"testing"
)

func TestJobID(t *testing.T) {
	tests := map[string]string{
		"prod_to_lake": "ProdToLake",
		"prod-to-lake": "ProdToLake",
		"prodToLake":   "ProdToLake",
		"a.b c":        "ABC",
		"2nd_job":      "2ndJob",
		"läke":         "LKe",
		"événements":   "VNements", // same answer as internal/config.JobID
		"__":           "",
		"":             "",
	}
	for in, want := range tests {
		if got := JobID(in); got != want {
			t.Errorf("JobID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOwnedBy(t *testing.T) {
	tests := []struct {
		sid, job string
		want     bool
	}{
		{"LakesyncProdToLakeDestList", "ProdToLake", true},
		{"LakesyncProdToLakeDestList", "Prod", false}, // "ToLakeDestList" is no purpose
		{"LakesyncProdDestList", "Prod", true},
		{"LakesyncProdToLakeDestListX", "ProdToLake", false},
		{"LakesyncProdToLake", "ProdToLake", false},
		{"ProdToLakeDestList", "ProdToLake", false},
		{"LakesyncDestList", "", false},
	}
	for _, tc := range tests {
		if got := OwnedBy(tc.sid, tc.job); got != tc.want {
			t.Errorf("OwnedBy(%q, %q) = %v, want %v", tc.sid, tc.job, got, tc.want)
		}
	}
	if !Owned("LakesyncAnything") || Owned("lakesyncLower") || Owned("") {
		t.Error("Owned is not a case-sensitive prefix test")
	}
}

// TestJobIDSidCharacters: AWS allows ASCII letters (A-Z, a-z) and digits
// (0-9) in a Sid. JobID keeps exactly those, drops every other ASCII
// character as a separator, and upper-cases a lower-case letter that
// starts a part.
func TestJobIDSidCharacters(t *testing.T) {
	const sidChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	for r := rune(0); r < 128; r++ {
		c := string(r)
		inner, start := "Q", ""
		if strings.ContainsRune(sidChars, r) {
			inner, start = "Q"+c, strings.ToUpper(c)
		}
		if got := JobID("Q" + c); got != inner {
			t.Errorf("JobID(%q) = %q, want %q", "Q"+c, got, inner)
		}
		if got := JobID("-" + c); got != start {
			t.Errorf("JobID(%q) = %q, want %q", "-"+c, got, start)
		}
	}
}

// TestSidFor: a Sid is the prefix, the JobID and the purpose, and it is
// owned by exactly that job.
func TestSidFor(t *testing.T) {
	if got := SidFor(JobID("prod_to_lake"), DestWrite); got != "LakesyncProdToLakeDestWrite" {
		t.Errorf("SidFor = %q", got)
	}
	for _, p := range purposes {
		sid := SidFor("ProdToLake", p)
		if !OwnedBy(sid, "ProdToLake") || OwnedBy(sid, "Prod") || OwnedBy(sid, "ProdToLakeX") {
			t.Errorf("%s: OwnedBy is wrong", sid)
		}
	}
}

func TestSplitSid(t *testing.T) {
	tests := []struct {
		sid, job string
		purpose  Purpose
		ok       bool
	}{
		{"LakesyncProdToLakeDestList", "ProdToLake", DestList, true},
		{"LakesyncProdSourceKey", "Prod", SourceKey, true},
		{"LakesyncAInventoryRead", "A", InventoryRead, true},
		{"LakesyncProdToLakeDestListX", "", "", false},
		{"LakesyncDestList", "", "", false},
		{"ProdToLakeDestList", "", "", false},
		{"Analytics", "", "", false},
	}
	for _, tc := range tests {
		job, p, ok := SplitSid(tc.sid)
		if job != tc.job || p != tc.purpose || ok != tc.ok {
			t.Errorf("SplitSid(%q) = %q, %q, %v, want %q, %q, %v", tc.sid, job, p, ok, tc.job, tc.purpose, tc.ok)
		}
	}
}
