package moto

import (
	"context"
	"fmt"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// DefaultRegion is the region of accounts made by NewAccount.
const DefaultRegion = "eu-west-1"

// AccountHeader is the request header moto uses to pick the account when
// the access key does not say it.
const AccountHeader = "x-moto-account-id"

// UserName is the IAM user NewAccount creates in each account.
const UserName = "lakesync-test"

var accountID = regexp.MustCompile(`^[0-9]{12}$`)

// Account is a moto account reachable with the access key of an IAM user
// created inside it.
type Account struct {
	ID string
	// Profile is the shared-config profile name WriteSharedConfig gives
	// this account; NewAccount sets it to the id, tests may rename it.
	Profile         string
	Region          string
	AccessKeyID     string
	SecretAccessKey string
	UserARN         string

	endpoint string
}

// NewAccount creates the IAM user UserName and an access key in account id
// (selected with the x-moto-account-id header) and returns the account.
// After a Reset, create the accounts again: Reset wipes their users.
func (s *Server) NewAccount(ctx context.Context, id string) (*Account, error) {
	if !accountID.MatchString(id) {
		return nil, fmt.Errorf("moto: account id %q is not 12 digits", id)
	}
	cfg := s.bootstrapConfig(id)
	client := iam.NewFromConfig(cfg)
	user, err := s.createUser(ctx, client, id)
	if err != nil {
		return nil, err
	}
	key, err := client.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(UserName)})
	if err != nil {
		return nil, fmt.Errorf("moto: create access key for %s in account %s: %w", UserName, id, err)
	}
	return &Account{
		ID:              id,
		Profile:         id,
		Region:          DefaultRegion,
		AccessKeyID:     aws.ToString(key.AccessKey.AccessKeyId),
		SecretAccessKey: aws.ToString(key.AccessKey.SecretAccessKey),
		UserARN:         aws.ToString(user.Arn),
		endpoint:        s.URL,
	}, nil
}

// createUser creates the user UserName in account id (CreateUser: a
// retry that finds it is this call's); an error carries moto's last
// lines.
func (s *Server) createUser(ctx context.Context, client *iam.Client, id string) (*iamtypes.User, error) {
	u, err := CreateUser(ctx, client, UserName)
	if err != nil {
		return nil, fmt.Errorf("account %s: %w; moto's last lines:\n%s", id, err, s.logTail(20))
	}
	return u, nil
}

// bootstrapConfig is an SDK config with dummy keys that selects account id
// with the moto header: enough to create the account's first user.
func (s *Server) bootstrapConfig(id string) aws.Config {
	return aws.Config{
		Region:       DefaultRegion,
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		BaseEndpoint: aws.String(s.URL),
		APIOptions:   []func(*middleware.Stack) error{smithyhttp.AddHeaderValue(AccountHeader, id)},
	}
}

// Config is an SDK config acting as this account with its user's keys,
// sent to the server. It does not read the environment or ~/.aws.
func (a *Account) Config() aws.Config {
	return aws.Config{
		Region:       a.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(a.AccessKeyID, a.SecretAccessKey, ""),
		BaseEndpoint: aws.String(a.endpoint),
	}
}

// S3 is an S3 client of the account, path-style (loopback has no
// virtual-host DNS).
func (a *Account) S3() *s3.Client {
	return s3.NewFromConfig(a.Config(), func(o *s3.Options) { o.UsePathStyle = true })
}

// KMS is a KMS client of the account.
func (a *Account) KMS() *kms.Client { return kms.NewFromConfig(a.Config()) }

// IAM is an IAM client of the account.
func (a *Account) IAM() *iam.Client { return iam.NewFromConfig(a.Config()) }

// STS is an STS client of the account.
func (a *Account) STS() *sts.Client { return sts.NewFromConfig(a.Config()) }
