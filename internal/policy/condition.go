package policy

import (
	"sort"
	"strings"
)

// Context is a request context: condition key -> values. A key that is
// present with no values is known to be absent from the request; a key not
// in the map is unknown, and conditions on it evaluate to "maybe".
type Context map[string][]string

// term is one operator and key of a Condition block and how it answers a
// request: Op as written ("ForAnyValue:StringNotEqualsIfExists"), the key,
// the policy's values, and whether the request's context held the key
// (Absent: known to be missing; Known false: lakesync does not know it).
type term struct {
	Op     string
	Key    string
	Values Values
	Known  bool
	Absent bool
	Match  match
}

// conditionTerms answers every operator and key of a Condition block, in
// a fixed order (operators, then keys, sorted).
func conditionTerms(c Condition, ctx Context) []term {
	ops := make([]string, 0, len(c))
	for op := range c {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	var out []term
	for _, op := range ops {
		keys := make([]string, 0, len(c[op]))
		for k := range c[op] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, key := range keys {
			got, known := lookupFold(ctx, key)
			out = append(out, term{Op: op, Key: key, Values: c[op][key], Known: known, Absent: known && len(got) == 0,
				Match: evalOperator(op, c[op][key], got, known)})
		}
	}
	return out
}

// evalCondition decides a Condition block against a context: every operator
// and every key must hold; a key holds if any of its values matches.
func evalCondition(c Condition, ctx Context) match {
	out := yes
	for _, t := range conditionTerms(c, ctx) {
		out = and(out, t.Match)
	}
	return out
}

// undecidedKeys are the condition keys whose terms answered maybe.
func undecidedKeys(ts []term) []string {
	var out []string
	for _, t := range ts {
		if t.Match == maybe {
			out = appendUnique(out, t.Key)
		}
	}
	return out
}

// evalOperator follows the IAM rules for one operator and key. AWS
// documents them in "IAM JSON policy elements: Condition operators"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
//
//	If the key that you specify in a policy condition is not present in the
//	request context, the values do not match and the condition is false. If
//	the policy condition requires that the key is not matched, such as
//	StringNotLike or ArnNotLike, and the right key is not present, the
//	condition is true. This logic applies to all condition operators except
//	...IfExists and Null check.
//
// So a key known to be absent makes positive operators false and negated
// ones true; ...IfExists is true; Null tests presence. For the set
// operators ("Multivalued context keys"), ForAllValues is true and
// ForAnyValue false when the key is absent, whatever the operator after
// them. A key the context does not know, the operators this evaluator
// does not implement (numeric, date, IP, binary), and an operator
// qualified by anything but a set operator answer maybe: lakesync never
// claims what AWS's rules do not settle.
func evalOperator(op string, want Values, got []string, known bool) match {
	setOp, op, ifExists, ok := splitOperator(op)
	if !ok {
		return maybe
	}
	if op == "Null" {
		if !known {
			return maybe
		}
		absent := len(got) == 0
		for _, w := range want {
			if strings.EqualFold(w, "true") == absent {
				return yes
			}
		}
		return no
	}
	cmp, negated, ok := comparator(op)
	if !ok || !known {
		return maybe
	}
	if len(got) == 0 {
		// On a missing key ForAllValues holds and ForAnyValue does not,
		// whatever they qualify; of the others, ...IfExists and the
		// negated operators hold.
		if setOp == "ForAllValues" || setOp == "" && (ifExists || negated) {
			return yes
		}
		return no
	}
	matches := func(v string) bool {
		for _, w := range want {
			if cmp(w, v) {
				return true
			}
		}
		return false
	}
	var hit bool
	if setOp == "ForAllValues" {
		hit = true
		for _, v := range got {
			if !matches(v) {
				hit = false
			}
		}
	} else {
		for _, v := range got {
			if matches(v) {
				hit = true
			}
		}
	}
	if hit != negated {
		return yes
	}
	return no
}

// splitOperator splits a condition operator as written
// ("ForAnyValue:StringNotEqualsIfExists") into its set operator, the
// operator it qualifies without IfExists, and whether it ends in IfExists.
// ok is false when the operator is qualified with anything but a set
// operator (":StringEquals", "ForEach:StringEquals"): no AWS operator.
func splitOperator(op string) (setOp, base string, ifExists, ok bool) {
	base, ok = op, true
	if pre, rest, found := strings.Cut(op, ":"); found {
		setOp, base = pre, rest
		ok = pre == "ForAnyValue" || pre == "ForAllValues"
	}
	base, ifExists = strings.CutSuffix(base, "IfExists")
	return setOp, base, ifExists, ok
}

// comparator returns how a policy value is compared with a request value,
// and whether the operator is negated.
func comparator(op string) (cmp func(want, got string) bool, negated, ok bool) {
	switch op {
	case "StringEquals", "StringNotEquals":
		cmp = func(w, g string) bool { return w == g }
	case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase":
		cmp = strings.EqualFold
	case "StringLike", "StringNotLike":
		cmp = func(w, g string) bool { return globMatch(w, g, false) }
	case "Bool":
		cmp = strings.EqualFold
	case "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike":
		cmp = arnLike
	default:
		return nil, false, false
	}
	return cmp, strings.Contains(op, "Not"), true
}

// arnLike compares an ARN pattern with an ARN component by component; each
// of the six components may hold wildcards.
func arnLike(pattern, arn string) bool {
	p := strings.SplitN(pattern, ":", 6)
	a := strings.SplitN(arn, ":", 6)
	if len(p) != 6 || len(a) != 6 {
		return false
	}
	for i := range p {
		if !globMatch(p[i], a[i], false) {
			return false
		}
	}
	return true
}
