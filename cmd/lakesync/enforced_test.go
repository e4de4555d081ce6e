package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// enforcedDemo is the demo world with prefixes and keys that moto's
// signature check accepts, so tests can run with moto enforcing identity
// policies: moto refuses a "/" in a query string (prefix=exports%2F) and
// an "=" in a key (day=00/), where AWS accepts both. It lists one key
// range at a time (list_parallelism = 1): more would send the delimiter
// "/" and StartAfter keys with a "/".
func enforcedDemo(t *testing.T, objects int) (*moto.Demo, string) {
	t.Helper()
	d, cfg := demoWorld(t, 0)
	for i := range objects {
		must(t, d.Prod.PutObject(t.Context(), moto.DemoSource, fmt.Sprintf("exports/day%02d/part-%04d.parquet", i%7, i), body(i)))
	}
	src, err := os.ReadFile(cfg)
	must(t, err)
	s := strings.Replace(string(src), `source_prefix      = "exports/"`, `source_prefix      = "exports"`, 1)
	s = strings.Replace(s, `destination_prefix = "prod/"`, `destination_prefix = "prod"`, 1)
	s = strings.Replace(s, `concurrency        = 16`, "concurrency        = 16\n  list_parallelism   = 1", 1)
	must(t, os.WriteFile(cfg, []byte(s), 0o644))
	return d, cfg
}

// enforce turns moto's authentication on until the test ends.
func enforce(t *testing.T) {
	t.Helper()
	must(t, motoSrv.SetAuth(t.Context(), true))
	// t.Context is already cancelled when cleanups run.
	t.Cleanup(func() { _ = motoSrv.SetAuth(context.Background(), false) })
}

// trustOnly makes the copier role trust exactly principal (moto matches
// trust policy principals literally).
func trustOnly(t *testing.T, d *moto.Demo, principal string) {
	t.Helper()
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + principal + `"},"Action":"sts:AssumeRole"}]}`
	_, err := d.Prod.IAM().UpdateAssumeRolePolicy(t.Context(), &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String(moto.DemoRole), PolicyDocument: aws.String(trust)})
	must(t, err)
}

// TestCheckLiveEnforced: with moto enforcing identity policies, check
// --live passes when the copier role holds only the policy lakesync
// generated (and the accounts' own users may only assume it).
func TestCheckLiveEnforced(t *testing.T) {
	d, cfg := enforcedDemo(t, 1)
	if code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve"); code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errs)
	}
	ctx := t.Context()
	names, err := d.Prod.IAM().ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String(moto.DemoRole)})
	must(t, err)
	if strings.Join(names.PolicyNames, ",") != "lakesync" {
		t.Fatalf("the copier role holds %v, want only lakesync's policy", names.PolicyNames)
	}
	attached, err := d.Prod.IAM().ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(moto.DemoRole)})
	must(t, err)
	if len(attached.AttachedPolicies) != 0 {
		t.Fatalf("the copier role has attached policies %v", attached.AttachedPolicies)
	}
	// The prod user may assume the role and prove its own identity;
	// the lake user may read the key and bucket it checks.
	userPolicy(t, d.Prod, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","sts:GetCallerIdentity"],"Resource":"*"}]}`)
	userPolicy(t, d.Lake, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:GetCallerIdentity","kms:DescribeKey","s3:GetBucketLocation"],"Resource":"*"}]}`)
	trustOnly(t, d, d.Prod.UserARN)
	enforce(t)
	code, out, errs := runCLI(t, "", "check", "-c", cfg, "--live")
	if code != 0 || !strings.Contains(out, "access proven") {
		t.Fatalf("check --live with only the generated policy, auth on: exit %d\n%s%s", code, out, errs)
	}
	t.Log(out)
}

// userPolicy gives the account's test user exactly doc.
func userPolicy(t *testing.T, a *moto.Account, doc string) {
	t.Helper()
	_, err := a.IAM().PutUserPolicy(t.Context(), &iam.PutUserPolicyInput{UserName: aws.String(moto.UserName),
		PolicyName: aws.String("test"), PolicyDocument: aws.String(doc)})
	must(t, err)
}

// ciUser creates user name in account a holding exactly doc, and returns
// an account value with its keys under profile. Two gaps of moto's IAM
// check are bridged, and only these; every other statement is kept as
// ci-policy printed it:
//   - it matches KMS requests only against Resource "*" (a statement
//     naming the key ARN, or its alias, is refused): the statements of KMS
//     actions only get Resource "*";
//   - it authorises GET ?ownershipControls and ?encryption as
//     s3:ListBucket and their PUTs as s3:CreateBucket (its ACTION_MAP
//     lacks them): those two actions are added on the account's buckets.
func ciUser(t *testing.T, a *moto.Account, name, profile string, doc json.RawMessage, buckets ...string) *moto.Account {
	t.Helper()
	ctx := t.Context()
	doc = motoGaps(t, doc, buckets...)
	c := a.IAM()
	u, err := moto.CreateUser(ctx, c, name)
	must(t, err)
	_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String("lakesync-ci"), PolicyDocument: aws.String(string(doc))})
	must(t, err)
	k, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	must(t, err)
	return &moto.Account{ID: a.ID, Profile: profile, Region: a.Region, UserARN: aws.ToString(u.Arn),
		AccessKeyID: aws.ToString(k.AccessKey.AccessKeyId), SecretAccessKey: aws.ToString(k.AccessKey.SecretAccessKey)}
}

