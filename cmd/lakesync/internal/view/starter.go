package view

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/lakesync/lakesync/internal/plan"
)

// Starter renders the starter configuration of lakesync init: the two
// accounts, the buckets and keys of the proposed jobs, a copier role and
// one sync job per pair, with a comment on what was found and a # TODO
// for each choice init cannot make. The text is formatted by hclwrite, as
// lakesync fmt formats it.
func Starter(e *plan.Estate, pairs []plan.EstatePair) []byte {
	r := &starter{e: e, used: map[string]bool{}, buckets: map[string]string{}, keys: map[string]string{}}
	r.render(pairs)
	return hclwrite.Format([]byte(r.b.String()))
}

type starter struct {
	e       *plan.Estate
	b       strings.Builder
	used    map[string]bool   // block labels taken, "type.label"
	buckets map[string]string // bucket name -> label
	keys    map[string]string // key ARN -> label
}

func (r *starter) p(format string, args ...any) { fmt.Fprintf(&r.b, format+"\n", args...) }

// label is a block label of type typ made from s, unique among its type.
func (r *starter) label(typ, s string) string {
	l := sanitize(typ, s)
	base := l
	for i := 2; r.used[typ+"."+l]; i++ {
		l = fmt.Sprintf("%s_%d", base, i)
	}
	r.used[typ+"."+l] = true
	return l
}

// sanitize makes s a block name: lower case letters, digits and '_',
// starting with a letter.
func sanitize(typ, s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' {
			b.WriteRune(c)
		} else {
			b.WriteByte('_')
		}
	}
	l := strings.Trim(b.String(), "_")
	if l == "" || l[0] < 'a' || l[0] > 'z' {
		l = typ + "_" + l
	}
	return l
}

func (r *starter) render(pairs []plan.EstatePair) {
	src, dest := &r.e.Source, &r.e.Destination
	r.p("# Starter configuration written by lakesync init from what the profiles")
	r.p("# %q (account %s) and %q (account %s) can read.", src.Profile, src.ID, dest.Profile, dest.ID)
	r.p("# Review every TODO, then run lakesync validate and lakesync plan.")
	r.p("")
	srcLabel, destLabel := "source", "destination"
	if s, d := sanitize("account", src.Profile), sanitize("account", dest.Profile); s != d && src.Profile != "" && dest.Profile != "" {
		srcLabel, destLabel = s, d
	}
	r.used["account."+srcLabel], r.used["account."+destLabel] = true, true
	r.account(srcLabel, src, "source")
	r.account(destLabel, dest, "destination")
	for _, side := range []struct {
		a     *plan.EstateAccount
		label string
		dest  bool
	}{{src, srcLabel, false}, {dest, destLabel, true}} {
		for _, name := range pairedBuckets(pairs, side.dest) {
			r.bucket(side.a, side.label, name, side.dest)
		}
		r.others(side.a, pairs, side.dest)
	}
	role := r.role(srcLabel, destLabel)
	if len(pairs) == 0 {
		r.p("# TODO: no sync job: the source account has %d bucket(s) and the destination %d.", len(src.Buckets), len(dest.Buckets))
		r.p("# Declare a bucket block for each side and add a sync block (see the README).")
		return
	}
	for _, pr := range pairs {
		r.job(pr, role)
	}
}

func (r *starter) account(label string, a *plan.EstateAccount, side string) {
	if a.ARN != "" {
		r.p("# The %s account, as profile %q sees it (%s).", side, a.Profile, a.ARN)
	} else {
		r.p("# The %s account, as profile %q sees it.", side, a.Profile)
	}
	r.p("account %q {", label)
	r.p("id = %q", a.ID)
	r.p("region = %q", a.Region)
	r.p("profile = %q", a.Profile)
	if a.Endpoint != "" {
		r.p("# The profile's endpoint: a local or S3-compatible store. Remove both lines for AWS.")
		r.p("endpoint_url = %q", a.Endpoint)
		r.p("s3_force_path_style = true")
	}
	r.p("}")
	r.p("")
}

// pairedBuckets are the source (or destination) buckets of the pairs, in
// the order of first use.
func pairedBuckets(pairs []plan.EstatePair, dest bool) []string {
	var out []string
	for _, p := range pairs {
		n := p.Source
		if dest {
			n = p.Destination
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}
