// Package moto runs a local moto_server for tests that need the AWS wire
// protocol (S3, KMS, IAM, STS) and builds small multi-account worlds in it.
//
// One server serves a whole test package: start it from TestMain with Main,
// and call Require at the top of each test that needs it. Accounts are
// created per test (after Reset) with NewAccount, which makes an IAM user and
// an access key inside the account; from then on those keys alone act as
// that account, so plain shared-config profiles written by WriteSharedConfig
// reach it. The harness never touches ~/.aws and never sets MOTO_ACCOUNT_ID.
//
// It relies on moto_server being on PATH (pip install 'moto[server]') and on
// aws-sdk-go-v2 for the requests it makes itself.
package moto
