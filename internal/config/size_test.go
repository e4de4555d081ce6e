package config

import (
	"testing"
)

func TestParseSizeDigitsAndLimit(t *testing.T) {
	for in, want := range map[string]int64{
		"9":                   9,
		"90KiB":               90 << 10,
		"0.5MiB":              512 << 10,
		" 16 MiB ":            16 << 20,
		"16mib":               16 << 20,
		"1KB":                 1000,
		"4194304TiB":          1 << 62, // the largest size
		"4611686018427387904": 1 << 62,
	} {
		got, err := ParseSize(in)
		if err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"4194305TiB", "4611686018427387905000"} {
		if got, err := ParseSize(in); err == nil || err.Error() != `"`+in+`" is too large` {
			t.Errorf("ParseSize(%q) = %d, %v; want %q is too large", in, got, err, in)
		}
	}
}

// TestFormatSize checks the largest binary unit that keeps the size exact.
func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{
		0:                 "0B",
		1:                 "1B",
		1023:              "1023B",
		1 << 10:           "1KiB",
		1536:              "1536B",
		1025:              "1025B",
		5 << 20:           "5MiB",
		(1 << 20) + 1024:  "1025KiB",
		1 << 30:           "1GiB",
		5 << 30:           "5GiB",
		3 << 40:           "3TiB",
		(1 << 40) + 1<<30: "1025GiB",
	} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}
