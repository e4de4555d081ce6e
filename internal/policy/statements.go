package policy

// The statement templates of Generate. Each is written first for the role's
// identity policy (no Principal); withPrincipal turns copies into
// resource-policy statements naming the role.

// secureTransport is the condition on every S3 statement: TLS only.
func secureTransport() Condition {
	return Condition{"Bool": {"aws:SecureTransport": {"true"}}}
}

// listStatement allows listing the bucket, limited to the side's prefix.
func listStatement(sid string, s Side) Statement {
	c := secureTransport()
	if s.Prefix != "" {
		c["StringLike"] = map[string]Values{"s3:prefix": {s.Prefix + "*"}}
	}
	return Statement{
		Sid:       sid,
		Effect:    Allow,
		Action:    Values{"s3:ListBucket"},
		Resource:  Values{bucketARN(s.Bucket)},
		Condition: c,
	}
}

// uploadsStatement allows listing in-progress multipart uploads, so that an
// interrupted copy can resume or abort them. ListBucketMultipartUploads does
// not document the s3:prefix key, hence a statement of its own.
func uploadsStatement(sid string, s Side) Statement {
	return Statement{
		Sid:       sid,
		Effect:    Allow,
		Action:    Values{"s3:ListBucketMultipartUploads"},
		Resource:  Values{bucketARN(s.Bucket)},
		Condition: secureTransport(),
	}
}

// objectStatement allows object actions under the side's prefix.
//
// There is deliberately no s3:x-amz-server-side-encryption-aws-kms-key-id
// condition on s3:PutObject: that header is absent when a write relies on the
// bucket's default encryption (and with S3 Bucket Keys), so the condition
// would deny correct writes. Encryption with the CMK is enforced by the
// bucket's default encryption, set by the plan, together with the key
// policy, which is the only way the role may use the key.
func objectStatement(sid string, s Side, actions []string) Statement {
	return Statement{
		Sid:       sid,
		Effect:    Allow,
		Action:    Values(actions),
		Resource:  Values{objectsARN(s.Bucket, s.Prefix)},
		Condition: secureTransport(),
	}
}

// keyStatement allows KMS actions through S3 only, as a key-policy
// statement: in a key policy Resource "*" means this key. Note that
// kms:DescribeKey is also limited to calls made through S3; lakesync itself
// describes keys with the account's administrative credentials.
func keyStatement(sid string, s Side, actions []string) Statement {
	return Statement{
		Sid:       sid,
		Effect:    Allow,
		Action:    Values(actions),
		Resource:  Values{"*"},
		Condition: Condition{"StringEquals": {"kms:ViaService": {"s3." + s.Region + ".amazonaws.com"}}},
	}
}

// identityKey is a key statement for an identity policy: the exact key ARN.
func identityKey(s Statement, keyARN string) Statement {
	s = s.clone()
	s.Resource = Values{keyARN}
	return s
}

// withPrincipal copies statements into resource-policy form granting the role.
func withPrincipal(stmts []Statement, roleARN string) []Statement {
	out := make([]Statement, len(stmts))
	for i, s := range stmts {
		s = s.clone()
		s.Principal = AWSPrincipal(roleARN)
		out[i] = s
	}
	return out
}

// clone copies a statement deeply, so generated statements share no maps.
func (s Statement) clone() Statement {
	n := Normalize(s) // fresh slices and maps
	n.Action, n.NotAction = cloneValues(s.Action), cloneValues(s.NotAction)
	n.Resource, n.NotResource = cloneValues(s.Resource), cloneValues(s.NotResource)
	n.Raw = s.Raw
	return n
}

func cloneValues(v Values) Values {
	if v == nil {
		return nil
	}
	return append(Values{}, v...)
}