// TestCIPolicyIsEnough: users holding only what ci-policy prints plan and
// apply the demo with moto enforcing identity policies: plan --role plan
// for the planning users, the applying users' policies for apply (the
// copier role trusting the applying user, as ci-policy says it must).
func TestCIPolicyIsEnough(t *testing.T) {
	d, cfg := enforcedDemo(t, 2)
	code, out, errs := runCLI(t, "", "ci-policy", "-c", cfg, "--json", "--plan-data")
	if code != 0 {
		t.Fatalf("ci-policy: exit %d\n%s", code, errs)
	}
	var got view.CIPolicies
	must(t, json.Unmarshal([]byte(out), &got))
	users := map[string]map[string]*moto.Account{"plan": {}, "apply": {}}
	for _, e := range got.Policies {
		acct := map[string]*moto.Account{"prod": d.Prod, "lake": d.Lake}[e.AccountName]
		if acct == nil {
			t.Fatalf("ci-policy names account %q", e.AccountName)
		}
		bucket := map[string]string{"prod": moto.DemoSource, "lake": moto.DemoDest}[e.AccountName]
		users[e.Role][e.AccountName] = ciUser(t, acct, "ci-"+e.Role, e.AccountName, e.Policy, bucket)
	}
	for _, role := range []string{"plan", "apply"} {
		if users[role]["prod"] == nil || users[role]["lake"] == nil {
			t.Fatalf("ci-policy gave no %s policy for both accounts: %v", role, users[role])
		}
	}
	asUsers := func(role string) {
		dir := t.TempDir()
		env, err := motoSrv.WriteSharedConfig(dir, users[role]["prod"], users[role]["lake"])
		must(t, err)
		env.Setenv(t)
	}

	// The copier role trusts the applying user; the planning user only
	// reads.
	trustOnly(t, d, users["apply"]["prod"].UserARN)
	enforce(t)

	asUsers("plan")
	code, out, errs = runCLI(t, "", "plan", "-c", cfg, "--detailed-exitcode")
	if code != exitChanges || !strings.Contains(out, "2 objects") {
		t.Fatalf("plan as the planning users, auth on: exit %d, want 2\n%s%s", code, out, errs)
	}
	asUsers("apply")
	code, out, errs = runCLI(t, "", "apply", "-c", cfg, "--auto-approve")
	if code != 0 {
		t.Fatalf("apply as the applying users, auth on: exit %d\n%s%s", code, out, errs)
	}
	asUsers("plan")
	code, out, errs = runCLI(t, "", "plan", "-c", cfg, "--detailed-exitcode")
	if code != 0 || !strings.Contains(out, "No changes.") {
		t.Fatalf("plan after apply, as the planning users: exit %d, want 0\n%s%s", code, out, errs)
	}
}

