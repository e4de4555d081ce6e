package exec

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

func callerAccount(t *testing.T, acc *Accounts, a *config.Account) string {
	t.Helper()
	c, err := acc.STS(t.Context(), a)
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.Account)
}

func TestAccountsProfiles(t *testing.T) {
	w := newWorld(t)
	acc := NewAccounts(w.Cfg)
	if got := callerAccount(t, acc, w.ProdAcct); got != prodID {
		t.Errorf("prod acts as %s", got)
	}
	if got := callerAccount(t, acc, w.LakeAcct); got != lakeID {
		t.Errorf("lake acts as %s", got)
	}
	// Clients of one account reach that account's buckets only.
	must(t, w.Lake.CreateBucket(t.Context(), "lake-only"))
	c, err := acc.S3(t.Context(), w.ProdAcct, 4)
	must(t, err)
	out, err := c.ListBuckets(t.Context(), &s3.ListBucketsInput{})
	must(t, err)
	if len(out.Buckets) != 0 {
		t.Errorf("prod sees lake's bucket: %v", out.Buckets)
	}
}

func TestAccountsRefuseWrongAccount(t *testing.T) {
	w := newWorld(t)
	// The "lake" block declares 222222222222 but uses prod's profile.
	wrong := &config.Account{Name: "lake", ID: lakeID, Region: moto.DefaultRegion, Profile: "prod"}
	_, err := NewAccounts(&config.Config{Accounts: []*config.Account{wrong}}).Config(t.Context(), wrong)
	if err == nil {
		t.Fatal("credentials of account 111111111111 accepted for a block declaring 222222222222")
	}
	msg := err.Error()
	t.Log(msg)
	for _, want := range []string{`account "lake"`, lakeID, prodID, `profile "prod"`, "fix:"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
	if strings.Contains(msg, w.Prod.SecretAccessKey) || strings.Contains(msg, w.Prod.AccessKeyID) {
		t.Errorf("error leaks credentials: %s", msg)
	}
}

func TestAccountsMissingProfile(t *testing.T) {
	newWorld(t)
	a := &config.Account{Name: "ghost", ID: "333333333333", Region: moto.DefaultRegion, Profile: "nosuch"}
	_, err := NewAccounts(&config.Config{Accounts: []*config.Account{a}}).Config(t.Context(), a)
	if err == nil || !strings.Contains(err.Error(), `account "ghost"`) || !strings.Contains(err.Error(), "nosuch") {
		t.Fatalf("missing profile: got %v, want an error naming the block and the profile", err)
	}
}

func TestAccountsAssumeRole(t *testing.T) {
	w := newWorld(t)
	arn, err := w.Lake.CreateRole(t.Context(), "lakesync-admin", moto.TrustAccount(prodID))
	must(t, err)
	// Reach the lake account through prod's profile and a role in lake.
	viaRole := &config.Account{Name: "lake", ID: lakeID, Region: moto.DefaultRegion, Profile: "prod",
		RoleARN: arn, ExternalID: "ext-42", S3ForcePathStyle: true}
	acc := NewAccounts(&config.Config{Accounts: []*config.Account{viaRole}})
	if got := callerAccount(t, acc, viaRole); got != lakeID {
		t.Errorf("role_arn account acts as %s, want %s", got, lakeID)
	}
	cfg, err := acc.Config(t.Context(), viaRole)
	must(t, err)
	creds, err := cfg.Credentials.Retrieve(t.Context())
	must(t, err)
	if creds.SessionToken == "" || !creds.CanExpire {
		t.Errorf("role credentials are not temporary: %+v", creds.Source)
	}

	// A role of the wrong account is refused with the role named.
	prodRole, err := w.Prod.CreateRole(t.Context(), "not-lake", moto.TrustAccount(prodID))
	must(t, err)
	wrong := &config.Account{Name: "lake", ID: lakeID, Region: moto.DefaultRegion, Profile: "prod", RoleARN: prodRole}
	_, err = NewAccounts(&config.Config{Accounts: []*config.Account{wrong}}).Config(t.Context(), wrong)
	if err == nil || !strings.Contains(err.Error(), prodRole) || !strings.Contains(err.Error(), "act as") {
		t.Errorf("role in the wrong account: got %v", err)
	}
}

func TestAccountsEndpointOverride(t *testing.T) {
	w := newWorld(t)
	// A broken endpoint in the environment; the account block's
	// endpoint_url must win.
	t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
	a := *w.ProdAcct
	a.EndpointURL = w.Srv.URL
	acc := NewAccounts(&config.Config{Accounts: []*config.Account{&a}})
	if got := callerAccount(t, acc, &a); got != prodID {
		t.Errorf("acts as %s", got)
	}
	must(t, w.Prod.CreateBucket(t.Context(), "via-endpoint"))
	c, err := acc.S3(t.Context(), &a, 0)
	must(t, err)
	if _, err := c.HeadBucket(t.Context(), &s3.HeadBucketInput{Bucket: aws.String("via-endpoint")}); err != nil {
		t.Errorf("S3 through endpoint_url override: %v", err)
	}
}

func TestRoleConfig(t *testing.T) {
	w := newWorld(t)
	_, err := w.Prod.CreateRole(t.Context(), "lakesync-copier", moto.TrustAccount(prodID))
	must(t, err)
	r := w.Role(t, "lakesync-copier", w.ProdAcct)
	acc := NewAccounts(w.Cfg)
	cfg, err := acc.RoleConfig(t.Context(), r)
	must(t, err)
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	must(t, err)
	if got := aws.ToString(out.Arn); !strings.Contains(got, "assumed-role/lakesync-copier/"+SessionName) {
		t.Errorf("copier session is %s", got)
	}
}

func TestAccountsCancelledVerifyIsNotCached(t *testing.T) {
	w := newWorld(t)
	acc := NewAccounts(w.Cfg)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := acc.Config(ctx, w.ProdAcct); err == nil {
		t.Fatal("Config with a cancelled context succeeded")
	}
	if _, err := acc.Config(t.Context(), w.ProdAcct); err != nil {
		t.Fatalf("Config after a cancelled attempt: %v", err)
	}
	// A real refusal is cached: the same error without another request.
	w.LakeAcct.ID = "333333333333"
	_, err1 := acc.Config(t.Context(), w.LakeAcct)
	_, err2 := acc.Config(t.Context(), w.LakeAcct)
	if err1 == nil || err1 != err2 {
		t.Errorf("refusal not cached: %v / %v", err1, err2)
	}
}
