package view

import "github.com/lakesync/lakesync/internal/plan"

type diffLine struct {
	action string // plan.ActionCreate, plan.ActionDelete or "" (context)
	text   string
}

// lineDiff is a longest-common-subsequence diff of two short line lists
// (one policy statement each), for the per-line markers of the plan view.
func lineDiff(a, b []string) []diffLine {
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []diffLine
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			out = append(out, diffLine{"", a[i]})
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			out = append(out, diffLine{plan.ActionCreate, b[j]})
			j++
		default:
			out = append(out, diffLine{plan.ActionDelete, a[i]})
			i++
		}
	}
	return out
}
