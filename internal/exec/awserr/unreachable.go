package awserr

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lakesync/lakesync/internal/config"
)

// unreachableEndpoint is a request that never reached its endpoint for a
// reason waiting will not cure: the connection was refused, the host name
// does not exist, or TLS failed. These are not throttling: the retryer
// gives up at once (NotRetriedIfUnreachable) and the error says what to
// check.
type unreachableEndpoint struct {
	endpoint string // scheme://host the request went to
	reason   string // "connection refused", "no such host x", "TLS: ..."
	kind     unreachableKind
}

type unreachableKind int

const (
	refused unreachableKind = iota + 1
	noSuchHost
	tlsFailed
)

// unreachable classifies err; ok is false for every other error,
// timeouts and resets included (those are retried).
func unreachable(err error) (u unreachableEndpoint, ok bool) {
	var dnsErr *net.DNSError
	switch {
	case err == nil:
		return u, false
	case errors.Is(err, syscall.ECONNREFUSED):
		u.kind, u.reason = refused, "connection refused"
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		u.kind, u.reason = noSuchHost, "no such host "+dnsErr.Name
	default:
		reason, isTLS := tlsFailure(err)
		if !isTLS {
			return u, false
		}
		u.kind, u.reason = tlsFailed, "TLS: "+reason
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		if parsed, perr := url.Parse(ue.URL); perr == nil && parsed.Host != "" {
			u.endpoint = parsed.Scheme + "://" + parsed.Host
		}
	}
	if u.endpoint == "" && dnsErr != nil {
		u.endpoint = dnsErr.Name
	}
	return u, true
}

// tlsFailure reports whether err is a failed TLS handshake or certificate
// check, and its cause.
func tlsFailure(err error) (string, bool) {
	var (
		verify   *tls.CertificateVerificationError
		header   tls.RecordHeaderError
		alert    tls.AlertError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
	)
	switch {
	case errors.As(err, &verify):
		return verify.Err.Error(), true
	case errors.As(err, &unknown):
		return unknown.Error(), true
	case errors.As(err, &hostname):
		return hostname.Error(), true
	case errors.As(err, &invalid):
		return invalid.Error(), true
	case errors.As(err, &alert):
		return alert.Error(), true
	case errors.As(err, &header):
		return "the server does not speak TLS (" + header.Error() + ")", true
	case strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return "the server answered in plain HTTP: write http:// in endpoint_url", true
	}
	return "", false
}

// checks says what to look at, for requests of account block a (nil:
// unknown), the block's own settings first.
func (u unreachableEndpoint) checks(a *config.Account) []string {
	var c []string
	name, region := "", ""
	if a != nil {
		name, region = a.Name, a.Region
	}
	switch {
	case a != nil && a.EndpointURL != "":
		c = append(c, fmt.Sprintf("that endpoint_url = %q of account %q is right", a.EndpointURL, name))
	case strings.Contains(u.endpoint, ".amazonaws.com"):
		c = append(c, fmt.Sprintf("that this is AWS's endpoint for region %q of account %q, and that no endpoint_url is needed", region, name))
	default:
		c = append(c, fmt.Sprintf("where %s comes from: account %q sets no endpoint_url, so AWS_ENDPOINT_URL or the profile's endpoint_url does", orString(u.endpoint, "the endpoint"), name))
	}
	switch u.kind {
	case noSuchHost:
		c = append(c, "that the host name is spelt right and resolves on this machine")
	case tlsFailed:
		c = append(c, "that the endpoint's certificate is valid for its host name and signed by a CA this machine trusts (AWS_CA_BUNDLE adds one), and that the scheme (http:// or https://) matches the server")
	}
	c = append(c, "whether this network needs a proxy (HTTPS_PROXY, NO_PROXY) or a VPC endpoint to reach AWS")
	if region != "" {
		c = append(c, fmt.Sprintf("that region %q of account %q is right", region, name))
	}
	return c
}

// IsUnreachable reports whether err is a request that never reached its
// endpoint for a reason waiting will not cure: connection refused, no
// such host, or a failed TLS handshake.
func IsUnreachable(err error) bool {
	_, ok := unreachable(err)
	return ok
}

// NotRetriedIfUnreachable stops the retryer at the first attempt that
// could not reach its endpoint; it leaves every other error to the
// standard checks (throttling and 5xx are retried).
func NotRetriedIfUnreachable(err error) aws.Ternary {
	if _, ok := unreachable(err); ok {
		return aws.FalseTernary
	}
	return aws.UnknownTernary
}
