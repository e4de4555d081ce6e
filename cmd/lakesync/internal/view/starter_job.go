package view

import (
	"fmt"
	"strings"

	"github.com/lakesync/lakesync/internal/plan"
)

// role declares the copier role: the first candidate of the source
// account (push), else of the destination account (pull), else a
// placeholder to create. It returns the label.
func (r *starter) role(srcLabel, destLabel string) string {
	type cand struct {
		acct, id string
		role     plan.EstateRole
	}
	var all []cand
	for _, x := range r.e.Source.Roles {
		all = append(all, cand{srcLabel, r.e.Source.ID, x})
	}
	for _, x := range r.e.Destination.Roles {
		all = append(all, cand{destLabel, r.e.Destination.ID, x})
	}
	r.p("# The copier role: every server-side copy runs as it. In the source account")
	r.p("# it pushes (the destination's bucket and key policies grant it); in the")
	r.p("# destination account it pulls (the source's grant it).")
	acct, name := srcLabel, "lakesync-copier"
	if len(all) == 0 {
		r.p("# TODO: no candidate role was found (by name: %s; or a trust policy naming", strings.Join(plan.CopierRoleWords, ", "))
		r.p("# the other account). Create the role in the account that should run the copy and name it here.")
	} else {
		acct, name = all[0].acct, all[0].role.Name
		r.p("# TODO: topology (push or pull) and role: init chose the first candidate; confirm or pick another:")
		for _, c := range all {
			r.p("#   %s in account %s: %s", c.role.ARN, c.id, c.role.Reason)
		}
	}
	r.p("role %q {", "copier")
	r.p("account = account.%s", acct)
	r.p("name = %q", name)
	r.p("}")
	r.p("")
	return "copier"
}

func (r *starter) job(p plan.EstatePair, role string) {
	src, dest := r.buckets[p.Source], r.buckets[p.Destination]
	if p.Guess {
		r.p("# TODO: a guess: no bucket names share a word, so init paired the first source bucket")
		r.p("# with the destination that looks most like a data lake. Confirm the pair.")
	} else {
		r.p("# Paired because both bucket names have %s.", quoteAll(p.Shared))
	}
	r.p("sync %q {", r.label("sync", src+"_to_"+dest))
	r.p("source = bucket.%s", src)
	r.p("destination = bucket.%s", dest)
	r.p("role = role.%s", role)
	r.p("# TODO: mode: \"sync\" copies only new or changed objects; \"cp\" every selected object, every run.")
	r.p("mode = \"sync\"")
	r.p("# TODO: source_prefix: copy only part of the source, e.g. \"exports/\" (unset: the whole bucket).")
	r.p("# source_prefix = \"\"")
	r.p("# TODO: destination_prefix: where the copies land; jobs into one bucket need prefixes that do not overlap.")
	r.p("destination_prefix = %q", p.Source+"/")
	r.p("}")
	r.p("")
}

func encryption(b plan.EstateBucket) string {
	switch b.Encryption {
	case "":
		return "no default encryption"
	case "AES256":
		return "default encryption SSE-S3"
	case "aws:kms", "aws:kms:dsse":
		if b.KeyARN == "" {
			return fmt.Sprintf("default encryption %s with the AWS managed key aws/s3", b.Encryption)
		}
		return fmt.Sprintf("default encryption %s with key %s", b.Encryption, b.KeyARN)
	}
	return "default encryption " + b.Encryption
}

func orNone(s, none string) string {
	if s == "" {
		return none
	}
	return s
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

func aliasList(aliases []string) string {
	if len(aliases) == 0 {
		return ""
	}
	return " (" + strings.Join(aliases, ", ") + ")"
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, " and ")
}
