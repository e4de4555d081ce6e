package policy

import "strings"

// Context is a request context: condition key -> values. A key that is
// present with no values is known to be absent from the request; a key not
// in the map is unknown, and conditions on it evaluate to "maybe".
type Context map[string][]string

// evalCondition decides a Condition block against a context: every operator
// and every key must hold; a key holds if any of its values matches.
func evalCondition(c Condition, ctx Context) match {
	out := yes
	for op, keys := range c {
		for key, want := range keys {
			got, known := lookupFold(ctx, key)
			out = and(out, evalOperator(op, want, got, known))
		}
	}
	return out
}

// evalOperator follows the IAM rules for one operator and key: a key that is
// missing from the request makes positive operators false and negated ones
// true, except ...IfExists (true) and Null (tests presence). Operators this
// evaluator does not implement (numeric, date, IP, binary) answer maybe.
func evalOperator(op string, want Values, got []string, known bool) match {
	setOp := ""
	if i := strings.IndexByte(op, ':'); i >= 0 {
		setOp, op = op[:i], op[i+1:]
	}
	ifExists := false
	if base, ok := strings.CutSuffix(op, "IfExists"); ok {
		op, ifExists = base, true
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
	if !ok || (setOp != "" && setOp != "ForAnyValue" && setOp != "ForAllValues") {
		return maybe
	}
	if !known {
		return maybe
	}
	if len(got) == 0 {
		switch {
		case ifExists, setOp == "ForAllValues":
			return yes
		case negated:
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
