package awserr

import (
	"fmt"
	"strings"

	"github.com/lakesync/lakesync/internal/config"
)

// documents are the policies that decide whether principal p may make
// request op on resource (target t): p's own policies first, then the
// resource policies on the way (bucket, key, role trust). For the copier
// writing across accounts that is its inline policy, the destination
// bucket policy and, for SSE-KMS, the destination key policy; a copy also
// reads its source, so the source's bucket (and key) policy follow.
func documents(op, resource string, p Principal, t requestTarget) []string {
	service, _, _ := strings.Cut(op, ":")
	switch {
	case op == "sts:GetCallerIdentity":
		return nil // allowed to every principal: no document decides it
	case op == "sts:AssumeRole":
		return []string{p.identityDocument(), fmt.Sprintf("the trust policy of role %s", resource)}
	case service == "kms":
		return []string{p.identityDocument(), keyDocument(t.KeyBlock, orString(t.KeyID, resource))}
	case service != "s3" || t.Bucket == "":
		return []string{p.identityDocument()}
	}
	docs := []string{p.identityDocument(), bucketDocument(t.Bucket, t.BucketBlock, "")}
	if k := bucketKey(t.BucketBlock); k != nil && usesObjectKey(op) {
		docs = append(docs, keyDocument(k, k.Ref()))
	}
	if t.Source != "" && t.Source != t.Bucket {
		docs = append(docs, bucketDocument(t.Source, t.SourceBlock, "the copy source"))
	}
	if k := bucketKey(t.SourceBlock); k != nil && t.Source != "" {
		docs = append(docs, keyDocument(k, k.Ref())+" (the copy source's key)")
	}
	return docs
}

// usesObjectKey reports whether S3 operation op encrypts or decrypts
// with the bucket's KMS key on the caller's behalf, so the key policy
// must allow the caller too.
func usesObjectKey(op string) bool {
	switch op {
	case "s3:GetObject", "s3:PutObject", "s3:CopyObject", "s3:CreateMultipartUpload",
		"s3:UploadPart", "s3:UploadPartCopy", "s3:CompleteMultipartUpload":
		return true
	}
	return false
}

func bucketKey(b *config.Bucket) *config.Key {
	if b == nil {
		return nil
	}
	return b.Key
}

// bucketDocument names the bucket policy of bucket name (block b, nil
// when the configuration has none), with a note such as "the copy source".
func bucketDocument(name string, b *config.Bucket, note string) string {
	s, parts := "the bucket policy of "+name, []string{}
	if b != nil {
		s = "the bucket policy of bucket." + b.Name
		parts = append(parts, name)
		if b.Account != nil {
			parts = append(parts, "account "+b.Account.ID)
		}
	}
	if note != "" {
		parts = append(parts, note)
	}
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
}

// keyDocument names the key policy of key block k (nil: ref alone).
func keyDocument(k *config.Key, ref string) string {
	if k == nil {
		return "the key policy of " + ref
	}
	s := fmt.Sprintf("the key policy of key.%s (%s", k.Name, ref)
	if k.Account != nil {
		s += ", account " + k.Account.ID
	}
	return s + ")"
}

// ObjectARN is the ARN of object key in bucket, the resource an S3 object
// request's Error names.
func ObjectARN(bucket, key string) string { return "arn:aws:s3:::" + bucket + "/" + key }

// bucketOfResource is the bucket a resource names, "arn:aws:s3:::b/k" or
// "s3://b/k"; "" for any other resource.
func bucketOfResource(resource string) string {
	for _, prefix := range []string{"arn:aws:s3:::", "s3://"} {
		if rest, ok := strings.CutPrefix(resource, prefix); ok {
			b, _, _ := strings.Cut(rest, "/")
			return b
		}
	}
	return ""
}

func orString(s, alt string) string {
	if s != "" {
		return s
	}
	return alt
}
