#!/bin/sh
# aws-profiles.sh TOKEN_FILE PROFILE=ROLE_ARN...
#
# Prints an AWS config file with one profile per account block of
# lakesync.hcl: each profile assumes its role directly with the CI's OIDC
# web identity token in TOKEN_FILE (no role chaining, so no one-hour limit
# on chained sessions). Name the profiles as the account blocks' profile
# attributes do; the region comes from the account blocks.
#
#   sh ci/aws-profiles.sh "$RUNNER_TEMP/token" \
#     prod=arn:aws:iam::111111111111:role/lakesync-ci-plan \
#     datalake=arn:aws:iam::222222222222:role/lakesync-ci-plan > "$AWS_CONFIG_FILE"
set -eu
if [ $# -lt 2 ]; then
	echo "usage: $0 TOKEN_FILE PROFILE=ROLE_ARN..." >&2
	exit 1
fi
token=$1
shift
for pair in "$@"; do
	name=${pair%%=*}
	arn=${pair#*=}
	case $arn in
	arn:aws*:iam::*:role/*) ;;
	*)
		echo "$0: $pair: want PROFILE=arn:aws:iam::ACCOUNT:role/NAME" >&2
		exit 1
		;;
	esac
	printf '[profile %s]\nrole_arn = %s\nweb_identity_token_file = %s\nrole_session_name = lakesync-ci\n\n' "$name" "$arn" "$token"
done
