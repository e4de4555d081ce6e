#!/bin/sh
# github-oidc-token.sh TOKEN_FILE [--every SECONDS]
#
# Writes a GitHub Actions OIDC token with audience sts.amazonaws.com to
# TOKEN_FILE (the job needs permissions: id-token: write). GitHub's tokens
# are short-lived while a copy may run for hours, and the AWS SDK re-reads
# the file each time it renews the role's credentials: with --every, keep
# writing a fresh token every SECONDS until killed (run it in the
# background next to lakesync apply).
set -eu
file=$1
every=${3:-}
fetch() {
	# The response is {"value":"<jwt>"}; a JWT holds no quotes.
	curl -fsS -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" \
		"$ACTIONS_ID_TOKEN_REQUEST_URL&audience=sts.amazonaws.com" |
		sed -n 's/.*"value" *: *"\([^"]*\)".*/\1/p' >"$file.tmp"
	[ -s "$file.tmp" ] || { echo "$0: no token in the response" >&2; return 1; }
	mv "$file.tmp" "$file" # atomic: the SDK never reads half a token
}
umask 077
fetch
if [ "${2:-}" = "--every" ]; then
	while sleep "$every"; do
		fetch || echo "$0: token refresh failed; retrying in ${every}s" >&2
	done
fi
