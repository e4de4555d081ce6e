package policy

import (
	"strings"
	"testing"
)

// TestEvalOperator follows "IAM JSON policy elements: Condition operators"
// and "Set operators for multivalued context keys" in the IAM User Guide:
// string, Bool and ARN matching; a key absent from the request makes a
// positive operator false and a negated one true; ...IfExists is true when
// the key is absent and otherwise the operator it qualifies; Null "true"
// means absent; ForAllValues holds when every request value matches some
// policy value, and when the key is absent; ForAnyValue when at least one
// does, and never when the key is absent. The ForAllValues:StringNotLike
// rows are the table of the guide's example "Deny a single policy
// condition value for a multivalued context key". A key lakesync does not
// know, an operator it does not implement, and an operator no AWS policy
// has answer maybe.
func TestEvalOperator(t *testing.T) {
	const unknown = "?" // got: the context does not know the key
	tests := []struct {
		op   string
		want Values
		got  string // request values, comma-separated; "" for a key known absent
		out  match
	}{
		{"StringEquals", Values{"aws:kms"}, "aws:kms", yes},
		{"StringEquals", Values{"aws:kms"}, "AWS:KMS", no},
		{"StringEquals", Values{"AES256", "aws:kms"}, "aws:kms", yes},
		{"StringEquals", Values{"aws:kms"}, "", no},
		{"StringEquals", Values{"aws:kms"}, unknown, maybe},
		{"StringNotEquals", Values{"aws:kms"}, "aws:kms", no},
		{"StringNotEquals", Values{"aws:kms"}, "AES256", yes},
		{"StringNotEquals", Values{"AES256", "aws:kms"}, "aws:kms", no},
		{"StringNotEquals", Values{"aws:kms"}, "", yes},
		{"StringEqualsIgnoreCase", Values{"aws:kms"}, "AWS:KMS", yes},
		{"StringNotEqualsIgnoreCase", Values{"aws:kms"}, "AWS:KMS", no},
		{"StringNotEqualsIgnoreCase", Values{"aws:kms"}, "", yes},
		{"StringLike", Values{"prod/*"}, "prod/2024/", yes},
		{"StringLike", Values{"prod/*"}, "Prod/2024/", no},
		{"StringLike", Values{"log?/"}, "logs/", yes},
		{"StringLike", Values{"log?/"}, "log/", no},
		{"StringNotLike", Values{"prod/*"}, "dev/", yes},
		{"StringNotLike", Values{"prod/*"}, "prod/x", no},
		{"StringNotLike", Values{"prod/*"}, "", yes},
		{"Bool", Values{"true"}, "true", yes},
		{"Bool", Values{"false"}, "true", no},
		{"Bool", Values{"false"}, "", no},
		{"ArnEquals", Values{"arn:aws:iam::111122223333:role/Carlos"}, "arn:aws:iam::111122223333:role/Carlos", yes},
		{"ArnEquals", Values{"arn:aws:iam::111122223333:role/Carlos"}, "arn:aws:iam::444455556666:role/Carlos", no},
		{"ArnLike", Values{"arn:aws:iam::*:role/Car*"}, "arn:aws:iam::111122223333:role/Carlos", yes},
		{"ArnLike", Values{"arn:aws:iam::*:role/Car*"}, "arn:aws:iam::111122223333:user/Carlos", no},
		{"ArnLike", Values{"arn:aws:iam::*"}, "arn:aws:iam::111122223333:role/Carlos", no}, // five components
		{"ArnLike", Values{"*"}, "arn:aws:iam::111122223333:role/Carlos", no},
		{"ArnNotLike", Values{"arn:aws:iam::*:role/Car*"}, "arn:aws:iam::111122223333:role/Dave", yes},
		{"ArnNotLike", Values{"arn:aws:iam::*:role/Car*"}, "", yes},
		{"ArnNotEquals", Values{"arn:aws:iam::111122223333:role/Carlos"}, "arn:aws:iam::111122223333:role/Carlos", no},
		{"StringEqualsIfExists", Values{"vpce-1"}, "", yes},
		{"StringEqualsIfExists", Values{"vpce-1"}, "vpce-1", yes},
		{"StringEqualsIfExists", Values{"vpce-1"}, "vpce-2", no},
		{"StringNotEqualsIfExists", Values{"vpce-1"}, "vpce-1", no},
		{"StringNotEqualsIfExists", Values{"vpce-1"}, "", yes},
		{"StringEqualsIfExists", Values{"vpce-1"}, unknown, maybe},
		{"Null", Values{"true"}, "", yes},
		{"Null", Values{"true"}, "aws:kms", no},
		{"Null", Values{"false"}, "aws:kms", yes},
		{"Null", Values{"false"}, "", no},
		{"Null", Values{"TRUE"}, "", yes},
		{"Null", Values{"true"}, unknown, maybe},
		{"ForAllValues:StringLike", Values{"key1*"}, "key1:legal", yes},
		{"ForAllValues:StringLike", Values{"key1*"}, "key1:hr,key1:personnel", yes},
		{"ForAllValues:StringLike", Values{"key1*"}, "key1:legal,key2:audit", no},
		{"ForAllValues:StringLike", Values{"key1*", "key2*"}, "key1:legal,key2:audit", yes},
		{"ForAllValues:StringLike", Values{"key1*"}, "", yes},
		{"ForAllValues:StringEquals", Values{"environment", "cost-center"}, "environment,cost-center", yes},
		{"ForAllValues:StringEquals", Values{"environment", "cost-center"}, "environment,owner", no},
		{"ForAllValues:StringNotLike", Values{"key1*"}, "key1:legal", no},
		{"ForAllValues:StringNotLike", Values{"key1*"}, "key1:hr,key1:personnel", no},
		{"ForAllValues:StringNotLike", Values{"key1*"}, "key2:audit", yes},
		{"ForAllValues:StringNotLike", Values{"key1*"}, "", yes},
		{"ForAllValues:StringEqualsIfExists", Values{"key1"}, "", yes},
		{"ForAllValues:StringLike", Values{"key1*"}, unknown, maybe},
		{"ForAnyValue:StringEquals", Values{"environment", "cost-center"}, "owner,environment", yes},
		{"ForAnyValue:StringEquals", Values{"environment", "cost-center"}, "environment", yes},
		{"ForAnyValue:StringEquals", Values{"environment", "cost-center"}, "owner,dept", no},
		{"ForAnyValue:StringEquals", Values{"environment"}, "", no},
		{"ForAnyValue:StringNotEquals", Values{"aws:kms"}, "", no},
		{"ForAnyValue:StringNotEqualsIfExists", Values{"aws:kms"}, "", no},
		{"NumericLessThanEquals", Values{"10"}, "5", maybe},
		{"NotIpAddress", Values{"10.0.0.0/8"}, "192.0.2.1", maybe},
		{"DateGreaterThan", Values{"2024-01-01T00:00:00Z"}, "", maybe},
		{"ForEach:StringEquals", Values{"a"}, "a", maybe},
		{":StringEquals", Values{"a"}, "a", maybe},
		{"ForAnyValue:", Values{"a"}, "a", maybe},
		{"Foo:Null", Values{"true"}, "", maybe},
	}
	for _, tc := range tests {
		var got []string
		known := tc.got != unknown
		if known && tc.got != "" {
			got = strings.Split(tc.got, ",")
		}
		if out := evalOperator(tc.op, tc.want, got, known); out != tc.out {
			t.Errorf("%s %q against %q: %s, want %s", tc.op, tc.want, tc.got, out, tc.out)
		}
	}
}
