package plan

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/policy"
)

func TestDecideArchived(t *testing.T) {
	obj := func(class string) *SourceObject {
		return &SourceObject{Key: "s/a", Size: 10, ETag: `"e1"`, StorageClass: class, Checksum: "CRC64NVME:AAAA"}
	}
	rec := &StateRecord{SourceKey: "s/a", SourceETag: `"e1"`, Size: 10, DestKey: "d/a", DestETag: `"d1"`}
	dst := &DestinationObject{Key: "d/a", Size: 10, ETag: `"d1"`, Checksum: "CRC64NVME:AAAA"}
	sync := Rules{Mode: config.ModeSync}
	cp := Rules{Mode: config.ModeCp}
	tests := []struct {
		name          string
		rules         Rules
		src           *SourceObject
		rec           *StateRecord
		dst           *DestinationObject
		want, restore ObjectAction
	}{
		{"GLACIER, new", sync, obj("GLACIER"), nil, nil, ObjectArchived, ObjectNew},
		{"DEEP_ARCHIVE, missing at destination", sync, obj("DEEP_ARCHIVE"), rec, nil, ObjectArchived, ObjectMissing},
		{"GLACIER, cp", cp, obj("GLACIER"), rec, dst, ObjectArchived, ObjectReplace},
		{"GLACIER, unchanged: nothing to read", sync, obj("GLACIER"), rec, dst, ObjectUnchanged, ObjectUnchanged},
		{"GLACIER, adopted: HEADs read no bytes", sync, obj("GLACIER"), nil, dst, ObjectAdopt, ObjectAdopt},
		{"GLACIER_IR is read directly", sync, obj("GLACIER_IR"), nil, nil, ObjectNew, ObjectNew},
		{"INTELLIGENT_TIERING: only a HEAD tells", sync, obj("INTELLIGENT_TIERING"), nil, nil, ObjectNew, ObjectNew},
		{"STANDARD", sync, obj("STANDARD"), nil, nil, ObjectNew, ObjectNew},
		{"no class listed", sync, obj(""), nil, nil, ObjectNew, ObjectNew},
	}
	for _, tt := range tests {
		got, reason := tt.rules.Decide(tt.src, tt.rec, tt.dst)
		if got != tt.want {
			t.Errorf("%s: Decide = %s (%s), want %s", tt.name, got, reason, tt.want)
		}
		if got == ObjectArchived && !strings.Contains(reason, tt.src.StorageClass) {
			t.Errorf("%s: reason %q does not name the storage class", tt.name, reason)
		}
		if got, _ := tt.rules.DecideRestored(tt.src, tt.rec, tt.dst); got != tt.restore {
			t.Errorf("%s: DecideRestored = %s, want %s", tt.name, got, tt.restore)
		}
	}
}

// observe counts the items of one job as exec does for a plan.
func observe(job *config.Job, prices *Prices, items ...Item) *JobData {
	o := NewJobObservation(job, 10)
	for _, it := range items {
		o.Add(it)
	}
	return o.JobData(job, prices)
}

func archivedJob(archived config.Archived, tier string) *config.Job {
	return &config.Job{Name: "j", Mode: config.ModeSync, Source: &config.Bucket{}, Destination: &config.Bucket{}, MultipartThreshold: config.DefaultMultipartThreshold,
		PartSize: config.DefaultPartSize, Archived: archived, RestoreTier: tier, RestoreDays: 3}
}

// item is a new object of a class, decided as Merge decides.
func item(key, class string, size int64, restore *RestoreRequest) Item {
	src := &SourceObject{Key: key, Size: size, ETag: `"` + key + `"`, StorageClass: class}
	a, why := Rules{Mode: config.ModeSync}.Decide(src, nil, nil)
	return Item{Rel: key, Source: src, ObjectAction: a, Reason: why, Restore: restore}
}

const gib = int64(1) << 30

