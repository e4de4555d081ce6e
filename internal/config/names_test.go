package config

import (
	"strings"
	"testing"
)

func TestNearest(t *testing.T) {
	tests := []struct {
		given      string
		candidates []string
		want       string
	}{
		{"prdo", []string{"lake", "prod"}, "prod"},
		{"ab", []string{"ad", "ac"}, "ac"},       // a tie: the first in sorted order
		{"lake", []string{"lakexyz"}, "lakexyz"}, // 3 edits
		{"lake", []string{"lakewxyz"}, ""},       // 4 edits
		{"ab", []string{"xy"}, "xy"},             // as many edits as characters
		{"a", []string{"xyz"}, ""},               // 3 edits for 1 character
		{"x", nil, ""},
	}
	for _, tt := range tests {
		if got := Nearest(tt.given, tt.candidates); got != tt.want {
			t.Errorf("Nearest(%q, %q) = %q, want %q", tt.given, tt.candidates, got, tt.want)
		}
	}
}

// TestBucketNameRules checks the naming rules of S3 general purpose
// buckets (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
func TestBucketNameRules(t *testing.T) {
	const (
		length  = "must be 3 to 63 characters long"
		charset = "may contain only lower-case letters, digits, '.' and '-', and must begin and end with a letter or digit"
	)
	for name, want := range map[string]string{
		"abc":                   "",
		strings.Repeat("a", 63): "",
		"konfir.data-lake":      "",
		"1bucket":               "",
		"a.b.c":                 "",
		"xn-bucket":             "", // the reserved prefix is xn--
		"bucket-s3alias-1":      "", // a reserved suffix only at the end
		"ab":                    length,
		strings.Repeat("a", 64): length,
		"":                      length,
		"MyBucket":              "must be lower case",
		"my_bucket":             charset,
		"-bucket":               charset,
		"bucket-":               charset,
		".bucket":               charset,
		"my..bucket":            "must not contain two adjacent periods",
		"my.-bucket":            "must not have a period next to a hyphen",
		"my-.bucket":            "must not have a period next to a hyphen",
		"192.168.5.4":           "must not be formatted as an IP address",
		"xn--bucket":            `must not start with the reserved prefix "xn--"`,
		"sthree-bucket":         `must not start with the reserved prefix "sthree-"`,
		"amzn-s3-demo-bucket":   `must not start with the reserved prefix "amzn-s3-demo-"`,
		"bucket-s3alias":        `must not end with the reserved suffix "-s3alias"`,
		"bucket--ol-s3":         `must not end with the reserved suffix "--ol-s3"`,
		"bucket.mrap":           `must not end with the reserved suffix ".mrap"`,
		"bucket--x-s3":          `must not end with the reserved suffix "--x-s3"`,
		"bucket--table-s3":      `must not end with the reserved suffix "--table-s3"`,
	} {
		if got := bucketNameProblem(name); got != want {
			t.Errorf("bucketNameProblem(%q) = %q, want %q", name, got, want)
		}
	}
}