// motoGaps bridges the gaps of moto's IAM check that ciUser names.
func motoGaps(t *testing.T, doc json.RawMessage, buckets ...string) json.RawMessage {
	t.Helper()
	var d map[string]any
	must(t, json.Unmarshal(doc, &d))
	stmts, _ := d["Statement"].([]any)
	for _, s := range stmts {
		st := s.(map[string]any)
		var actions []string
		switch a := st["Action"].(type) {
		case string:
			actions = []string{a}
		case []any:
			for _, x := range a {
				actions = append(actions, x.(string))
			}
		}
		kmsOnly := len(actions) > 0
		for _, a := range actions {
			kmsOnly = kmsOnly && strings.HasPrefix(a, "kms:")
		}
		if kmsOnly {
			st["Resource"] = "*"
		}
	}
	var arns []string
	for _, b := range buckets {
		arns = append(arns, "arn:aws:s3:::"+b)
	}
	d["Statement"] = stmts
	if len(arns) > 0 {
		d["Statement"] = append(stmts, map[string]any{"Sid": "MotoActionMapGaps", "Effect": "Allow",
			"Action": []string{"s3:ListBucket", "s3:CreateBucket"}, "Resource": arns})
	}
	out, err := json.Marshal(d)
	must(t, err)
	return out
}

// TestCIPolicyIsEnoughSameAccount: a server-side job without a copier
// role copies within one account as the account itself; a user holding
// only the applying policy ci-policy prints applies it with moto
// enforcing identity policies, and every object arrives.
func TestCIPolicyIsEnoughSameAccount(t *testing.T) {
	s := moto.Require(t, motoSrv)
	ctx := t.Context()
	must(t, s.Reset(ctx))
	acct, err := s.NewAccount(ctx, "111111111111")
	must(t, err)
	acct.Profile = "store"
	const raw, lake = "own-raw", "own-lake"
	must(t, acct.CreateBucket(ctx, raw))
	must(t, acct.CreateBucket(ctx, lake))
	keyARN, err := acct.CreateKey(ctx, "")
	must(t, err)
	want := map[string][]byte{}
	for i := range 3 {
		k := fmt.Sprintf("exports/day%02d/part-%04d.parquet", i, i)
		want["prod/day"+k[len("exports/day"):]] = body(i)
		must(t, acct.PutObject(ctx, raw, k, body(i)))
	}
	dir := t.TempDir()
	cfg := dir + "/lakesync.hcl"
	must(t, os.WriteFile(cfg, []byte(fmt.Sprintf(`account "store" {
  id                  = "111111111111"
  region              = "eu-west-1"
  profile             = "store"
  endpoint_url        = %q
  s3_force_path_style = true
}

key "store" {
  account = account.store
  arn     = %q
}

bucket "raw" {
  account = account.store
  name    = %q
}

bucket "lake" {
  account = account.store
  name    = %q
  key     = key.store
}

sync "raw_to_lake" {
  source             = bucket.raw
  destination        = bucket.lake
  source_prefix      = "exports"
  destination_prefix = "prod"
  mode               = "sync"
  list_parallelism   = 1
}

state { path = %q }
`, s.URL, keyARN, raw, lake, dir+"/state")), 0o644))

	code, out, errs := runCLI(t, "", "ci-policy", "-c", cfg, "--json", "--role", "apply")
	if code != 0 {
		t.Fatalf("ci-policy: exit %d\n%s", code, errs)
	}
	var got view.CIPolicies
	must(t, json.Unmarshal([]byte(out), &got))
	if len(got.Policies) != 1 {
		t.Fatalf("ci-policy printed %d policies, want the applying role's of account store", len(got.Policies))
	}
	user := ciUser(t, acct, "ci-apply", "store", got.Policies[0].Policy, raw, lake)
	env, err := s.WriteSharedConfig(t.TempDir(), user)
	must(t, err)
	env.Setenv(t)
	enforce(t)

	code, out, errs = runCLI(t, "", "apply", "-c", cfg, "--auto-approve")
	if code != 0 {
		t.Fatalf("apply as the applying user, auth on: exit %d\n%s%s", code, out, errs)
	}
	must(t, s.SetAuth(ctx, false)) // the test's own user holds no policy
	for k, b := range want {
		if got := getBody(ctx, t, acct.S3(), lake, k); !bytes.Equal(got, b) {
			t.Errorf("%s: %q, want %q", k, got, b)
		}
	}
}
