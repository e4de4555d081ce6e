package migrate

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/config"
)

// TestDerive: the copy steps are sync jobs with delete, failing on
// archived objects; out streams without a role and runs as the role with
// one; back stays in the destination account, as the role only when the
// role is there.
func TestDerive(t *testing.T) {
	prod := &config.Account{Name: "prod", ID: "111111111111", Region: "eu-west-1"}
	lake := &config.Account{Name: "lake", ID: "222222222222", Region: "eu-west-1"}
	src := &config.Bucket{Name: "data", Account: prod, BucketName: "konfir-data"}
	key := &config.Key{Name: "lake", Account: lake, Alias: "alias/lake"}
	type job struct{ Name, Source, Destination, Transfer, Role string }
	summary := func(j *config.Job) job {
		if j.Mode != config.ModeSync || !j.Delete || j.Archived != config.ArchivedFail {
			t.Errorf("job %s: mode %s, delete %v, archived %s", j.Name, j.Mode, j.Delete, j.Archived)
		}
		s := job{j.Name, j.Source.Account.Name + ":" + j.Source.BucketName, j.Destination.Account.Name + ":" + j.Destination.BucketName, string(j.Transfer), ""}
		if j.Role != nil {
			s.Role = j.Role.Name
		}
		return s
	}
	tests := []struct {
		name      string
		role      *config.Role
		out, back job
	}{
		{"no role", nil,
			job{"migration_m_out", "prod:konfir-data", "lake:konfir-tmp", "stream", ""},
			job{"migration_m_back", "lake:konfir-tmp", "lake:konfir-data", "server-side", ""}},
		{"role in the source account", &config.Role{Name: "push", Account: prod},
			job{"migration_m_out", "prod:konfir-data", "lake:konfir-tmp", "server-side", "push"},
			job{"migration_m_back", "lake:konfir-tmp", "lake:konfir-data", "server-side", ""}},
		{"role in the destination account", &config.Role{Name: "pull", Account: lake},
			job{"migration_m_out", "prod:konfir-data", "lake:konfir-tmp", "server-side", "pull"},
			job{"migration_m_back", "lake:konfir-tmp", "lake:konfir-data", "server-side", "pull"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := derive(&config.Migration{Name: "m", Bucket: src, To: lake, Key: key, TemporaryBucket: "konfir-tmp", Role: tt.role, Region: "eu-west-1"})
			if diff := cmp.Diff([]job{tt.out, tt.back}, []job{summary(d.Out), summary(d.Back)}); diff != "" {
				t.Errorf("jobs (-want +got):\n%s", diff)
			}
			if !d.Temporary.Create || !d.Moved.Create || d.Moved.Key != key || d.Moved.Region != "eu-west-1" {
				t.Errorf("derived buckets: %+v %+v", d.Temporary, d.Moved)
			}
		})
	}
}

// TestPercent: each step has its fixed share; the whole is 100.
func TestPercent(t *testing.T) {
	tests := []struct {
		step int
		f    float64
		want int
	}{
		{1, 0, 0}, {1, 0.5, 20}, {1, 1, 40}, {2, 0, 40}, {3, 0.5, 45}, {4, 1, 55}, {5, 0.025, 56}, {6, 1, 100}, {6, 2, 100},
	}
	for _, tt := range tests {
		if got := percent(tt.step, tt.f); got != tt.want {
			t.Errorf("percent(%d, %v) = %d, want %d", tt.step, tt.f, got, tt.want)
		}
	}
}

// TestDeriveConfigAfterDeletion: step 1's configuration keeps the
// source's bucket block and the jobs naming it; step 5's leaves the block
// out and points those jobs at the moved bucket, in the destination
// account; jobs not naming it are kept as they are.
func TestDeriveConfigAfterDeletion(t *testing.T) {
	prod := &config.Account{Name: "prod", ID: "111111111111", Region: "eu-west-1"}
	lake := &config.Account{Name: "lake", ID: "222222222222", Region: "eu-west-1"}
	src := &config.Bucket{Name: "data", Account: prod, BucketName: "konfir-data"}
	raw := &config.Bucket{Name: "raw", Account: lake, BucketName: "konfir-raw"}
	other := &config.Bucket{Name: "other", Account: prod, BucketName: "konfir-other"}
	feed := &config.Job{Name: "feed", Source: src, Destination: raw}
	into := &config.Job{Name: "into", Source: other, Destination: src}
	keep := &config.Job{Name: "keep", Source: other, Destination: raw}
	base := &config.Config{Buckets: []*config.Bucket{src, raw, other}, Jobs: []*config.Job{feed, into, keep}}
	d := derive(&config.Migration{Name: "m", Bucket: src, To: lake, Key: &config.Key{Name: "lake", Account: lake}, TemporaryBucket: "konfir-tmp"})
	type job struct{ Name, Source, Destination string }
	shape := func(cfg *config.Config) ([]string, []job) {
		var buckets []string
		for _, b := range cfg.Buckets {
			buckets = append(buckets, b.Account.Name+":"+b.BucketName)
		}
		var jobs []job
		for _, j := range cfg.Jobs {
			jobs = append(jobs, job{j.Name, j.Source.Account.Name + ":" + j.Source.BucketName, j.Destination.Account.Name + ":" + j.Destination.BucketName})
		}
		return buckets, jobs
	}
	tests := []struct {
		name    string
		cfg     *config.Config
		buckets []string
		jobs    []job
	}{
		{"step 1", d.config(base, d.Out, nil, d.Temporary),
			[]string{"prod:konfir-data", "lake:konfir-raw", "prod:konfir-other", "lake:konfir-tmp"},
			[]job{{"feed", "prod:konfir-data", "lake:konfir-raw"}, {"into", "prod:konfir-other", "prod:konfir-data"}, {"keep", "prod:konfir-other", "lake:konfir-raw"},
				{"migration_m_out", "prod:konfir-data", "lake:konfir-tmp"}}},
		{"step 5", d.config(base, d.Back, src, d.Temporary, d.Moved),
			[]string{"lake:konfir-raw", "prod:konfir-other", "lake:konfir-tmp", "lake:konfir-data"},
			[]job{{"feed", "lake:konfir-data", "lake:konfir-raw"}, {"into", "prod:konfir-other", "lake:konfir-data"}, {"keep", "prod:konfir-other", "lake:konfir-raw"},
				{"migration_m_back", "lake:konfir-tmp", "lake:konfir-data"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buckets, jobs := shape(tt.cfg)
			if diff := cmp.Diff(tt.buckets, buckets); diff != "" {
				t.Errorf("buckets (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.jobs, jobs); diff != "" {
				t.Errorf("jobs (-want +got):\n%s", diff)
			}
		})
	}
	if base.Jobs[0].Source != src || len(base.Buckets) != 3 {
		t.Error("config changed the base configuration")
	}
}
