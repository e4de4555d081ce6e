package policy

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

const (
	prodAcct  = "111111111111"
	lakeAcct  = "222222222222"
	thirdAcct = "333333333333"
	prodRole  = "arn:aws:iam::111111111111:role/lakesync-copier"
	lakeRole  = "arn:aws:iam::222222222222:role/lakesync-copier"
	prodKey   = "arn:aws:kms:eu-west-1:111111111111:key/11111111-aaaa-bbbb-cccc-000000000001"
	lakeKey   = "arn:aws:kms:eu-west-1:222222222222:key/22222222-aaaa-bbbb-cccc-000000000002"
)

func prodSide() Side {
	return Side{Account: prodAcct, Region: "eu-west-1", Bucket: "konfir-prod-data", Prefix: "exports/"}
}

func lakeSide() Side {
	return Side{Account: lakeAcct, Region: "eu-west-1", Bucket: "konfir-datalake-raw", Prefix: "prod/", KeyARN: lakeKey}
}

func pushGrant() Grant {
	return Grant{Job: "prod_to_lake", RoleARN: prodRole, RoleAccount: prodAcct,
		Source: prodSide(), Destination: lakeSide(), Transfer: ServerSide}
}

// generateCases are the topologies with golden files in testdata/generate.
func generateCases() map[string]Grant {
	pull := pushGrant()
	pull.RoleARN, pull.RoleAccount = lakeRole, lakeAcct

	kmsSource := pushGrant()
	kmsSource.RoleARN, kmsSource.RoleAccount = lakeRole, lakeAcct
	kmsSource.Source.KeyARN = prodKey

	kmsSourcePush := pushGrant()
	kmsSourcePush.Source.KeyARN = prodKey

	del := pushGrant()
	del.Delete = true

	stream := pushGrant()
	stream.Transfer = Stream

	same := pushGrant()
	same.Destination.Account = prodAcct
	same.Destination.KeyARN = "arn:aws:kms:eu-west-1:111111111111:key/11111111-aaaa-bbbb-cccc-000000000009"

	third := pushGrant()
	third.RoleARN, third.RoleAccount = "arn:aws:iam::333333333333:role/copier", thirdAcct

	noPrefix := pushGrant()
	noPrefix.Source.Prefix, noPrefix.Destination.Prefix = "", ""

	return map[string]Grant{
		"push": pushGrant(), "pull": pull, "kms-source-pull": kmsSource, "kms-source-push": kmsSourcePush,
		"delete": del, "stream": stream, "same-account": same, "third-account": third, "no-prefix": noPrefix,
	}
}

func renderDesired(t *testing.T, d Desired) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString(`{"topology":`)
	b.Write(marshalString(d.Topology))
	notes, _ := json.Marshal(d.Notes)
	b.WriteString(`,"notes":`)
	b.Write(notes)
	for _, doc := range []struct {
		name  string
		stmts []Statement
	}{
		{"source_bucket_policy", d.SourceBucketPolicy}, {"source_key_policy", d.SourceKeyPolicy},
		{"destination_bucket_policy", d.DestBucketPolicy}, {"destination_key_policy", d.DestKeyPolicy},
		{"role_policy", d.RolePolicy},
	} {
		if doc.stmts == nil {
			continue
		}
		js, err := (&Document{Version: DefaultVersion, Statements: doc.stmts}).JSON()
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(`,"` + doc.name + `":`)
		b.Write(js)
	}
	b.WriteByte('}')
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	out.WriteByte('\n')
	return out.Bytes()
}

