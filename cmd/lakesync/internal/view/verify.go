package view

import (
	"fmt"
	"io"

	"github.com/lakesync/lakesync/internal/exec/copier"
)

// Verify shows lakesync verify: the result of each job as it is compared,
// then Done.
type Verify interface {
	Result(res *copier.VerifyResult)
	Done() error
}

// NewVerify is verify's view: with JSON, one document of every result at
// the end; else each job's differences and counts as it ends.
func NewVerify(f Format, w io.Writer) Verify {
	if f == JSON {
		return &jsonVerify{w: w}
	}
	return humanVerify{w}
}

type humanVerify struct{ w io.Writer }

func (v humanVerify) Result(res *copier.VerifyResult) {
	for _, d := range res.Differences {
		key := d.Key
		if key == "" {
			key = d.DestKey
		}
		fmt.Fprintf(v.w, "%s: %s -> %s: %s\n", d.Job, key, d.DestKey, d.Problem)
	}
	fmt.Fprintf(v.w, "%s: %s objects compared (%s by checksum, %s by content), %d difference(s)\n",
		res.Job, num(res.Objects), num(res.Checksummed), num(res.Hashed), len(res.Differences))
}

func (humanVerify) Done() error { return nil }

type jsonVerify struct {
	w       io.Writer
	results []*copier.VerifyResult
}

func (v *jsonVerify) Result(res *copier.VerifyResult) { v.results = append(v.results, res) }

func (v *jsonVerify) Done() error { return WriteJSON(v.w, v.results) }
