package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCIPoliciesCreate: a bucket with create = true lets both CI roles of
// its account list the account's buckets, and the applying role create it.
func TestCIPoliciesCreate(t *testing.T) {
	cfg := pushConfig(t)
	cfg.Jobs[0].Destination.Create = true
	for _, role := range []CIRole{CIPlanRole, CIApplyRole} {
		ps, err := CIPolicies(cfg, CIPolicyOptions{Role: role})
		if err != nil {
			t.Fatal(err)
		}
		shape := shapeOf(ps)
		want := map[string][2][]string{"CIListOwnBuckets": {{"s3:ListAllMyBuckets"}, {"*"}}}
		if role == CIApplyRole {
			want["CICreateBuckets"] = [2][]string{{"s3:CreateBucket", "s3:PutBucketPublicAccessBlock", "s3:PutBucketVersioning"}, {"arn:aws:s3:::konfir-datalake-raw"}}
		}
		got := map[string][2][]string{}
		for sid, st := range shape["lake"] {
			if _, ok := want[sid]; ok {
				got[sid] = [2][]string{st[0], st[1]}
			}
		}
		if _, ok := shape["prod"]["CIListOwnBuckets"]; ok {
			t.Errorf("%s: account prod, which creates no bucket, may list its buckets", role)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s role (-want +got):\n%s", role, diff)
		}
	}
}