func TestGenerateGolden(t *testing.T) {
	for name, g := range generateCases() {
		t.Run(name, func(t *testing.T) {
			d, err := Generate(g)
			if err != nil {
				t.Fatal(err)
			}
			got := renderDesired(t, d)
			path := filepath.Join("testdata", "generate", name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/policy -update)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("golden mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestGenerateShape asserts the rules independently of the goldens: which
// documents get statements, and invariants of every statement.
func TestGenerateShape(t *testing.T) {
	type shape struct {
		Topology                                   string
		SrcBucket, SrcKey, DstBucket, DstKey, Role int
	}
	want := map[string]shape{
		"push":            {Push, 0, 0, 3, 1, 6},
		"pull":            {Pull, 2, 0, 0, 0, 6},
		"kms-source-pull": {Pull, 2, 1, 0, 0, 7},
		"kms-source-push": {Push, 0, 0, 3, 1, 7},
		"delete":          {Push, 0, 0, 3, 1, 6},
		"stream":          {NoTopology, 0, 0, 0, 0, 0},
		"same-account":    {SameAccount, 0, 0, 0, 0, 6},
		"third-account":   {ThirdAccount, 2, 0, 3, 1, 6},
		"no-prefix":       {Push, 0, 0, 3, 1, 6},
	}
	for name, g := range generateCases() {
		t.Run(name, func(t *testing.T) {
			d, err := Generate(g)
			if err != nil {
				t.Fatal(err)
			}
			got := shape{d.Topology, len(d.SourceBucketPolicy), len(d.SourceKeyPolicy), len(d.DestBucketPolicy), len(d.DestKeyPolicy), len(d.RolePolicy)}
			if diff := cmp.Diff(want[name], got); diff != "" {
				t.Errorf("shape (-want +got):\n%s", diff)
			}
			jobID := JobID(g.Job)
			for _, docStmts := range [][]Statement{d.SourceBucketPolicy, d.SourceKeyPolicy, d.DestBucketPolicy, d.DestKeyPolicy} {
				for _, s := range docStmts {
					if !OwnedBy(s.Sid, jobID) {
						t.Errorf("Sid %q not owned by %q", s.Sid, jobID)
					}
					if diff := cmp.Diff(Values{g.RoleARN}, s.Principal.IDs["AWS"]); diff != "" || s.Principal.All || len(s.Principal.IDs) != 1 {
						t.Errorf("%s: principal must be exactly the role: %s", s.Sid, diff)
					}
				}
			}
			for _, s := range d.RolePolicy {
				if s.Principal != nil {
					t.Errorf("%s: identity statement with a Principal", s.Sid)
				}
			}
		})
	}
}

func TestGenerateActions(t *testing.T) {
	actions := func(d Desired, sid string) Values {
		for _, s := range d.RolePolicy {
			if strings.HasSuffix(s.Sid, sid) {
				return s.Action
			}
		}
		return nil
	}
	keep, _ := Generate(pushGrant())
	g := pushGrant()
	g.Delete = true
	del, _ := Generate(g)
	for _, a := range keep.RolePolicy {
		for _, x := range a.Action {
			if x == "s3:DeleteObject" || x == "s3:GetObjectVersion" {
				t.Errorf("delete=false grants %s", x)
			}
		}
	}
	if !contains(actions(del, "DestWrite"), "s3:DeleteObject") {
		t.Errorf("delete=true does not grant s3:DeleteObject: %v", actions(del, "DestWrite"))
	}
	for _, a := range []string{"kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt", "kms:DescribeKey"} {
		if !contains(actions(keep, "DestKey"), a) {
			t.Errorf("DestKey lacks %s", a)
		}
	}
}

func contains(v Values, s string) bool {
	for _, x := range v {
		if x == s {
			return true
		}
	}
	return false
}

func TestGenerateErrors(t *testing.T) {
	tests := map[string]struct {
		edit func(*Grant)
		want string
	}{
		"no destination key": {func(g *Grant) { g.Destination.KeyARN = "" }, "destination key is required"},
		"alias key":          {func(g *Grant) { g.Destination.KeyARN = "alias/datalake" }, "not a KMS key ARN"},
		"bad transfer":       {func(g *Grant) { g.Transfer = "rsync" }, `transfer "rsync"`},
		"empty job id":       {func(g *Grant) { g.Job = "__" }, "no ASCII letter or digit"},
		"bad prefix":         {func(g *Grant) { g.SidPrefix = "Mine" }, `must start with "Lakesync"`},
		"role account":       {func(g *Grant) { g.RoleAccount = lakeAcct }, "is not in account"},
		"bad account":        {func(g *Grant) { g.Source.Account = "123" }, "not a 12-digit id"},
		"13 digits":          {func(g *Grant) { g.Source.Account = "1111111111111" }, `source account "1111111111111" is not a 12-digit id`},
		"letter in account":  {func(g *Grant) { g.Destination.Account = "22222222222a" }, `destination account "22222222222a" is not a 12-digit id`},
		"key without id":     {func(g *Grant) { g.Destination.KeyARN = "arn:aws:kms:eu-west-1:222222222222:key/" }, "not a KMS key ARN"},
		"key region":         {func(g *Grant) { g.Destination.Region = "" }, "destination region is empty"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := pushGrant()
			tc.edit(&g)
			_, err := Generate(g)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestGenerateAccepts: account ids are any 12 digits, leading zeros
// included (AWS shows 012345678901); a side without a KMS key needs no
// region (only kms:ViaService names it).
func TestGenerateAccepts(t *testing.T) {
	g := pushGrant()
	g.Source.Account, g.RoleAccount, g.RoleARN = "012345678909", "012345678909", "arn:aws:iam::012345678909:role/lakesync-copier"
	g.Destination.Account = "900000000000"
	g.Destination.KeyARN = "arn:aws:kms:eu-west-1:900000000000:key/1"
	g.Source.Region = ""
	d, err := Generate(g)
	if err != nil {
		t.Fatal(err)
	}
	if d.Topology != Push || len(d.DestBucketPolicy) != 3 || len(d.DestKeyPolicy) != 1 {
		t.Errorf("desired = %+v", d)
	}
}

// source_as_of and object_lock = "copy" each add their actions to the
// statements that already read the source and write the destination,
// and only then (least privilege); Required lists a request for each.
func TestGenerateVersionsAndObjectLock(t *testing.T) {
	versions := []string{"SourceList s3:ListBucketVersions", "SourceRead s3:GetObjectVersion", "SourceRead s3:GetObjectVersionTagging"}
	lock := []string{"SourceRead s3:GetObjectRetention", "SourceRead s3:GetObjectLegalHold", "DestWrite s3:PutObjectRetention", "DestWrite s3:PutObjectLegalHold"}
	conditional := append(slices.Clone(versions), lock...)
	tests := []struct {
		name             string
		versions, locked bool
		want             []string
	}{
		{"neither", false, false, nil},
		{"source_as_of", true, false, versions},
		{"object_lock copy", false, true, lock},
		{"both", true, true, conditional},
	}
	for _, tt := range tests {
		g := pushGrant()
		g.Versions, g.ObjectLock = tt.versions, tt.locked
		d, err := Generate(g)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, docs := range [][]Statement{d.RolePolicy, d.SourceBucketPolicy, d.DestBucketPolicy} {
			for _, s := range docs {
				for _, a := range s.Action {
					for _, c := range conditional {
						if sid, act, _ := strings.Cut(c, " "); strings.HasSuffix(s.Sid, sid) && a == act && !slices.Contains(got, c) {
							got = append(got, c)
						}
					}
				}
			}
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(tt.want))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: conditional grants (-want +got):\n%s", tt.name, diff)
		}
		var reqs []string
		for _, r := range Required(g) {
			for _, c := range conditional {
				if _, act, _ := strings.Cut(c, " "); r.Action == act && !slices.Contains(reqs, act) {
					reqs = append(reqs, act)
				}
			}
		}
		var wantReqs []string
		for _, c := range tt.want {
			_, act, _ := strings.Cut(c, " ")
			wantReqs = append(wantReqs, act)
		}
		slices.Sort(reqs)
		slices.Sort(wantReqs)
		if diff := cmp.Diff(wantReqs, reqs); diff != "" {
			t.Errorf("%s: required actions (-want +got):\n%s", tt.name, diff)
		}
	}
}
