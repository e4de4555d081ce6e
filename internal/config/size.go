package config

import (
	"fmt"
	"strconv"
	"strings"
)

// S3 limits on multipart uploads.
const (
	MinPartSize  = 5 << 20 // 5 MiB
	MaxPartSize  = 5 << 30 // 5 GiB
	MaxParts     = 10000   // parts per upload
	MaxCopySize  = 5 << 30 // largest single CopyObject
	MaxObjectLen = 5 << 40 // 5 TiB
	minThreshold = MinPartSize
)

var sizeUnits = map[string]int64{
	"":    1,
	"b":   1,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
	"kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
}

// ParseSize parses a size such as "8MiB", "5 GiB", "100MB" or "1048576".
// Binary units (KiB, MiB, GiB, TiB) are powers of 1024, decimal ones (KB,
// MB, GB, TB) powers of 1000; units are case-insensitive. A size must be a
// whole number of bytes, at most 2^62 (4194304TiB).
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	mult, ok := sizeUnits[unit]
	if num == "" || !ok {
		return 0, fmt.Errorf("%q is not a size: write a number and a unit, like \"8MiB\" or \"5GiB\"", s)
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a size: write a number and a unit, like \"8MiB\" or \"5GiB\"", s)
	}
	v := f * float64(mult)
	if v > float64(1<<62) {
		return 0, fmt.Errorf("%q is too large", s)
	}
	if v != float64(int64(v)) {
		return 0, fmt.Errorf("%q is not a whole number of bytes", s)
	}
	return int64(v), nil
}

// FormatSize renders n bytes with the largest binary unit that keeps it
// exact, e.g. 8388608 -> "8MiB".
func FormatSize(n int64) string {
	for _, u := range []struct {
		name string
		v    int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.v && n%u.v == 0 {
			return fmt.Sprintf("%d%s", n/u.v, u.name)
		}
	}
	return fmt.Sprintf("%dB", n)
}
