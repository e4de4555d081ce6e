package policy

// Required lists the requests the copier role makes for a server-side job,
// with the resource policy that applies to each and the request context
// lakesync knows for certain: TLS, the principal, the listing prefix, SSE-KMS
// headers on writes and kms:ViaService on key use. Object requests use the
// resource "arn:aws:s3:::BUCKET/PREFIX*", meaning every object of the job.
// Stream jobs make no request with the copier role: Required returns nil.
func Required(g Grant) []Request {
	if g.Transfer == Stream {
		return nil
	}
	src, dst := g.Source, g.Destination
	base := func(action, resource, account, doc string, extra Context) Request {
		ctx := Context{
			"aws:SecureTransport":  {"true"},
			"aws:PrincipalArn":     {g.RoleARN},
			"aws:PrincipalAccount": {g.RoleAccount},
		}
		for k, v := range extra {
			ctx[k] = v
		}
		return Request{
			Principal:        g.RoleARN,
			PrincipalAccount: g.RoleAccount,
			Action:           action,
			Resource:         resource,
			ResourceAccount:  account,
			Policy:           doc,
			Context:          ctx,
		}
	}
	list := func(s Side, doc string) Request {
		prefix := []string{} // known absent when listing the whole bucket
		if s.Prefix != "" {
			prefix = []string{s.Prefix}
		}
		return base("s3:ListBucket", bucketARN(s.Bucket), s.Account, doc, Context{"s3:prefix": prefix})
	}
	srcObjects, dstObjects := objectsARN(src.Bucket, src.Prefix), objectsARN(dst.Bucket, dst.Prefix)
	out := []Request{
		list(src, SourceBucketDoc),
		base("s3:GetObject", srcObjects, src.Account, SourceBucketDoc, nil),
		base("s3:GetObjectTagging", srcObjects, src.Account, SourceBucketDoc, nil),
		list(dst, DestBucketDoc),
		base("s3:ListBucketMultipartUploads", bucketARN(dst.Bucket), dst.Account, DestBucketDoc, nil),
		base("s3:GetObject", dstObjects, dst.Account, DestBucketDoc, nil),
	}
	sse := Context{
		"s3:x-amz-server-side-encryption":                {"aws:kms"},
		"s3:x-amz-server-side-encryption-aws-kms-key-id": {dst.KeyARN},
	}
	out = append(out, base("s3:PutObject", dstObjects, dst.Account, DestBucketDoc, sse))
	for _, a := range []string{"s3:PutObjectTagging", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"} {
		out = append(out, base(a, dstObjects, dst.Account, DestBucketDoc, nil))
	}
	if g.Delete {
		out = append(out, base("s3:DeleteObject", dstObjects, dst.Account, DestBucketDoc, nil))
	}
	key := func(action string, s Side, doc string) Request {
		return base(action, s.KeyARN, accountOf(s.KeyARN), doc,
			Context{"kms:ViaService": {"s3." + s.Region + ".amazonaws.com"}, "kms:CallerAccount": {g.RoleAccount}})
	}
	if src.KeyARN != "" {
		out = append(out, key("kms:Decrypt", src, SourceKeyDoc))
	}
	if dst.KeyARN != "" {
		for _, a := range []string{"kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"} {
			out = append(out, key(a, dst, DestKeyDoc))
		}
	}
	return out
}
