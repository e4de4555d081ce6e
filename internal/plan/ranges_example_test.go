package plan_test

import (
	"fmt"

	"github.com/lakesync/lakesync/internal/plan"
)

// A job's listing divided into key ranges: boundaries from the common
// prefixes of a delimiter listing, the S3 parameters of each range, and a
// range that proves large handing its rest on in pieces.
func ExampleTile() {
	bounds := plan.BoundariesFromPrefixes([]string{"2024/", "2025/"}, 8)
	ranges, _ := plan.Tile(bounds)
	for _, r := range ranges {
		fmt.Printf("%-22s StartAfter=%q\n", r, r.StartAfter("exports/"))
	}
	// The range of 2025/ listed up to a key: its rest, in two.
	seen := &plan.Alphabet{}
	seen.Add("2025/01/part-0001.parquet")
	rest, _ := ranges[2].Rest("2025/01/part-0001.parquet")
	for _, r := range rest.Split(2, seen, plan.MaxKeyBytes) {
		fmt.Println(r)
	}
	// Output:
	// (-inf, "2024/"]        StartAfter=""
	// ("2024/", "2025/"]     StartAfter="exports/2024/"
	// ("2025/", "20250"]     StartAfter="exports/2025/"
	// ("20250", +inf)        StartAfter="exports/20250"
	// ("2025/01/part-0001.parquet", "2025/p"]
	// ("2025/p", "20250"]
}
