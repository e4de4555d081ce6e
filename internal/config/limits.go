package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// The request limits of a sync job (issue 14).
const (
	// ConcurrencyAuto is Job.Concurrency when concurrency is "auto" (the
	// default): the copier adapts the requests in flight, starting at
	// DefaultConcurrency, up to MaxConcurrency and the memory its stream
	// buffers may take.
	ConcurrencyAuto = 0
	// MaxConcurrency is the most requests in flight, fixed or adaptive.
	MaxConcurrency = 4096
)

// decodeLimits decodes concurrency, max_requests_per_second and
// bandwidth; transfer must be decoded already (bandwidth is refused on a
// server-side job).
func (d *decoder) decodeLimits(j *Job, at hcl.Attributes) {
	d.decodeConcurrency(j, at)
	if v, attr, ok := d.value(at, "max_requests_per_second", cty.DynamicPseudoType); ok {
		rps, err := strconv.ParseFloat(strings.TrimSpace(numberText(v)), 64)
		if err != nil || rps <= 0 || rps > 1e9 {
			d.errorf(attr.Expr.Range().Ptr(), "Invalid request rate",
				"max_requests_per_second is the most requests the job starts per second, retries included: a positive number like 500 (remove it for no cap); %s is not.", valueText(v))
		} else {
			j.MaxRequestsPerSecond = rps
		}
	}
	if s, attr := d.str(at, "bandwidth"); attr != nil && s != "" {
		n, err := ParseBandwidth(s)
		switch {
		case err != nil:
			d.errorf(attr.Expr.Range().Ptr(), "Invalid bandwidth", "bandwidth: %s.", err)
		case j.Transfer == TransferServerSide:
			d.errorf(attr.Expr.Range().Ptr(), "Bandwidth on a server-side job",
				"bandwidth caps the bytes per second a stream job moves through this machine; a server-side job's bytes never pass through it (S3 copies them with CopyObject and UploadPartCopy), so there is nothing to cap. Remove bandwidth, or set transfer = \"stream\".")
		default:
			j.Bandwidth = n
		}
	}
}

func (d *decoder) decodeConcurrency(j *Job, at hcl.Attributes) {
	v, attr, ok := d.value(at, "concurrency", cty.DynamicPseudoType)
	if !ok {
		return
	}
	text := numberText(v)
	if strings.TrimSpace(text) == "auto" {
		j.Concurrency = ConcurrencyAuto
		return
	}
	n, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
	if err != nil {
		d.errorf(attr.Expr.Range().Ptr(), "Invalid concurrency",
			"concurrency is \"auto\" (the default: adaptive, starting at %d requests in flight) or a whole number of requests in flight from 1 to %d, not %s. Write concurrency = \"auto\" or a number, like concurrency = 256.",
			DefaultConcurrency, MaxConcurrency, valueText(v))
		return
	}
	if n < 1 || n > MaxConcurrency {
		d.errorf(attr.Expr.Range().Ptr(), "Concurrency out of range",
			"concurrency is the number of requests in flight, from 1 to %d, or \"auto\" (the default: adaptive, starting at %d); %d is out of range.", MaxConcurrency, DefaultConcurrency, n)
		return
	}
	j.Concurrency = int(n)
}

// numberText is v as text: a string as is (variables are strings), a
// number in full, anything else empty.
func numberText(v cty.Value) string {
	switch v.Type() {
	case cty.String:
		return v.AsString()
	case cty.Number:
		return v.AsBigFloat().Text('f', -1)
	}
	return ""
}

// valueText is v as a user wrote it, for a message.
func valueText(v cty.Value) string {
	switch v.Type() {
	case cty.String:
		return strconv.Quote(v.AsString())
	case cty.Number:
		return v.AsBigFloat().Text('g', -1)
	}
	return "a " + v.Type().FriendlyName()
}

// ParseBandwidth parses a bandwidth in bytes per second: a size as
// ParseSize reads it, with or without "/s" ("200MiB", "200MiB/s", "1.5GB/s").
// It must be at least one byte per second.
func ParseBandwidth(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if rest, ok := strings.CutSuffix(strings.ToLower(t), "/s"); ok {
		t = strings.TrimSpace(t[:len(rest)])
	}
	n, err := ParseSize(t)
	if err != nil {
		return 0, fmt.Errorf("%q is not a bandwidth: write bytes per second as a size, like \"200MiB\" or \"1GB/s\"", s)
	}
	if n < 1 {
		return 0, fmt.Errorf("%q is no bandwidth: write at least one byte per second, like \"200MiB\" (remove it for no cap)", s)
	}
	return n, nil
}
