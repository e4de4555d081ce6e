package exec

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/awserr"
)

// SessionName is the role session name of every role lakesync assumes
// (defined in awserr, whose messages name it).
const SessionName = awserr.SessionName

// Accounts gives access to the accounts of one configuration: their SDK
// configs, checked once per run to belong to the declared account id, and
// the service clients built on them. It is safe for concurrent use.
type Accounts struct {
	// SkipIdentityCheck skips the sts:GetCallerIdentity check, for
	// S3-compatible stores that have no STS (apply --skip-policies, which
	// also never touches a policy).
	SkipIdentityCheck bool
	// RoleSession tunes the copier role's sessions; the zero value is
	// the defaults.
	RoleSession RoleSession

	cfg *config.Config
	// load is config.LoadDefaultConfig; a field so a test can add options.
	load func(ctx context.Context, opts ...func(*awsconfig.LoadOptions) error) (aws.Config, error)

	mu      sync.Mutex
	entries map[*config.Account]*accountEntry
	roles   map[*config.Role]*accountEntry
	http    map[int]*awshttp.BuildableClient // by max conns per host
	regions map[string]string                // bucket name -> region
	s3      map[s3ClientKey]*s3.Client       // by principal and region
	kms     map[kmsClientKey]*kms.Client     // by account and region
}

// accountEntry is one account's verified config, computed once. A result
// cut short by the caller's context is not kept: the next caller retries.
type accountEntry struct {
	mu   sync.Mutex
	done bool
	cfg  aws.Config
	err  error
}

func (e *accountEntry) get(ctx context.Context, compute func() (aws.Config, error)) (aws.Config, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.done {
		e.cfg, e.err = compute()
		e.done = ctx.Err() == nil
	}
	return e.cfg, e.err
}

// NewAccounts returns access to the accounts of cfg. Nothing is contacted
// until a config or client is asked for.
func NewAccounts(cfg *config.Config) *Accounts {
	return &Accounts{
		cfg:     cfg,
		load:    awsconfig.LoadDefaultConfig,
		entries: map[*config.Account]*accountEntry{},
		roles:   map[*config.Role]*accountEntry{},
		http:    map[int]*awshttp.BuildableClient{},
		regions: map[string]string{},
		s3:      map[s3ClientKey]*s3.Client{},
		kms:     map[kmsClientKey]*kms.Client{},
	}
}

// Config returns the SDK config of account acct: loaded the standard way
// (environment, shared config profile, role_arn assumed with external_id),
// and verified with sts:GetCallerIdentity to act as acct.ID. The result,
// or the error, is cached for the life of a.
func (a *Accounts) Config(ctx context.Context, acct *config.Account) (aws.Config, error) {
	e := entryFor(&a.mu, a.entries, acct)
	return e.get(ctx, func() (aws.Config, error) { return a.loadVerified(ctx, acct) })
}

// entryFor returns the cache entry of k in m, creating it, under mu.
func entryFor[K comparable](mu *sync.Mutex, m map[K]*accountEntry, k K) *accountEntry {
	mu.Lock()
	defer mu.Unlock()
	e, ok := m[k]
	if !ok {
		e = &accountEntry{}
		m[k] = e
	}
	return e
}

func (a *Accounts) loadVerified(ctx context.Context, acct *config.Account) (aws.Config, error) {
	opts := []func(*awsconfig.LoadOptions) error{
		awsconfig.WithRetryer(awserr.NewRetryer),
		awsconfig.WithHTTPClient(a.httpClient(0)),
	}
	if acct.Profile != "" {
		opts = append(opts, awsconfig.WithSharedConfigProfile(acct.Profile))
	}
	if acct.Region != "" {
		opts = append(opts, awsconfig.WithRegion(acct.Region))
	}
	cfg, err := a.load(ctx, opts...)
	if err != nil {
		if msg, ok := unknownProfile(err, acct); ok {
			return aws.Config{}, fmt.Errorf("account %q (%s): %s: %w", acct.Name, acct.ID, msg, err)
		}
		return aws.Config{}, fmt.Errorf("account %q (%s): load AWS configuration from %s: %w", acct.Name, acct.ID, credentialOrigin(acct), err)
	}
	// The base credentials (profile or ambient) sign role_arn's AssumeRole.
	base := &config.Account{Name: acct.Name, ID: acct.ID, Region: acct.Region, Profile: acct.Profile, EndpointURL: acct.EndpointURL}
	cfg = awserr.WithPrincipal(cfg, awserr.Principal{Account: base}, a.cfg)
	if acct.EndpointURL != "" {
		cfg.BaseEndpoint = aws.String(acct.EndpointURL)
	}
	if cfg.Region == "" {
		return aws.Config{}, fmt.Errorf("account %q (%s): no region: set region in the account block or in profile %q", acct.Name, acct.ID, acct.Profile)
	}
	if acct.RoleARN != "" {
		provider := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), acct.RoleARN, func(o *stscreds.AssumeRoleOptions) {
			o.RoleSessionName = SessionName
			if acct.ExternalID != "" {
				o.ExternalID = aws.String(acct.ExternalID)
			}
		})
		cfg.Credentials = aws.NewCredentialsCache(provider)
	}
	cfg = awserr.WithPrincipal(cfg, awserr.Principal{Account: acct}, a.cfg)
	if a.SkipIdentityCheck {
		return cfg, nil
	}
	arn, err := verifyAccount(ctx, cfg, acct)
	if err != nil {
		return aws.Config{}, err
	}
	return awserr.WithPrincipal(cfg, awserr.Principal{Account: acct, ARN: arn}, a.cfg), nil
}

