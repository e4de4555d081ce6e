package exec

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// A role with policy = "external" is observed with its attached managed
// policies (the default version of each) as well as its inline ones; a
// managed role is read as before.
func TestObserveExternalRoleAttachedPolicies(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	attached := `{"Version":"2012-10-17","Statement":[{"Sid":"Terraform","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::prod-data/*"}]}`
	for _, name := range []string{"terraform-copier", "lakesync-copier"} {
		_, err := w.Prod.CreateRole(ctx, name, moto.TrustAccount(prodID))
		must(t, err)
	}
	pol, err := w.Prod.IAM().CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("copier"), PolicyDocument: aws.String(attached)})
	must(t, err)
	for _, name := range []string{"terraform-copier", "lakesync-copier"} {
		_, err = w.Prod.IAM().AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(name), PolicyArn: pol.Policy.Arn})
		must(t, err)
	}
	ext := w.Role(t, "terraform-copier", w.ProdAcct)
	ext.Policy = config.External
	w.Role(t, "lakesync-copier", w.ProdAcct)

	obs, err := Observe(ctx, w.Cfg, NewAccounts(w.Cfg))
	must(t, err)
	want := map[string][]byte{aws.ToString(pol.Policy.Arn): []byte(attached)}
	if diff := cmp.Diff(want, obs.Roles["terraform-copier"].AttachedPolicies); diff != "" {
		t.Errorf("attached policies of the external role (-want +got):\n%s", diff)
	}
	if got := obs.Roles["lakesync-copier"].AttachedPolicies; got != nil {
		t.Errorf("attached policies were read for a managed role: %s", got)
	}
}

// A plan entry that would write a document or setting of an external
// block is refused before any request.
func TestApplyRefusesExternalBlocks(t *testing.T) {
	acct := &config.Account{Name: "lake", ID: "222222222222", Region: "eu-west-1"}
	b := &config.Bucket{Name: "lake", Account: acct, BucketName: "konfir-lake", Policy: config.External}
	cfg := &config.Config{Accounts: []*config.Account{acct}, Buckets: []*config.Bucket{b}}
	addr := plan.BucketRef(b)
	doc := &plan.DocumentChange{Address: addr, Kind: plan.BucketPolicy, Action: plan.ActionUpdate, After: []byte(`{}`)}
	set := &plan.SettingChange{Address: addr, Setting: plan.SettingObjectOwnership, After: plan.SettingValue{ObjectOwnership: plan.OwnershipEnforced}}
	want := `the plan writes bucket.lake, which has policy = "external": lakesync never writes an external document; run lakesync plan again`
	for what, err := range map[string]error{
		"document": writeDocument(t.Context(), cfg, NewAccounts(cfg), doc),
		"setting":  writeSetting(t.Context(), cfg, NewAccounts(cfg), set),
	} {
		if err == nil || err.Error() != want {
			t.Errorf("%s of an external bucket: %v, want %q", what, err, want)
		}
	}
}

// check --live names the documents another tool owns as such, with what
// to add to them.
func TestLiveDocumentsExternal(t *testing.T) {
	prod := &config.Account{Name: "prod", ID: "111111111111"}
	lake := &config.Account{Name: "lake", ID: "222222222222"}
	key := &config.Key{Name: "lake", Account: lake, Policy: config.External}
	dst := &config.Bucket{Name: "lake", Account: lake, BucketName: "konfir-lake", Key: key, Policy: config.External}
	job := &config.Job{Name: "j", Destination: dst, Transfer: config.TransferServerSide,
		Role: &config.Role{Name: "copier", Account: prod, RoleName: "lakesync-copier", Policy: config.External}}
	got := [][]string{liveDocuments(job, dst, false), liveDocuments(job, dst, true)}
	role := `role.copier (the attached and inline policies of role lakesync-copier; policy = "external": add the statements of lakesync export terraform)`
	want := [][]string{
		{role, `bucket.lake (bucket policy of konfir-lake; policy = "external": add the statements of lakesync export terraform)`},
		{role, `key.lake (key policy; policy = "external": add the statements of lakesync export terraform)`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}
}
