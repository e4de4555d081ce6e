// Command benchrun is the lakesync benchmark harness: it starts MinIO on
// loopback, creates the data sets, runs every scenario for lakesync and its
// peers (s5cmd, rclone, the AWS CLI) and a bare aws-sdk-go-v2 loop
// (sdk-limit), and writes bench/results/latest.{md,json}. bench/run installs
// the tools and calls it; see bench/README.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/lakesync/lakesync/internal/config"
)

var allScenarios = []string{"small-cp", "noop-sync", "delta-sync", "noop-sync-large", "delta-sync-large", "large-copy", "stream-large"}

// options are the command-line settings.
type options struct {
	root         string
	quick        bool
	objects      int
	noopObjects  int
	smallSize    int64
	largeSize    int64
	partSize     int64
	runs         int
	scenarios    []string
	tools        []string
	conc         int
	lakesyncConc string
	partConc     int
	deltaPercent float64
	timeout      time.Duration
	keep         bool
	out          string
	baseline     string
	rtts         []time.Duration // --rtt: the delay proxy's delay per request, each in turn
	largeObjects int             // objects of the large data set (noop-sync-large, delta-sync-large)
}

// env is what every tool run needs to know.
type env struct {
	opts       options
	endpoint   string
	accessKey  string
	secretKey  string
	kmsKeyName string // MinIO's key name, as in MINIO_KMS_SECRET_KEY
	kmsKeyID   string // the SSE-KMS key id the peers send (what MinIO accepts)
	binDir     string
	cacheDir   string
	secrets    minioSecrets
	workDir    string
	self       string
	awsBin     string
	baseEnv    []string
}

func (e *env) bin(name string) string { return filepath.Join(e.binDir, name) }