func TestArchivedSkipCounts(t *testing.T) {
	d := observe(archivedJob(config.ArchivedSkip, "Bulk"), nil,
		item("a", "GLACIER", 1*gib, nil),
		item("b", "DEEP_ARCHIVE", 2*gib, nil),
		item("c", "GLACIER", 100, nil),
		item("d", "STANDARD", 10, nil),
		item("e", "GLACIER_IR", 20, nil),
		item("f", "INTELLIGENT_TIERING", 30, nil),
	)
	got := map[string]any{"copy": d.Copy, "archived": d.Archived, "restore": d.Restore, "keys": d.Keys["archived"],
		"get": d.Estimate.GetRequests, "put": d.Estimate.PutRequests}
	want := map[string]any{
		"copy":     Count{Objects: 3, Bytes: 60},
		"archived": Count{Objects: 3, Bytes: 3*gib + 100},
		"restore":  (*RestorePlan)(nil),
		"keys":     []string{"a", "b", "c"},
		"get":      int64(1), // the HEAD of the INTELLIGENT_TIERING object
		"put":      int64(3),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("skip (-want +got):\n%s", diff)
	}
	p := &Plan{Jobs: []*JobPlan{{Name: "j", Archived: "skip", Data: &JobData{Archived: d.Archived}}}}
	if p.HasChanges() {
		t.Error("HasChanges: skipped archived objects count as changes (plan --detailed-exitcode exits 2 for ever)")
	}
}

func TestArchivedRestorePlan(t *testing.T) {
	asked := &RestoreRequest{SourceKey: "d", SourceETag: `"d"`, Tier: "Standard", Days: 3}
	replaced := &RestoreRequest{SourceKey: "e", SourceETag: `"older"`, Tier: "Standard", Days: 3}
	items := []Item{
		item("a", "GLACIER", 4*gib, nil),
		item("b", "GLACIER", 6*gib, nil),
		item("c", "DEEP_ARCHIVE", 50*gib, nil),
		item("d", "GLACIER", 1*gib, asked),       // requested by an earlier run
		item("e", "GLACIER", 0, replaced),        // replaced since: asked again
		item("f", "STANDARD", 5, nil),            // copied
		item("g", "INTELLIGENT_TIERING", 5, nil), // copied after a HEAD
	}
	d := observe(archivedJob(config.ArchivedRestore, "Standard"), nil, items...)
	want := &RestorePlan{Tier: "Standard", Days: 3,
		Requests: Count{Objects: 4, Bytes: 60 * gib},
		ByClass:  map[string]Count{"GLACIER": {Objects: 3, Bytes: 10 * gib}, "DEEP_ARCHIVE": {Objects: 1, Bytes: 50 * gib}},
		// GLACIER Standard: 3/1000 x $0.05 + 10 GiB x $0.01;
		// DEEP_ARCHIVE Standard: 1/1000 x $0.10 + 50 GiB x $0.02.
		Requested: Count{Objects: 1, Bytes: gib},
		CostUSD:   round(0.00015 + 0.1 + 0.0001 + 1.0),
	}
	if diff := cmp.Diff(want, d.Restore); diff != "" {
		t.Errorf("restore (-want +got):\n%s", diff)
	}
	if want := (Count{Objects: 5, Bytes: 61 * gib}); d.Archived != want {
		t.Errorf("archived = %+v, want %+v", d.Archived, want)
	}
	// A HEAD per archived object (its restore status) and per
	// INTELLIGENT_TIERING copy; the estimate holds the retrieval price.
	if d.Estimate.GetRequests != 6 {
		t.Errorf("GET/HEAD requests = %d, want 6", d.Estimate.GetRequests)
	}
	if d.Estimate.CostUSD < want.CostUSD {
		t.Errorf("estimate $%.4f leaves out the restores ($%.4f)", d.Estimate.CostUSD, want.CostUSD)
	}

	// Prices may be overridden like the others.
	prices := DefaultPrices()
	prices.Restore = RestorePrices{"GLACIER": {"Standard": {Per1000: 1000, PerGiB: 1}}, "DEEP_ARCHIVE": {"Standard": {}}}
	d = observe(archivedJob(config.ArchivedRestore, "Standard"), &prices, items...)
	if got, want := d.Restore.CostUSD, round(3+10.0); got != want {
		t.Errorf("cost with overridden prices = $%.4f, want $%.4f", got, want)
	}

	// Bulk from GLACIER is free; from DEEP_ARCHIVE $0.025 per 1,000 and
	// $0.0025 per GiB.
	d = observe(archivedJob(config.ArchivedRestore, "Bulk"), nil, items...)
	if got, want := d.Restore.CostUSD, round(0.000025+50*0.0025); got != want {
		t.Errorf("Bulk cost = $%.4f, want $%.4f", got, want)
	}
}

