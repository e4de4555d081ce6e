package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/testenv/faultproxy"
)

// report is what one soak run did and found.
type report struct {
	opts    options
	Objects int
	Bytes   int64
	Summary copier.CopySummary
	Proxy   faultproxy.Counts
	Verify  *copier.VerifyResult

	Sampled          int // objects compared byte for byte
	SampleMismatches int
	LostKeys         []string // source objects missing or different at the destination
	StateRecords     int

	PutTime, CopyTime, VerifyTime time.Duration
}

// passed reports whether nothing was lost or failed and the state holds
// exactly the objects.
func (r *report) passed() bool {
	return r.Verify != nil && r.Verify.Objects == int64(r.Objects) && len(r.LostKeys) == 0 &&
		r.Summary.Failed == 0 && r.StateRecords == r.Objects
}

// rows are the report's figures, in the order both views print them.
func (r *report) rows() [][2]string {
	rows := [][2]string{
		{"objects", fmt.Sprintf("%d (%d multipart), %.1f MiB", r.Objects, r.opts.Multipart, float64(r.Bytes)/(1<<20))},
		{"transfer, concurrency", fmt.Sprintf("%s, %d", r.opts.Transfer, r.opts.Concurrency)},
		{"requests through the proxy", fmt.Sprint(r.Proxy.Requests)},
	}
	for _, k := range faultproxy.Kinds {
		rows = append(rows, [2]string{"faults: " + string(k), fmt.Sprint(r.Proxy.Faults[k])})
	}
	rows = append(rows,
		[2]string{"faults: total", fmt.Sprint(r.Proxy.Total())},
		[2]string{"retries (SDK, in the copy summary)", fmt.Sprint(r.Summary.Retries)},
		[2]string{"copied / failed", fmt.Sprintf("%d / %d", r.Summary.Copied, r.Summary.Failed)},
	)
	if v := r.Verify; v != nil {
		how := fmt.Sprintf("%d compared, %d by checksum", v.Objects, v.Checksummed)
		if r.opts.Full {
			how += fmt.Sprintf(", %d by content", v.Hashed)
		}
		rows = append(rows, [2]string{"verified (size, checksum)", how})
	}
	rows = append(rows,
		[2]string{"compared byte for byte", fmt.Sprintf("%d (%d differ)", r.Sampled, r.SampleMismatches)},
		[2]string{"objects lost", fmt.Sprint(len(r.LostKeys))},
		[2]string{"state records", fmt.Sprintf("%d (objects: %d)", r.StateRecords, r.Objects)},
		[2]string{"time: put / copy / verify", fmt.Sprintf("%s / %s / %s", r.PutTime.Round(time.Second), r.CopyTime.Round(time.Second), r.VerifyTime.Round(time.Second))},
		[2]string{"result", map[bool]string{true: "PASS", false: "FAIL"}[r.passed()]},
	)
	return rows
}

func (r *report) print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, row := range r.rows() {
		fmt.Fprintf(tw, "%s\t%s\n", row[0], row[1])
	}
	tw.Flush()
	for _, l := range r.LostKeys {
		fmt.Fprintf(w, "lost: %s\n", l)
	}
}

// writeMarkdown writes the report to path, replacing it.
func (r *report) writeMarkdown(path string) error {
	var b strings.Builder
	o := r.opts
	fmt.Fprintf(&b, "# Soak: sync through the fault proxy\n\n")
	fmt.Fprintf(&b, "Run %s with `bench/soak/run --objects %d --multipart %d --seed %d --fault-rate %g --concurrency %d --transfer %s --sample %d",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), o.Objects, o.Multipart, o.Seed, o.FaultRate, o.Concurrency, o.Transfer, o.Sample)
	if o.Full {
		b.WriteString(" --full")
	}
	fmt.Fprintf(&b, "` on moto_server, %s/%s, %d CPUs, %s.\n\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	b.WriteString("| | |\n|---|---|\n")
	for _, row := range r.rows() {
		fmt.Fprintf(&b, "| %s | %s |\n", row[0], row[1])
	}
	if len(r.LostKeys) > 0 {
		b.WriteString("\nLost:\n\n")
		for _, l := range r.LostKeys {
			fmt.Fprintf(&b, "- `%s`\n", l)
		}
	}
	fmt.Fprintf(&b, "\nFault rules (probability per matching request, times --fault-rate): ")
	var rules []string
	for _, rule := range faultRules(o.FaultRate) {
		s := fmt.Sprintf("%s %g", rule.Kind, rule.Probability)
		if rule.Burst > 1 {
			s += fmt.Sprintf(" (bursts of %d)", rule.Burst)
		}
		if rule.Delay > 0 {
			s += fmt.Sprintf(" (held %s; the client waits %s for headers)", rule.Delay, headerTimeout)
		}
		rules = append(rules, s)
	}
	b.WriteString(strings.Join(rules, ", ") + ". ok_with_error applies to CopyObject, UploadPartCopy and CompleteMultipartUpload only.\n")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
