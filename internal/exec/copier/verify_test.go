package copier

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestFullObjectChecksum(t *testing.T) {
	tests := []struct {
		name string
		head s3.HeadObjectOutput
		want string
	}{
		{"none", s3.HeadObjectOutput{}, ""},
		{"crc32c", s3.HeadObjectOutput{ChecksumCRC32C: aws.String("yZRlqg==")}, "CRC32C:yZRlqg=="},
		{"full object type", s3.HeadObjectOutput{ChecksumType: s3types.ChecksumTypeFullObject, ChecksumSHA256: aws.String("n4bQ")}, "SHA256:n4bQ"},
		{"first in order", s3.HeadObjectOutput{ChecksumCRC32: aws.String("a"), ChecksumCRC64NVME: aws.String("b")}, "CRC64NVME:b"},
		{"composite value", s3.HeadObjectOutput{ChecksumCRC32C: aws.String("yZRlqg==-3")}, ""},
		{"composite type", s3.HeadObjectOutput{ChecksumType: s3types.ChecksumTypeComposite, ChecksumCRC32C: aws.String("yZRlqg==")}, ""},
	}
	for _, tt := range tests {
		if got := fullObjectChecksum(&tt.head); got != tt.want {
			t.Errorf("%s: fullObjectChecksum = %q, want %q", tt.name, got, tt.want)
		}
	}
	if got := checksumAlg("CRC32C:yZRlqg=="); got != "CRC32C" {
		t.Errorf("checksumAlg = %q, want CRC32C", got)
	}
}
