package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// ---------------------------------------------------------------------------
// lakesync: the ONE place that knows how lakesync is configured and invoked.
// Adjust here when the CLI changes.
// ---------------------------------------------------------------------------

// lakesyncConfig is the HCL the harness writes for one lakesync run.
const lakesyncConfig = `account "bench" {
  id                  = "000000000000"
  region              = "us-east-1"
  endpoint_url        = "{{ENDPOINT}}"
  s3_force_path_style = true
}
key "bench" {
  account = account.bench
  arn     = "arn:aws:kms:us-east-1:000000000000:key/{{KEYNAME}}"
}
bucket "src" {
  account = account.bench
  name    = "{{SRC}}"
}
bucket "dst" {
  account = account.bench
  name    = "{{DST}}"
  key     = key.bench
}
sync "bench" {
  source      = bucket.src
  destination = bucket.dst
  mode        = "{{MODE}}"
  transfer    = "{{TRANSFER}}"
  concurrency = {{CONCURRENCY}}
{{LARGE}}}
state { path = "{{STATEFILE}}" }
`

// lakesyncArgs is the command line of one lakesync run with config file cfg.
func lakesyncArgs(bin, cfg string) []string {
	return []string{bin, "apply", "-c", cfg, "--auto-approve", "--skip-policies"}
}

// lakesyncProbe is run once to decide whether the lakesync binary can take
// part; it must exit 0 and mention every flag lakesyncArgs uses.
func lakesyncProbe(bin string) (string, bool) {
	out, err := exec.Command(bin, "apply", "--help").CombinedOutput()
	help := string(out)
	if err != nil {
		return fmt.Sprintf("`lakesync apply --help` failed (%v): %s", err, firstLine(help)), false
	}
	for _, f := range []string{"-c", "--auto-approve", "--skip-policies"} {
		if !strings.Contains(help, f) {
			return fmt.Sprintf("`lakesync apply` has no %s flag yet", f), false
		}
	}
	return "", true
}

// lakesync runs tool ("lakesync", or baseTool: the same CLI built from
// --baseline).
func (e *env) lakesync(tool string, j job) (invocation, error) {
	mode, transfer, conc, large := "cp", "server-side", strconv.Itoa(e.opts.conc), ""
	if tool == "lakesync" && e.opts.lakesyncConc != "" {
		// lakesync at its defaults: concurrency = "auto" (adaptive) unless
		// --lakesync-concurrency fixes it; the peers' "lakesync's
		// concurrency" stays --concurrency. lakesync-base keeps the number:
		// versions before "auto" accept only a number.
		conc = e.opts.lakesyncConc
		if conc == "auto" {
			conc = `"auto"`
		}
	}
	switch j.Mode {
	case "sync":
		mode = "sync"
	case "mpcopy", "stream":
		if j.Mode == "stream" {
			transfer = "stream"
		}
		// One large object: the parts in parallel, and the same part size
		// and multipart threshold as every other tool (lakesync's default
		// threshold is 5 GiB, so a 1 GiB --quick object would otherwise be
		// one CopyObject).
		conc = strconv.Itoa(e.opts.partConc)
		ps := strconv.FormatInt(e.opts.partSize>>20, 10) + "MiB"
		large = fmt.Sprintf("  multipart_threshold = %q\n  part_size           = %q\n", ps, ps)
	}
	r := strings.NewReplacer(
		"{{ENDPOINT}}", e.endpointFor(j), "{{KEYNAME}}", e.kmsKeyName,
		"{{SRC}}", j.Src, "{{DST}}", j.Dst, "{{MODE}}", mode, "{{TRANSFER}}", transfer,
		// state.path names lakesync's state file; each job's file lives in
		// its own directory (fresh for full copies, kept for the syncs).
		"{{CONCURRENCY}}", conc, "{{STATEFILE}}", filepath.Join(j.StateDir, "state"),
		"{{LARGE}}", large,
	)
	dir := filepath.Join(e.workDir, "lakesync")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return invocation{}, err
	}
	cfg := filepath.Join(dir, fmt.Sprintf("%s-%s-run%d.hcl", strings.ReplaceAll(j.Scenario, "@rtt=", "-rtt"), tool, j.Run))
	if err := os.WriteFile(cfg, []byte(r.Replace(lakesyncConfig)), 0o644); err != nil {
		return invocation{}, err
	}
	return invocation{Pipeline: [][]string{lakesyncArgs(e.bin(tool), cfg)}}, nil
}

