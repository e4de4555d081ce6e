package config

import "strings"

// JobID reduces a job name to the alphanumeric CamelCase form used in the
// Sid of every policy statement lakesync writes: the name is split on every
// rune that is not an ASCII letter or digit, the first letter of each part
// is upper-cased and the separators are dropped ("prod_to_lake" ->
// "ProdToLake"). Two jobs whose IDs are equal would own each other's
// statements, so the decoder refuses them.
func JobID(name string) string {
	var b strings.Builder
	upper := true
	for _, r := range name {
		if r >= 'a' && r <= 'z' {
			if upper {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
			upper = false
		} else if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			upper = false
		} else {
			upper = true
		}
	}
	return b.String()
}
