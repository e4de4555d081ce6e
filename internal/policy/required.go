package policy

// When a call is made: for every object copied, or only for the objects
// copied in parts (above the job's multipart threshold).
const (
	// MultipartPossible marks a call made only for objects copied in parts,
	// when the plan copies none now: such objects may come later.
	MultipartPossible = "possible"
	// MultipartPlanned marks a call made only for objects copied in parts,
	// when the plan copies some of them in this run.
	MultipartPlanned = "planned"
)

// S3 condition keys of the encryption headers.
const (
	KeySSE      = "s3:x-amz-server-side-encryption"
	KeySSEKeyID = "s3:x-amz-server-side-encryption-aws-kms-key-id"
)

// Required lists the requests the copier role makes for a server-side job,
// one per API call and IAM action it needs, with the resource policy that
// applies to each and the request context lakesync knows for certain: TLS,
// the principal, the listing prefix, kms:ViaService on key use, and the
// encryption headers of each call. Object requests use the resource
// "arn:aws:s3:::BUCKET/PREFIX*", meaning every object of the job.
//
// The encryption headers follow the S3 API Reference: CopyObject and
// CreateMultipartUpload carry x-amz-server-side-encryption and
// x-amz-server-side-encryption-aws-kms-key-id (lakesync sets both on every
// write), so for s3:PutObject their contexts hold
// s3:x-amz-server-side-encryption = aws:kms and the key ARN. UploadPartCopy
// and CompleteMultipartUpload take no encryption header (S3 refuses
// x-amz-server-side-encryption on them, "not supported for this
// operation"; the upload keeps the encryption its CreateMultipartUpload
// asked for), and neither do the listings, HEADs, tagging reads, aborts and
// deletes: for them both keys are known to be absent, so a StringNotEquals
// on them holds (see evalOperator). The other actions of CopyObject and
// CreateMultipartUpload (the source read, the tags) are authorized for a
// request that carries the headers, but the Service Authorization Reference
// does not list the keys for those actions: lakesync leaves them unknown,
// and a condition on them stays undecided.
//
// Stream jobs make no request with the copier role: Required returns nil.
func Required(g Grant) []Request {
	if g.Transfer == Stream {
		return nil
	}
	src, dst := g.Source, g.Destination
	parts := MultipartPossible
	if g.PartsPlanned {
		parts = MultipartPlanned
	}
	base := func(api, action, resource, account, doc string, extra Context) Request {
		ctx := Context{
			"aws:SecureTransport":  {"true"},
			"aws:PrincipalArn":     {g.RoleARN},
			"aws:PrincipalAccount": {g.RoleAccount},
		}
		for k, v := range extra {
			ctx[k] = v
		}
		return Request{
			Job:                g.Job,
			API:                api,
			MultipartThreshold: g.MultipartThreshold,
			Principal:          g.RoleARN,
			PrincipalAccount:   g.RoleAccount,
			Action:             action,
			Resource:           resource,
			ResourceAccount:    account,
			Policy:             doc,
			Context:            ctx,
		}
	}
	multipart := func(r Request) Request {
		r.Multipart = parts
		return r
	}
	list := func(s Side, doc string) Request {
		prefix := []string{} // known absent when listing the whole bucket
		if s.Prefix != "" {
			prefix = []string{s.Prefix}
		}
		return base("ListObjectsV2", "s3:ListBucket", bucketARN(s.Bucket), s.Account, doc,
			Context{"s3:prefix": prefix, KeySSE: {}, KeySSEKeyID: {}})
	}
	sse := Context{KeySSE: {"aws:kms"}, KeySSEKeyID: {dst.KeyARN}}
	noSSE := Context{KeySSE: {}, KeySSEKeyID: {}}
	unknownSSE := Context{} // the call carries the headers; the action may not see them
	srcObjects, dstObjects := objectsARN(src.Bucket, src.Prefix), objectsARN(dst.Bucket, dst.Prefix)
	srcObj := func(api, action string, ctx Context) Request {
		return base(api, action, srcObjects, src.Account, SourceBucketDoc, ctx)
	}
	dstObj := func(api, action string, ctx Context) Request {
		return base(api, action, dstObjects, dst.Account, DestBucketDoc, ctx)
	}
	out := []Request{
		list(src, SourceBucketDoc),
		srcObj("CopyObject", "s3:GetObject", unknownSSE),
		srcObj("CopyObject", "s3:GetObjectTagging", unknownSSE), // x-amz-tagging-directive: COPY
		srcObj("HeadObject", "s3:GetObject", noSSE),             // metadata of multipart copies, checksums
		multipart(srcObj("UploadPartCopy", "s3:GetObject", noSSE)),
		multipart(srcObj("GetObjectTagging", "s3:GetObjectTagging", noSSE)),
		list(dst, DestBucketDoc),
		base("ListMultipartUploads", "s3:ListBucketMultipartUploads", bucketARN(dst.Bucket), dst.Account, DestBucketDoc, noSSE),
		dstObj("HeadObject", "s3:GetObject", noSSE),
		dstObj("CopyObject", "s3:PutObject", sse),
		multipart(dstObj("CreateMultipartUpload", "s3:PutObject", sse)),
		multipart(dstObj("UploadPartCopy", "s3:PutObject", noSSE)),
		multipart(dstObj("CompleteMultipartUpload", "s3:PutObject", noSSE)),
		dstObj("CopyObject", "s3:PutObjectTagging", unknownSSE),
		multipart(dstObj("CreateMultipartUpload", "s3:PutObjectTagging", unknownSSE)), // x-amz-tagging
		multipart(dstObj("AbortMultipartUpload", "s3:AbortMultipartUpload", noSSE)),
		multipart(dstObj("ListParts", "s3:ListMultipartUploadParts", noSSE)),
	}
	if g.Versions {
		prefix := []string{}
		if src.Prefix != "" {
			prefix = []string{src.Prefix}
		}
		out = append(out,
			base("ListObjectVersions", "s3:ListBucketVersions", bucketARN(src.Bucket), src.Account, SourceBucketDoc,
				Context{"s3:prefix": prefix, KeySSE: {}, KeySSEKeyID: {}}),
			srcObj("CopyObject", "s3:GetObjectVersion", unknownSSE),        // x-amz-copy-source ...?versionId=
			srcObj("CopyObject", "s3:GetObjectVersionTagging", unknownSSE), // the version's tags
			srcObj("HeadObject", "s3:GetObjectVersion", noSSE))             // its checksums
	}
	if g.ObjectLock {
		out = append(out,
			srcObj("HeadObject", "s3:GetObjectRetention", noSSE),         // x-amz-object-lock-mode, -retain-until-date
			srcObj("HeadObject", "s3:GetObjectLegalHold", noSSE),         // x-amz-object-lock-legal-hold
			dstObj("PutObjectRetention", "s3:PutObjectRetention", noSSE), // set once the object is written
			dstObj("PutObjectLegalHold", "s3:PutObjectLegalHold", noSSE))
	}
	if g.Delete {
		out = append(out, dstObj("DeleteObjects", "s3:DeleteObject", noSSE))
	}
	key := func(action string, s Side, doc string) Request {
		return base("", action, s.KeyARN, accountOf(s.KeyARN), doc,
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