func TestArchivedExpeditedDeepArchive(t *testing.T) {
	d := observe(archivedJob(config.ArchivedRestore, "Expedited"), nil,
		item("a", "GLACIER", gib, nil),
		item("b", "DEEP_ARCHIVE", 2*gib, nil),
	)
	if want := (Count{Objects: 1, Bytes: 2 * gib}); d.Restore.Unavailable != want {
		t.Errorf("unavailable = %+v, want %+v", d.Restore.Unavailable, want)
	}
	if want := (Count{Objects: 1, Bytes: gib}); d.Restore.Requests != want {
		t.Errorf("requests = %+v, want %+v (DEEP_ARCHIVE cannot be restored Expedited)", d.Restore.Requests, want)
	}
	// GLACIER Expedited: $10.00 per 1,000 and $0.03 per GiB.
	if got, want := d.Restore.CostUSD, round(0.01+0.03); got != want {
		t.Errorf("cost = $%.4f, want $%.4f", got, want)
	}
	fs := archivedFindings([]*JobPlan{{Name: "j", Data: d}})
	if len(fs) != 1 || fs[0].Blocking || !strings.Contains(fs[0].Message, `restore_tier = "Standard"`) || fs[0].Document != "sync.j" {
		t.Errorf("findings = %+v, want one warning on sync.j suggesting restore_tier = \"Standard\"", fs)
	}
}

