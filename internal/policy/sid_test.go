package policy

import "testing"

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
