package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/lakesync/lakesync"

// pkg is what go list says of one package.
type pkg struct {
	ImportPath string
	Imports    []string
}

// listPackages lists the module's non-test packages with their imports.
func listPackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), "go", "list", "-json", module+"/...")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("go list: %v\n%s", err, errb.String())
	}
	var pkgs []pkg
	dec := json.NewDecoder(&out)
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 5 {
		t.Fatalf("go list found %d packages: the test would prove nothing", len(pkgs))
	}
	return pkgs
}

// rule forbids the packages it applies to from importing what forbidden
// matches.
type rule struct {
	name      string
	applies   func(path string) bool
	forbidden func(imp string) bool
}

var pure = []string{module + "/internal/config", module + "/internal/policy", module + "/internal/plan"}

func isAWSSDK(imp string) bool {
	return strings.HasPrefix(imp, "github.com/aws/")
}

func isAWSService(imp string) bool {
	return strings.HasPrefix(imp, "github.com/aws/aws-sdk-go-v2/service/")
}

var rules = []rule{
	{
		name:    "config, policy and plan are pure: no disk, no network, no AWS SDK",
		applies: func(p string) bool { return slices.Contains(pure, p) },
		forbidden: func(imp string) bool {
			return imp == "os" || imp == "net/http" || imp == "io/fs" || isAWSSDK(imp)
		},
	},
	{
		name:    "config and policy import no internal package",
		applies: func(p string) bool { return p == pure[0] || p == pure[1] },
		forbidden: func(imp string) bool {
			return strings.HasPrefix(imp, module+"/internal/")
		},
	},
	{
		name:    "plan imports only config and policy of the module",
		applies: func(p string) bool { return p == pure[2] },
		forbidden: func(imp string) bool {
			return strings.HasPrefix(imp, module+"/") && !slices.Contains(pure[:2], imp)
		},
	},
	{
		name:      "the commands call AWS through exec, never a service package",
		applies:   func(p string) bool { return strings.HasPrefix(p, module+"/cmd/") },
		forbidden: isAWSService,
	},
	{
		name:    "the views render typed values to the writers they are given: no exec root, no AWS error text, no AWS SDK, no os or net/http",
		applies: func(p string) bool { return p == module+"/cmd/lakesync/internal/view" },
		forbidden: func(imp string) bool {
			return imp == module+"/internal/exec" || imp == module+"/internal/exec/awserr" || isAWSSDK(imp) || imp == "os" || imp == "net/http"
		},
	},
	{
		name:    "the run report renders events it is given: no exec, no AWS SDK, no os or net/http",
		applies: func(p string) bool { return p == module+"/cmd/lakesync/internal/report" },
		forbidden: func(imp string) bool {
			return strings.HasPrefix(imp, module+"/internal/exec") || isAWSSDK(imp) || imp == "os" || imp == "net/http"
		},
	},
	{
		name:    "the web UI runs the commands and reads their output: no lakesync internal package (config, plan, exec...), no AWS SDK",
		applies: func(p string) bool { return p == module+"/cmd/lakesync/internal/ui" },
		forbidden: func(imp string) bool {
			return strings.HasPrefix(imp, module+"/internal/") || isAWSSDK(imp)
		},
	},
	{
		name:    "exec/copier/limit is pure: no lakesync package, no AWS SDK, no I/O",
		applies: func(p string) bool { return p == module+"/internal/exec/copier/limit" },
		forbidden: func(imp string) bool {
			return strings.HasPrefix(imp, module+"/") || isAWSSDK(imp) || imp == "os" || imp == "net/http" || imp == "io/fs"
		},
	},
	{
		name: "no sub-package of exec imports the exec root, but exec/migrate, the orchestration above it",
		applies: func(p string) bool {
			return strings.HasPrefix(p, module+"/internal/exec/") && p != module+"/internal/exec/migrate"
		},
		forbidden: func(imp string) bool { return imp == module+"/internal/exec" },
	},
	{
		name:      "exec/migrate calls AWS through exec and exec/bucketops, never a service package, and renders nothing",
		applies:   func(p string) bool { return p == module+"/internal/exec/migrate" },
		forbidden: func(imp string) bool { return isAWSService(imp) || strings.HasPrefix(imp, module+"/cmd/") },
	},
}

// debts are the imports that break a rule and are still being moved out:
// "package import". The test fails on a new breach and on a debt that is
// paid, so the list stays exact. It is empty: keep it so.
var debts = map[string]bool{}

func TestImportRules(t *testing.T) {
	var breaches []string
	for _, p := range listPackages(t) {
		for _, r := range rules {
			if !r.applies(p.ImportPath) {
				continue
			}
			for _, imp := range p.Imports {
				if r.forbidden(imp) {
					breaches = append(breaches, p.ImportPath+" "+imp+"\t"+r.name)
				}
			}
		}
	}
	sort.Strings(breaches)
	seen := map[string]bool{}
	for _, b := range breaches {
		key, why, _ := strings.Cut(b, "\t")
		seen[key] = true
		if !debts[key] {
			t.Errorf("%s imports %s: %s", strings.Fields(key)[0], strings.Fields(key)[1], why)
		}
	}
	for d := range debts {
		if !seen[d] {
			t.Errorf("%q no longer breaks a rule: remove it from debts", d)
		}
	}
}
