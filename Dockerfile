# A static, non-root image with the lakesync binary, for AWS Batch,
# Kubernetes and CI:
#
#   docker build -t lakesync .
#   docker run --rm -v "$PWD:/work" -w /work lakesync plan -c lakesync.hcl
#
# Credentials come as for the CLI: IRSA / pod identity, the ECS task role, or
# AWS_* variables and a mounted ~/.aws (HOME is /home/nonroot).
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOFLAGS=-buildvcs=true go build -trimpath -ldflags "-s -w" -o /out/lakesync ./cmd/lakesync

# distroless/static: CA certificates, /etc/passwd with the nonroot user
# (65532), no shell, no package manager.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/lakesync /usr/local/bin/lakesync
USER 65532:65532
ENV HOME=/home/nonroot
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/lakesync"]
CMD ["--help"]