// buildBaseline builds lakesync as of git revision rev (of the repository
// at root) into bin, from a copy of that revision's tree, and returns
// "rev (commit)".
func buildBaseline(root, rev, bin string) (string, error) {
	out, err := exec.Command("git", "-C", root, "rev-parse", "--short", rev+"^{commit}").Output()
	if err != nil {
		return "", fmt.Errorf("--baseline %s: not a commit of %s", rev, root)
	}
	commit := strings.TrimSpace(string(out))
	src := filepath.Join(filepath.Dir(bin), "..", "baseline-src")
	if err := os.RemoveAll(src); err != nil {
		return "", err
	}
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", err
	}
	defer os.RemoveAll(src)
	archive := exec.Command("sh", "-c", `git -C "$1" archive --format=tar "$2" | tar -x -C "$3"`, "sh", root, commit, src)
	if out, err := archive.CombinedOutput(); err != nil {
		return "", fmt.Errorf("--baseline %s: git archive: %v: %s", rev, err, firstLine(string(out)))
	}
	build := exec.Command("go", "build", "-o", bin, "./cmd/lakesync")
	build.Dir = src
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("--baseline %s: go build: %v: %s", rev, err, firstLine(string(out)))
	}
	return fmt.Sprintf("%s (%s)", rev, commit), nil
}

// ---------------------------------------------------------------------------
// peers, each with its best documented flags for S3-to-S3 on this store.
// Each runs twice: at lakesync's concurrency (--concurrency requests, and
// --part-concurrency parts), and with defaults set at its own default
// concurrency (s5cmd 256 workers and 5 parts, rclone 4 transfers, 8 checkers
// and 4 parts, aws cli 10 requests). Part size and multipart threshold are
// the harness's in both.
// ---------------------------------------------------------------------------

func (e *env) s5cmd(j job, defaults bool) (invocation, error) {
	bin := e.bin("s5cmd")
	base := []string{bin, "--endpoint-url", e.endpointFor(j)}
	sse := []string{"--sse", "aws:kms", "--sse-kms-key-id", e.kmsKeyID}
	par := []string{"--concurrency", strconv.Itoa(e.opts.partConc), "--part-size", strconv.FormatInt(e.opts.partSize>>20, 10)}
	workers := []string{"--numworkers", strconv.Itoa(e.opts.conc)}
	if defaults {
		par, workers = par[2:], nil
	}
	src, dst := "s3://"+j.Src+"/*", "s3://"+j.Dst+"/"
	switch j.Mode {
	case "cp":
		return one(cat(base, workers, []string{"cp"}, sse, []string{src, dst})), nil
	case "sync":
		return one(cat(base, workers, []string{"sync"}, sse, []string{src, dst})), nil
	case "mpcopy":
		// s5cmd copies S3-to-S3 with one CopyObject whatever the size: no
		// multipart copy, so objects over 5 GiB fail on S3 (MinIO accepts).
		return one(cat(base, []string{"cp"}, sse, par, []string{"s3://" + j.Src + "/" + j.Key, "s3://" + j.Dst + "/" + j.Key})), nil
	case "stream":
		return invocation{Pipeline: [][]string{
			cat(base, []string{"cat"}, par, []string{"s3://" + j.Src + "/" + j.Key}),
			cat(base, []string{"pipe"}, sse, par, []string{"s3://" + j.Dst + "/" + j.Key}),
		}}, nil
	}
	return invocation{}, fmt.Errorf("s5cmd: no mode %s", j.Mode)
}