func main() {
	if len(os.Args) > 1 && os.Args[1] == toolSDKLimit {
		if err := sdkLimitMain(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "sdk-limit:", err)
			os.Exit(1)
		}
		return
	}
	opts, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchrun:", err)
		os.Exit(2)
	}
	if err := benchMain(opts); err != nil {
		fmt.Fprintln(os.Stderr, "benchrun:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("benchrun", flag.ContinueOnError)
	fs.StringVar(&o.root, "root", ".", "repository root")
	fs.BoolVar(&o.quick, "quick", false, "small sizes (1,000 / 2,000 objects, 1 GiB large object)")
	fs.IntVar(&o.objects, "objects", 0, "objects of small-cp (default 5000, quick 1000)")
	fs.IntVar(&o.noopObjects, "noop-objects", 0, "objects of noop-sync and delta-sync (default 20000, quick 2000)")
	small := fs.String("small-size", "100KiB", "size of each small object")
	large := fs.String("large-size", "", "size of the large object (default 5376MiB, quick 1GiB)")
	part := fs.String("part-size", "64MiB", "multipart part size for large-copy and stream-large")
	fs.IntVar(&o.runs, "runs", 3, "measured runs per tool and scenario (at least 3 recommended)")
	scen := fs.String("scenarios", strings.Join(allScenarios, ","), "comma-separated scenarios")
	tools := fs.String("tools", strings.Join(defaultTools, ","), "comma-separated tools")
	fs.IntVar(&o.conc, "concurrency", 64, "parallel requests for many-object scenarios")
	fs.StringVar(&o.lakesyncConc, "lakesync-concurrency", "auto", `lakesync's concurrency for many-object scenarios: "auto" (its default) or a number; the peers run at --concurrency`)
	fs.IntVar(&o.partConc, "part-concurrency", 8, "parallel parts for large-copy and stream-large")
	fs.Float64Var(&o.deltaPercent, "delta-percent", 1, "percent of objects rewritten, and percent added, per delta-sync run")
	fs.DurationVar(&o.timeout, "timeout", 20*time.Minute, "time limit of one tool run")
	fs.BoolVar(&o.keep, "keep", false, "keep MinIO's data directory at the end")
	fs.StringVar(&o.out, "out", "bench/results", "results directory (relative to -root)")
	rtt := fs.String("rtt", "0", "delay per request of the proxy in front of MinIO (a Go duration); a comma list runs the scenarios at each")
	fs.IntVar(&o.largeObjects, "large-objects", 0, "objects of noop-sync-large and delta-sync-large (default 1000000, quick 50000)")
	fs.StringVar(&o.baseline, "baseline", "", "also run lakesync built from this git revision, as the tool "+baseTool+" (before/after figures)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	var err error
	if o.smallSize, err = parseSize(*small); err != nil {
		return o, err
	}
	if o.partSize, err = parseSize(*part); err != nil {
		return o, err
	}
	if o.partSize < 5<<20 {
		return o, fmt.Errorf("--part-size must be at least 5MiB")
	}
	if *large == "" {
		*large = "5376MiB"
		if o.quick {
			*large = "1GiB"
		}
	}
	if o.largeSize, err = parseSize(*large); err != nil {
		return o, err
	}
	if o.objects == 0 {
		o.objects = 5000
		if o.quick {
			o.objects = 1000
		}
	}
	if o.noopObjects == 0 {
		o.noopObjects = 20000
		if o.quick {
			o.noopObjects = 2000
		}
	}
	if o.largeObjects == 0 {
		o.largeObjects = 1000000
		if o.quick {
			o.largeObjects = 50000
		}
	}
	if o.largeObjects < 100 {
		return o, fmt.Errorf("--large-objects must be at least 100")
	}
	if o.rtts, err = parseRTTs(*rtt); err != nil {
		return o, err
	}
	if o.runs < 1 {
		return o, fmt.Errorf("--runs must be at least 1")
	}
	o.scenarios, err = pickList(*scen, allScenarios, "scenario")
	if err != nil {
		return o, err
	}
	if o.baseline != "" {
		*tools += "," + baseTool // pickList drops a repeat
	}
	o.tools, err = pickList(*tools, knownTools, "tool")
	if err == nil && o.baseline == "" && slices.Contains(o.tools, baseTool) {
		err = fmt.Errorf("the tool %s needs --baseline REV", baseTool)
	}
	return o, err
}

// pickList splits a comma list, checks each name and returns them in the
// canonical order of all.
func pickList(s string, all []string, what string) ([]string, error) {
	want := map[string]bool{}
	for _, x := range strings.Split(s, ",") {
		x = strings.TrimSpace(x)
		if x == "" {
			continue
		}
		if !slices.Contains(all, x) {
			return nil, fmt.Errorf("unknown %s %q (have %s)", what, x, strings.Join(all, ", "))
		}
		want[x] = true
	}
	var out []string
	for _, a := range all {
		if want[a] {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no %s selected", what)
	}
	return out, nil
}

// parseSize reads a size flag as lakesync reads part_size
// (config.ParseSize: "100KiB", "64MiB", "5.25GiB", "100MB", plain bytes),
// so the harness and the tool it measures agree on what a size means; a
// size must be positive.
func parseSize(s string) (int64, error) {
	n, err := config.ParseSize(s)
	if err != nil {
		return 0, err
	}
	if n <= 0 {
		return 0, fmt.Errorf("bad size %q: write a size above 0", s)
	}
	return n, nil
}

func benchMain(o options) error {
	root, err := filepath.Abs(o.root)
	if err != nil {
		return err
	}
	o.root = root
	e := &env{
		opts:     o,
		binDir:   filepath.Join(root, "bench", ".cache", "bin"),
		cacheDir: filepath.Join(root, "bench", ".cache"),
		workDir:  filepath.Join(root, "bench", "work"),
	}
	if e.self, err = os.Executable(); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(e.workDir, "logs"), 0o755); err != nil {
		return err
	}

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()

	sec, err := loadSecrets(filepath.Join(e.cacheDir, "minio-secrets.json"))
	if err != nil {
		return err
	}
	e.secrets = sec
	logf("starting MinIO")
	srv, err := startMinIO(e.bin("minio"), "minio", filepath.Join(e.workDir, minioDataDir), e.workDir, true, sec)
	if err != nil {
		return err
	}
	defer func() {
		logf("stopping MinIO")
		srv.stop()
		if !o.keep {
			_ = os.RemoveAll(filepath.Join(e.workDir, minioDataDir))
		}
	}()
	e.accessKey, e.secretKey, e.kmsKeyName = srv.accessKey, srv.secretKey, srv.kmsKey
	logf("MinIO %s at %s", srv.version, srv.endpoint)

	b := &bench{e: e, ctx: ctx, results: map[string]map[string][]sample{}, info: map[string]*scenarioInfo{}}
	defer b.stopProxies()
	// Every tool talks to MinIO through the delay proxy; the harness's own
	// requests (data sets, verification) go to MinIO directly, so that the
	// proxy counts the tool's requests only.
	if e.endpoint, err = b.startProxy(srv.endpoint); err != nil {
		return err
	}
	b.meta.minio = srv.version
	b.c = newClient(srv.endpoint, e.accessKey, e.secretKey, max(o.conc, 16))
	if err := b.setupEnv(); err != nil {
		return err
	}
	if err := b.probeKMS(); err != nil {
		return err
	}
	b.detectTools()
	start := time.Now()
	b.meta.loadavg = append(b.meta.loadavg, loadavg())
	err = b.runScenarios()
	b.meta.loadavg = append(b.meta.loadavg, loadavg())
	b.meta.elapsed = time.Since(start)
	// An interrupted or failed run keeps bench/results as it was and leaves
	// what it measured in bench/work/partial.{md,json}.
	dir := ""
	if err != nil {
		dir = e.workDir
		b.meta.incomplete = err.Error()
		logf("run incomplete (%v): partial results go to %s", err, dir)
	}
	if werr := b.writeReports(dir); werr != nil && err == nil {
		err = werr
	}
	return err
}

// setupEnv prepares the environment every tool runs with: no AWS or rclone
// settings from the user's shell, MinIO's root credentials, and config files
// of the harness's own.
func (b *bench) setupEnv() error {
	e := b.e
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "AWS_") || strings.HasPrefix(kv, "RCLONE_") {
			continue
		}
		e.baseEnv = append(e.baseEnv, kv)
	}
	e.baseEnv = append(e.baseEnv,
		"AWS_ACCESS_KEY_ID="+e.accessKey,
		"AWS_SECRET_ACCESS_KEY="+e.secretKey,
		"AWS_REGION="+region,
		"AWS_DEFAULT_REGION="+region,
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(e.workDir, "aws-credentials"),
		"AWS_CONFIG_FILE="+filepath.Join(e.workDir, "aws-config-objects"),
		"AWS_EC2_METADATA_DISABLED=true",
	)
	files := map[string]string{
		"aws-credentials":    "",
		"rclone.conf":        "",
		"aws-config-objects": awsConfigFile(e.opts.conc, e.opts.partSize),
		"aws-config-large":   awsConfigFile(e.opts.partConc, e.opts.partSize),
		// awscli-defaults: the CLI's own concurrency, the same part size.
		"aws-config-defaults": awsConfigFile(0, e.opts.partSize),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(e.workDir, name), []byte(content), 0o600); err != nil {
			return err
		}
	}
	return nil
}

// loadavg returns the 1, 5 and 15 minute load averages ("" if unknown).
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// moduleVersion is the main module version recorded in a Go binary (go
// version -m), which binaries built by go install or inside the module
// cache carry even when their own version string says "dev".
func moduleVersion(bin string) string {
	out, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		return "(unknown version)"
	}
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Fields(l)
		if len(f) >= 3 && f[0] == "mod" {
			return f[2]
		}
	}
	return "(unknown version)"
}

// resolveAWS finds the real aws script behind a pyenv shim, so that the
// shim's own start-up (a few hundred ms of bash) is not charged to the CLI.
func resolveAWS() string {
	if out, err := exec.Command("pyenv", "which", "aws").Output(); err == nil {
		if p := strings.TrimSpace(string(out)); p != "" {
			return p
		}
	}
	p, err := exec.LookPath("aws")
	if err != nil {
		return ""
	}
	return p
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%s] %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}
