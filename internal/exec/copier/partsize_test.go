package copier

import (
	"net/url"
	"strings"
	"testing"
)

func TestCopySourceHeader(t *testing.T) {
	for _, key := range []string{"a/b c+d%e?f#g/é ü.parquet", "plain/key.csv", "x&y=z;,@$!'()*[]"} {
		h := CopySourceHeader("bkt", key, "")
		got, err := url.PathUnescape(h)
		if err != nil || got != "bkt/"+key {
			t.Errorf("CopySourceHeader(%q) = %q, decodes to %q, %v", key, h, got, err)
		}
		for _, c := range " +%?#" {
			if strings.ContainsRune(h[4:], c) && c != '%' {
				t.Errorf("CopySourceHeader(%q) = %q keeps %q", key, h, c)
			}
		}
	}
	if got, want := CopySourceHeader("b", "a b/é+%~", ""), "b/a%20b/%C3%A9%2B%25~"; got != want {
		t.Errorf("CopySourceHeader = %q, want %q", got, want)
	}
	if got := CopySourceHeader("b", "k", "v 1"); got != "b/k?versionId=v+1" {
		t.Errorf("with version: %q", got)
	}
}
