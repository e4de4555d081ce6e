package view

import (
	"fmt"

	"github.com/lakesync/lakesync/internal/plan"
)

// createdSettings lists the settings lakesync gives a bucket it creates.
func createdSettings(c *plan.BucketCreation) []string {
	out := []string{
		fmt.Sprintf("default encryption: aws:kms %s, bucket key enabled", c.KeyARN),
		"object ownership: " + c.ObjectOwnership,
		"block public access: all four on",
		fmt.Sprintf("abort incomplete multipart uploads after %d days", c.AbortIncompleteDays),
	}
	if c.Versioning {
		out = append(out, "versioning: enabled")
	}
	return out
}

const neverDeleted = "removing the bucket block later never deletes the bucket"

// creations shows the buckets apply creates, before anything else.
func (v *planView) creations(cs []*plan.BucketCreation) {
	for _, c := range cs {
		fmt.Fprintf(v.w, "  %s bucket %s will be created in account %s (%s), region %s\n", v.marker(plan.ActionCreate), c.Bucket, c.AccountName, c.AccountID, c.Region)
		for _, s := range createdSettings(c) {
			fmt.Fprintf(v.w, "      %s\n", s)
		}
		fmt.Fprintf(v.w, "      # %s (create = true); %s\n\n", c.Address, neverDeleted)
	}
}

func (v *markdownView) creations(cs []*plan.BucketCreation) {
	if len(cs) == 0 {
		return
	}
	fmt.Fprintln(v.w, "### Buckets to create")
	fmt.Fprintln(v.w)
	for _, c := range cs {
		fmt.Fprintf(v.w, "- **+** bucket %s will be created in account %s (%s), region %s:", mdCode(c.Bucket), mdText(c.AccountName), mdText(c.AccountID), mdText(c.Region))
		for i, s := range createdSettings(c) {
			sep := ";"
			if i == 0 {
				sep = ""
			}
			fmt.Fprintf(v.w, "%s %s", sep, mdText(s))
		}
		fmt.Fprintf(v.w, ". %s.\n", mdText("Removing the bucket block later never deletes the bucket"))
	}
	fmt.Fprintln(v.w)
}
