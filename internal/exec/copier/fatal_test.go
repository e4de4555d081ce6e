package copier

import (
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/lakesync/lakesync/internal/exec/awserr"
)

// A copy whose endpoint stops answering stops at once: every other
// object would fail the same way.
func TestUnreachableIsFatalForTheCopy(t *testing.T) {
	refused := &smithy.OperationError{ServiceID: "S3", OperationName: "CopyObject",
		Err: &smithyhttp.RequestSendError{Err: &url.Error{Op: "Put", URL: "http://127.0.0.1:1/b/k",
			Err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}}}}
	if !isFatalCopyError(awserr.New("s3:CopyObject", "s3://b/k", nil, refused)) {
		t.Error("connection refused is not fatal to the copy")
	}
	if isFatalCopyError(awserr.New("s3:CopyObject", "s3://b/k", nil, &smithy.GenericAPIError{Code: "PreconditionFailed"})) {
		t.Error("a per-object failure is fatal")
	}
}
