# The two commands the README promises work on a fresh machine:
#   make demo   runs the main job on a local two-account AWS (moto_server)
#   make test   runs the test suite
GO ?= go

.PHONY: test build demo bench fuzz mutation

test:
	CI=$${CI:-} $(GO) test -count=1 -timeout 9m ./...

build:
	$(GO) build -o bin/lakesync ./cmd/lakesync

demo: build
	$(GO) run ./examples/demo -lakesync bin/lakesync

fuzz:
	$(GO) test ./internal/config -run '^$$' -fuzz FuzzDecode -fuzztime 60s
	$(GO) test ./internal/plan -run '^$$' -fuzz FuzzJobIDsAgree -fuzztime 20s

# Mutation testing (docs/mutation.md): a benchmark-like check, not part of
# test or .ci/run. One worker: it takes a while per package.
mutation:
	for pkg in policy config plan; do \
		$(GO) run github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0 unleash --workers 1 ./internal/$$pkg || exit 1; \
	done
