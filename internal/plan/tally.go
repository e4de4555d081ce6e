package plan

import "iter"

// Count is a number of objects and their bytes.
type Count struct {
	Objects int64 `json:"objects"`
	Bytes   int64 `json:"bytes"`
}

// Tally counts the decisions of one job's merge: what a run would copy,
// delete, adopt and leave, without copying anything. Keys keeps the first
// MaxKeys keys (relative to the prefixes) of each action other than
// unchanged, for the plan to show.
type Tally struct {
	Counts  map[ObjectAction]Count    `json:"counts"`
	Keys    map[ObjectAction][]string `json:"keys,omitempty"`
	MaxKeys int                       `json:"-"`
}

// NewTally returns an empty tally keeping up to maxKeys keys per action.
func NewTally(maxKeys int) *Tally {
	return &Tally{Counts: map[ObjectAction]Count{}, Keys: map[ObjectAction][]string{}, MaxKeys: maxKeys}
}

// Add counts one item. The bytes of a copy, adoption or unchanged object
// are the source size; of a delete, the destination size.
func (t *Tally) Add(it Item) {
	var size int64
	switch {
	case it.ObjectAction == ObjectDelete && it.Destination != nil:
		size = it.Destination.Size
	case it.Source != nil:
		size = it.Source.Size
	}
	c := t.Counts[it.ObjectAction]
	c.Objects++
	c.Bytes += size
	t.Counts[it.ObjectAction] = c
	if it.ObjectAction != ObjectUnchanged && len(t.Keys[it.ObjectAction]) < t.MaxKeys {
		t.Keys[it.ObjectAction] = append(t.Keys[it.ObjectAction], it.Rel)
	}
}

// Copy is the total of the copy actions.
func (t *Tally) Copy() Count {
	var sum Count
	for a, c := range t.Counts {
		if a.Copies() {
			sum.Objects += c.Objects
			sum.Bytes += c.Bytes
		}
	}
	return sum
}

// TallyMerge counts every item of a merge.
func TallyMerge(items iter.Seq2[Item, error], maxKeys int) (*Tally, error) {
	t := NewTally(maxKeys)
	for it, err := range items {
		if err != nil {
			return nil, err
		}
		t.Add(it)
	}
	return t, nil
}