func TestArchivedHasChanges(t *testing.T) {
	job := func(archived string, d JobData) *Plan {
		return &Plan{Jobs: []*JobPlan{{Name: "j", Archived: archived, Data: &d}}}
	}
	some := Count{Objects: 2, Bytes: 10}
	tests := []struct {
		name string
		p    *Plan
		want bool
	}{
		{"skip", job("skip", JobData{Archived: some}), false},
		{"fail: apply has objects to fail on", job("fail", JobData{Archived: some}), true},
		{"restore: requests to send", job("restore", JobData{Archived: some, Restore: &RestorePlan{Requests: some}}), true},
		{"restore: restores to wait for", job("restore", JobData{Archived: some, Restore: &RestorePlan{Requested: some}}), true},
		{"restore: nothing archived", job("restore", JobData{Restore: &RestorePlan{}}), false},
		{"fail: nothing archived", job("fail", JobData{}), false},
		{"restore: objects the tier cannot restore", job("restore", JobData{Archived: some, Restore: &RestorePlan{Unavailable: some}}), true},
	}
	for _, tt := range tests {
		if got := tt.p.HasChanges(); got != tt.want {
			t.Errorf("%s: HasChanges = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestRestoreRequestFor(t *testing.T) {
	src := &SourceObject{Key: "k", ETag: `"1"`}
	for _, tt := range []struct {
		r    *RestoreRequest
		want bool
	}{
		{nil, false},
		{&RestoreRequest{SourceKey: "k", SourceETag: `"1"`}, true},
		{&RestoreRequest{SourceKey: "k", SourceETag: `"2"`}, false},
		{&RestoreRequest{SourceKey: "other", SourceETag: `"1"`}, false},
	} {
		if got := tt.r.For(src); got != tt.want {
			t.Errorf("%+v.For = %v, want %v", tt.r, got, tt.want)
		}
	}
}

// TestCIPoliciesRestore: the applying role of a restoring job's source
// account may send restore requests on the source prefix, and only that
// role, and only for such jobs.
func TestCIPoliciesRestore(t *testing.T) {
	cfg := pushConfig(t)
	sid := "CIRestore" + cfg.Jobs[0].ID()
	restores := func(role CIRole) map[string][2][]string {
		ps, err := CIPolicies(cfg, CIPolicyOptions{Role: role, PlanData: true})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][2][]string{}
		for acct, sts := range shapeOf(ps) {
			if s, ok := sts[sid]; ok {
				out[acct] = s
			}
		}
		return out
	}
	if got := restores(CIApplyRole); len(got) != 0 {
		t.Errorf("archived = \"skip\": restore statements %v", got)
	}
	cfg.Jobs[0].Archived = config.ArchivedRestore
	want := map[string][2][]string{"prod": {{"s3:RestoreObject"}, {"arn:aws:s3:::konfir-prod-data/exports/*"}}}
	if diff := cmp.Diff(want, restores(CIApplyRole)); diff != "" {
		t.Errorf("apply role (-want +got):\n%s", diff)
	}
	if got := restores(CIPlanRole); len(got) != 0 {
		t.Errorf("plan role: restore statements %v", got)
	}
}

// TestArchivedEstimate checks the requests and cost archived objects add
// to a run's estimate against figures worked out by hand from the list
// prices (GET/HEAD $0.0004 per 1,000, PUT and LIST $0.005 per 1,000, KMS
// $0.03 per 10,000; GLACIER Standard retrieval $0.05 per 1,000 requests and
// $0.01 per GiB), rounded to $0.0001.
func TestArchivedEstimate(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		name     string
		archived config.Archived
		class    string
		n        int
		size     int64
		want     Estimate
		restore  float64 // RestorePlan.CostUSD; -1: no restore plan
	}{
		{
			// 2,000 GLACIER objects of 1 MiB restored with Standard: a HEAD
			// each for its restore status, nothing copied yet. 2 source
			// pages + 1 destination page.
			// restore: 2000/1000*0.05 + 2000 MiB/1024*0.01 = 0.1 + 0.01953125 = 0.11953125 -> 0.1195
			// HEAD:    2000*0.0004/1000 = 0.0008
			// LIST:    3*0.005/1000 = 0.000015
			// total:   0.12034625 -> 0.1203, with or without the bucket key
			name: "restore", archived: config.ArchivedRestore, class: ClassGlacier, n: 2000, size: mib, restore: 0.1195,
			want: Estimate{ListRequests: 3, GetRequests: 2000, CostUSD: 0.1203, CostNoBucketKeyUSD: 0.1203},
		},
		{
			// Skipped archived objects cost their listing only.
			name: "skip", archived: config.ArchivedSkip, class: ClassGlacier, n: 2000, size: mib, restore: -1,
			want: Estimate{ListRequests: 3},
		},
		{
			// 1,000 INTELLIGENT_TIERING objects of 1 KiB copied: a HEAD each
			// for its archive status before the copy.
			// PUT:  1000*0.005/1000 = 0.005; HEAD 1000*0.0004/1000 = 0.0004
			// LIST: 2 pages = 0.00001; KMS 1000 without the bucket key, 10 with
			// with:    0.005 + 0.0004 + 0.00001 + 10*0.03/10000   = 0.00544 -> 0.0054
			// without: 0.005 + 0.0004 + 0.00001 + 1000*0.03/10000 = 0.00841 -> 0.0084
			name: "intelligent tiering", archived: config.ArchivedSkip, class: ClassIntelligentTiering, n: 1000, size: 1024, restore: -1,
			want: Estimate{ListRequests: 2, GetRequests: 1000, PutRequests: 1000, KMSRequests: 10, KMSNoBucketKey: 1000,
				CostUSD: 0.0054, CostNoBucketKeyUSD: 0.0084},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var items []Item
			for i := range tt.n {
				items = append(items, item(fmt.Sprintf("k%05d", i), tt.class, tt.size, nil))
			}
			d := observe(archivedJob(tt.archived, config.RestoreTierStandard), nil, items...)
			if diff := cmp.Diff(tt.want, d.Estimate); diff != "" {
				t.Errorf("estimate (-want +got):\n%s", diff)
			}
			switch {
			case tt.restore < 0 && d.Restore != nil:
				t.Errorf("restore plan %+v, want none", d.Restore)
			case tt.restore >= 0 && (d.Restore == nil || d.Restore.CostUSD != tt.restore):
				t.Errorf("restore plan %+v, want cost $%.4f", d.Restore, tt.restore)
			}
		})
	}
}

// TestArchivedFinding pins the whole warning of objects the tier cannot
// restore: it is about the job, not a statement of a document.
func TestArchivedFinding(t *testing.T) {
	d := observe(archivedJob(config.ArchivedRestore, config.RestoreTierExpedited), nil,
		item("a", ClassDeepArchive, 1, nil), item("b", ClassDeepArchive, 1, nil), item("c", ClassGlacier, 1, nil))
	got := archivedFindings([]*JobPlan{{Name: "other"}, {Name: "j", Data: d}, {Name: "fine", Data: &JobData{Restore: &RestorePlan{}}}})
	want := []policy.Finding{{Check: "restore_tier", Document: "sync.j", Index: -1,
		Message: `2 archived object(s) of job "j" are in DEEP_ARCHIVE, which has no Expedited retrieval: apply fails them; set restore_tier = "Standard" (within 12 hours) or "Bulk" (within 48 hours)`}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
