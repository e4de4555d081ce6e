package config

import "testing"

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
