package moto

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// CreateUserAt runs NewAccount's user creation in account id against
// endpoint (a proxy in front of s) and returns the user's ARN.
func (s *Server) CreateUserAt(ctx context.Context, endpoint, id string) (string, error) {
	cfg := s.bootstrapConfig(id)
	cfg.BaseEndpoint = aws.String(endpoint)
	u, err := s.createUser(ctx, iam.NewFromConfig(cfg), id)
	if err != nil {
		return "", err
	}
	return aws.ToString(u.Arn), nil
}

// Via is a copy of a whose requests go to endpoint (a proxy in front of
// the server).
func (a *Account) Via(endpoint string) *Account {
	c := *a
	c.endpoint = endpoint
	return &c
}
