package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// ArchivedValues and RestoreTiers are the values archived and
// restore_tier accept.
var (
	ArchivedValues = []string{string(ArchivedSkip), string(ArchivedRestore), string(ArchivedFail)}
	RestoreTiers   = []string{RestoreTierBulk, RestoreTierStandard, RestoreTierExpedited}
)

// maxRestoreDays bounds restore_days to what S3's Days (an int32) holds.
const maxRestoreDays = 1<<31 - 1

// decodeArchived decodes archived, restore_tier and restore_days.
// restore_tier and restore_days only shape the restore requests of
// archived = "restore": with another value they would do nothing, so
// they are an error, as delete = true is with mode = "cp" (a silent no-op
// is how a user comes to believe objects are being restored).
func (d *decoder) decodeArchived(j *Job, at hcl.Attributes) {
	known := true
	if v, attr := d.str(at, "archived"); attr != nil && v != "" {
		if !contains(ArchivedValues, v) {
			known = false
			d.errorf(attr.Expr.Range().Ptr(), "Invalid archived",
				"archived is \"skip\" (the default: count archived objects and copy the others), \"restore\" (request a restore of each once, copy it once restored) or \"fail\" (fail the run, naming each), not %q.%s",
				v, didYouMean(strings.ToLower(v), slices.Clone(ArchivedValues)))
		} else {
			j.Archived = Archived(v)
		}
	}
	if v, attr := d.str(at, "restore_tier"); attr != nil && v != "" {
		if i := indexFold(RestoreTiers, v); i < 0 {
			d.errorf(attr.Expr.Range().Ptr(), "Invalid restore tier",
				"restore_tier is \"Bulk\" (the default: cheapest, 5-12 hours from GLACIER, up to 48 hours from DEEP_ARCHIVE), \"Standard\" (3-5 hours, 12 hours from DEEP_ARCHIVE) or \"Expedited\" (1-5 minutes, GLACIER only), not %q.", v)
		} else if RestoreTiers[i] != v {
			d.errorf(attr.Expr.Range().Ptr(), "Invalid restore tier",
				"S3's tier names are capitalised: write restore_tier = %q, not %q.", RestoreTiers[i], v)
		} else {
			j.RestoreTier = v
		}
	}
	if n, attr, ok := d.integer(at, "restore_days"); ok {
		if n < 1 || n > maxRestoreDays {
			d.errorf(attr.Expr.Range().Ptr(), "Invalid restore days",
				"restore_days is how many days a restored copy stays readable, at least 1 (default %d); %d is out of range. Give the runs of the job time to copy it: more days than between two runs.", DefaultRestoreDays, n)
		} else {
			j.RestoreDays = int(n)
		}
	}
	if j.Archived == ArchivedRestore || !known {
		return // an invalid archived is reported already
	}
	current := fmt.Sprintf("archived = %q", j.Archived)
	if at["archived"] == nil {
		current += " (the default)"
	}
	for _, name := range []string{"restore_tier", "restore_days"} {
		if attr := at[name]; attr != nil {
			d.errorf(attr.Range.Ptr(), fmt.Sprintf("%s without archived = \"restore\"", name),
				"%s shapes the restore requests that archived = \"restore\" sends; with %s nothing is restored. Set archived = \"restore\", or remove %s.", name, current, name)
		}
	}
}

// indexFold is the index of s in list, ignoring case, or -1.
func indexFold(list []string, s string) int {
	for i, x := range list {
		if strings.EqualFold(x, s) {
			return i
		}
	}
	return -1
}
