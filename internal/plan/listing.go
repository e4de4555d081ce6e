package plan

// DataListing says whether a plan listed a job's data before the run, and
// when not, when the data is listed.
type DataListing string

const (
	// DataListed: the plan listed the job's data; JobPlan.Data counts
	// what a run would do.
	DataListed DataListing = "listed"
	// DataWhileCopying: apply without a saved plan does not list before
	// copying: the listing streams into the copy, so nothing is counted
	// beforehand and JobPlan.Data is nil.
	DataWhileCopying DataListing = "while_copying"
	// DataSkipped: plan --skip-data listed nothing; JobPlan.Data is nil
	// and an apply of the plan lists the data while copying.
	DataSkipped DataListing = "skipped"
)

// Listing is the job's DataListing. A plan saved before the field
// existed has none: its data was listed exactly when Data is set.
func (j *JobPlan) Listing() DataListing {
	switch {
	case j.DataListing != "":
		return j.DataListing
	case j.Data != nil:
		return DataListed
	}
	return DataSkipped
}

// Unlisted names the jobs whose data the plan did not list, with their
// listing (DataWhileCopying or DataSkipped; "" when the plan listed every
// job's data): a plan's counts are the whole of the data only then.
func (p *Plan) Unlisted() (jobs []string, l DataListing) {
	for _, j := range p.Jobs {
		if jl := j.Listing(); jl != DataListed {
			jobs = append(jobs, j.Name)
			l = jl
		}
	}
	return jobs, l
}

// listing is the DataListing of a job Compute plans: listed when exec
// observed its data, else why not.
func (o *Observed) listing(job string) DataListing {
	switch {
	case o.Data[job] != nil:
		return DataListed
	case o.DataNotListed != "":
		return o.DataNotListed
	}
	return DataSkipped
}
