package policy_test

import (
	"fmt"

	"github.com/lakesync/lakesync/internal/policy"
)

// A push job: the copier role lives in the production account, so the data
// lake's bucket policy must grant it. The foreign statement stays as it was.
func Example() {
	g := policy.Grant{
		Job:         "prod_to_lake",
		RoleARN:     "arn:aws:iam::111111111111:role/lakesync-copier",
		RoleAccount: "111111111111",
		Source:      policy.Side{Account: "111111111111", Region: "eu-west-1", Bucket: "prod-data", Prefix: "exports/"},
		Destination: policy.Side{Account: "222222222222", Region: "eu-west-1", Bucket: "lake-raw", Prefix: "prod/",
			KeyARN: "arn:aws:kms:eu-west-1:222222222222:key/0000"},
		Transfer: policy.ServerSide,
	}
	desired, err := policy.Generate(g)
	if err != nil {
		fmt.Println(err)
		return
	}
	current, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Sid":"TLSOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::lake-raw/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	merged, err := policy.Merge(current, desired.DestBucketPolicy, []string{policy.JobID(g.Job)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(desired.Topology)
	for _, c := range policy.Diff(current, merged) {
		fmt.Println(c.Action, c.Sid)
	}
	// Output:
	// push
	// create LakesyncProdToLakeDestList
	// create LakesyncProdToLakeDestUploads
	// create LakesyncProdToLakeDestWrite
}