func (e *env) rclone(j job, defaults bool) (invocation, error) {
	bin := e.bin("rclone")
	// Two remotes, as for two accounts: "src" plain, "dst" with SSE-KMS.
	// Server-side copy between them needs --server-side-across-configs. With
	// one remote carrying the SSE-KMS setting rclone would treat the source's
	// ETags as non-MD5 too and HEAD every source object.
	common := []string{
		"--checksum", "--s3-no-check-bucket", "--fast-list", "--server-side-across-configs",
		"--s3-copy-cutoff", strconv.FormatInt(e.opts.partSize>>20, 10) + "Mi",
		"--s3-chunk-size", strconv.FormatInt(e.opts.partSize>>20, 10) + "Mi",
		"-q",
	}
	many := []string{"--transfers", strconv.Itoa(e.opts.conc), "--checkers", strconv.Itoa(e.opts.conc)}
	if !defaults {
		common = append(common, "--s3-upload-concurrency", strconv.Itoa(e.opts.partConc))
	} else {
		many = nil
	}
	src, dst := "src:"+j.Src, "dst:"+j.Dst
	var args []string
	switch j.Mode {
	case "cp":
		args = cat([]string{bin, "copy", src, dst}, many, common)
	case "sync":
		args = cat([]string{bin, "sync", src, dst}, many, common)
	case "mpcopy":
		args = cat([]string{bin, "copyto", src + "/" + j.Key, dst + "/" + j.Key}, common)
	case "stream":
		// --disable copy turns off server-side copy: rclone downloads and
		// uploads through itself.
		args = cat([]string{bin, "copyto", src + "/" + j.Key, dst + "/" + j.Key, "--disable", "copy"}, common)
	default:
		return invocation{}, fmt.Errorf("rclone: no mode %s", j.Mode)
	}
	env := []string{"RCLONE_CONFIG=" + filepath.Join(e.workDir, "rclone.conf")}
	for _, r := range []string{"SRC", "DST"} {
		p := "RCLONE_CONFIG_" + r + "_"
		env = append(env, p+"TYPE=s3", p+"PROVIDER=Minio", p+"ENDPOINT="+e.endpointFor(j),
			p+"ACCESS_KEY_ID="+e.accessKey, p+"SECRET_ACCESS_KEY="+e.secretKey,
			p+"REGION="+region, p+"FORCE_PATH_STYLE=true")
	}
	env = append(env, "RCLONE_CONFIG_DST_SERVER_SIDE_ENCRYPTION=aws:kms", "RCLONE_CONFIG_DST_SSE_KMS_KEY_ID="+e.kmsKeyID)
	return invocation{Pipeline: [][]string{args}, Env: env}, nil
}

func (e *env) awscli(j job, defaults bool) (invocation, error) {
	base := []string{e.awsBin, "--endpoint-url", e.endpointFor(j), "s3"}
	sse := []string{"--sse", "aws:kms", "--sse-kms-key-id", e.kmsKeyID, "--only-show-errors"}
	// The transfer settings (max_concurrent_requests, multipart threshold
	// and chunk size) live in the config file: one for many objects, one for
	// one large object.
	name := "aws-config-objects"
	if j.Mode == "mpcopy" || j.Mode == "stream" {
		name = "aws-config-large"
	}
	if defaults {
		name = "aws-config-defaults"
	}
	cfg := "AWS_CONFIG_FILE=" + filepath.Join(e.workDir, name)
	inv := invocation{Env: []string{cfg}}
	src, dst := "s3://"+j.Src+"/", "s3://"+j.Dst+"/"
	switch j.Mode {
	case "cp":
		inv.Pipeline = [][]string{cat(base, []string{"cp", src, dst, "--recursive"}, sse)}
	case "sync":
		inv.Pipeline = [][]string{cat(base, []string{"sync", src, dst}, sse)}
	case "mpcopy":
		inv.Pipeline = [][]string{cat(base, []string{"cp", src + j.Key, dst + j.Key}, sse)}
	case "stream":
		inv.Pipeline = [][]string{
			cat(base, []string{"cp", src + j.Key, "-", "--only-show-errors"}),
			cat(base, []string{"cp", "-", dst + j.Key, "--expected-size", strconv.FormatInt(j.Size, 10)}, sse),
		}
	default:
		return invocation{}, fmt.Errorf("awscli: no mode %s", j.Mode)
	}
	return inv, nil
}

// awsConfigFile is the AWS CLI config with its S3 transfer settings; conc 0
// leaves the concurrency at the CLI's defaults (10 requests, a queue of
// 1000).
func awsConfigFile(conc int, partSize int64) string {
	par := ""
	if conc > 0 {
		par = fmt.Sprintf("  max_concurrent_requests = %d\n  max_queue_size = 10000\n", conc)
	}
	return fmt.Sprintf(`[default]
region = %s
s3 =
%s  multipart_threshold = %dMB
  multipart_chunksize = %dMB
  addressing_style = path
`, region, par, partSize>>20, partSize>>20)
}

func (e *env) sdkLimit(j job) (invocation, error) {
	op := j.Mode
	args := []string{e.self, toolSDKLimit, "--endpoint", e.endpointFor(j), "--op", op, "--src", j.Src, "--dst", j.Dst,
		"--kms-key", e.kmsKeyID, "--concurrency", strconv.Itoa(e.opts.conc),
		"--part-size", strconv.FormatInt(e.opts.partSize, 10), "--part-concurrency", strconv.Itoa(e.opts.partConc)}
	if j.Key != "" {
		args = append(args, "--key", j.Key)
	}
	return one(args), nil
}

// endpointFor is where job j's tool sends its requests: the delay proxy of
// the job's MinIO.
func (e *env) endpointFor(j job) string {
	if j.Endpoint != "" {
		return j.Endpoint
	}
	return e.endpoint
}

func one(args []string) invocation { return invocation{Pipeline: [][]string{args}} }

func cat(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