// verifyAccount refuses credentials that act as another account than the
// one the block declares: a plan or a copy against the wrong account could
// grant access to strangers or copy data to the wrong place. It returns
// the caller's ARN.
func verifyAccount(ctx context.Context, cfg aws.Config, acct *config.Account) (string, error) {
	creds, err := cfg.Credentials.Retrieve(ctx)
	if awserr.IsUnreachable(err) && acct.RoleARN != "" {
		return "", awserr.New("sts:AssumeRole", acct.RoleARN, acct, err)
	}
	if err != nil {
		return "", fmt.Errorf("account %q (%s): no credentials from %s: %w; fix: %s",
			acct.Name, acct.ID, credentialOrigin(acct), err, credentialFix(acct))
	}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", awserr.New("sts:GetCallerIdentity", "credentials from "+credentialOrigin(acct), acct, err)
	}
	got := aws.ToString(out.Account)
	if got != acct.ID {
		return "", fmt.Errorf("account %q declares id %s, but its credentials (from %s, source %s) act as %s in account %s; fix: %s, or correct the id",
			acct.Name, acct.ID, credentialOrigin(acct), creds.Source, aws.ToString(out.Arn), got, credentialFix(acct))
	}
	return aws.ToString(out.Arn), nil
}

// credentialOrigin says where an account's credentials come from, in the
// user's terms.
func credentialOrigin(acct *config.Account) string {
	var s string
	if acct.Profile != "" {
		s = fmt.Sprintf("profile %q", acct.Profile)
	} else {
		s = "the ambient credential chain (environment, default profile, instance role)"
	}
	if acct.RoleARN != "" {
		s = fmt.Sprintf("role %s assumed with %s", acct.RoleARN, s)
	}
	return s
}

func credentialFix(acct *config.Account) string {
	switch {
	case acct.RoleARN != "":
		return fmt.Sprintf("make role_arn of account %q a role in account %s that these credentials may assume", acct.Name, acct.ID)
	case acct.Profile != "":
		return fmt.Sprintf("point profile %q at credentials of account %s, or set profile/role_arn in account %q", acct.Profile, acct.ID, acct.Name)
	default:
		return fmt.Sprintf("set profile or role_arn in account %q, or provide credentials of account %s in the environment", acct.Name, acct.ID)
	}
}

// ResponseHeaderTimeout bounds the wait for a response's headers.
const ResponseHeaderTimeout = 2 * time.Minute

// httpClient returns the shared HTTP client allowing maxConns connections
// per host (0: the SDK default). Clients are shared by size so connections
// are reused across accounts and jobs.
func (a *Accounts) httpClient(maxConns int) *awshttp.BuildableClient {
	a.mu.Lock()
	defer a.mu.Unlock()
	if c, ok := a.http[maxConns]; ok {
		return c
	}
	c := awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		// S3 answers even a long CopyObject with its headers at once
		// (errors come in the 200 body), so headers that take this long
		// mean a stuck connection: give up and let the retryer try again.
		t.ResponseHeaderTimeout = ResponseHeaderTimeout
		if maxConns > 0 {
			t.MaxConnsPerHost = maxConns
			t.MaxIdleConnsPerHost = maxConns
			if t.MaxIdleConns < maxConns {
				t.MaxIdleConns = maxConns
			}
		}
	})
	a.http[maxConns] = c
	return c
}
