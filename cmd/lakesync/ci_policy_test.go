package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/policy"
)

func TestCIPolicyJSON(t *testing.T) {
	code, out, errs := runCLI(t, "", "ci-policy", "-c", "../../examples/push/lakesync.hcl", "--json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	var got view.CIPolicies
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var which []string
	for _, e := range got.Policies {
		which = append(which, e.Role+" "+e.AccountName+" "+e.AccountID)
		doc, err := policy.Parse(e.Policy)
		if err != nil {
			t.Fatalf("%s %s: %v", e.Role, e.AccountName, err)
		}
		for _, s := range doc.Statements {
			for _, r := range s.Resource {
				if r == "*" {
					t.Errorf("%s %s: %s has Resource \"*\"", e.Role, e.AccountName, s.Sid)
				}
			}
		}
		wantAssumed := e.Role == "apply" && e.AccountName == "prod"
		if (len(e.AssumedRoles) > 0) != wantAssumed {
			t.Errorf("%s %s: assumed roles %v", e.Role, e.AccountName, e.AssumedRoles)
		}
	}
	want := "plan prod 111111111111|plan lake 222222222222|apply prod 111111111111|apply lake 222222222222"
	if strings.Join(which, "|") != want {
		t.Errorf("policies for %q, want %q", strings.Join(which, "|"), want)
	}
}

func TestCIPolicyHuman(t *testing.T) {
	code, out, errs := runCLI(t, "", "ci-policy", "-c", "../../examples/push/lakesync.hcl", "--role", "plan", "--plan-data")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	for _, want := range []string{
		"# Planning role in account prod (111111111111): attach this policy",
		"# The trust policy of arn:aws:iam::111111111111:role/lakesync-copier must allow this role",
		`"Sid": "CIAssumeCopiers"`,
		"# Planning role in account lake (222222222222)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Applying role") || strings.Contains(out, "PutBucketPolicy") {
		t.Errorf("--role plan printed the applying role:\n%s", out)
	}
}

func TestCIPolicyErrors(t *testing.T) {
	code, _, errs := runCLI(t, "", "ci-policy", "-c", "../../examples/push/lakesync.hcl", "--role", "admin")
	if code != exitError || !strings.Contains(errs, `--role "admin": want "plan", "apply" or "migrate"`) {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	code, _, errs = runCLI(t, "", "ci-policy", "-c", "../../examples/push/lakesync.hcl", "--role", "migrate")
	if code != exitError || !strings.Contains(errs, "has no migration block, so lakesync migrate has nothing to run") {
		t.Errorf("--role migrate without a migration: exit %d, stderr %q", code, errs)
	}
	code, _, errs = runCLI(t, "", "ci-policy", "-c", "../../internal/config/testdata/invalid/keys.hcl")
	if code != exitError || !strings.Contains(errs, "AWS-managed key") {
		t.Errorf("invalid config: exit %d, stderr %q", code, errs)
	}
}

func TestCIPolicyFlags(t *testing.T) {
	var got *ciPolicyOptions
	cmd := newCIPolicyCmd(&globalOptions{}, func(_ context.Context, o *ciPolicyOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--role", "apply", "--json", "--plan-data"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Role != "apply" || !got.JSON || !got.PlanData {
		t.Errorf("options: %+v", got)
	}
}
