package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// minioDataDir is MinIO's data directory under bench/work. The leading
// underscore keeps it out of `go test ./...` and friends, which would
// otherwise walk tens of thousands of files that come and go during a run.
const minioDataDir = "_minio-data"

// minioServer is the MinIO process the harness starts on loopback.
type minioServer struct {
	cmd       *exec.Cmd
	endpoint  string
	accessKey string
	secretKey string
	kmsKey    string // name of the built-in KMS key (before ':' in MINIO_KMS_SECRET_KEY)
	version   string
	pidFile   string
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// minioSecrets are the root credentials and the KMS master key of the
// harness's MinIO servers. They are kept in bench/.cache (see loadSecrets):
// the large data set's server reopens its data directory run after run, and
// MinIO cannot read its own config, nor SSE-KMS objects, under another key.
type minioSecrets struct {
	AccessKey string `json:"access_key"`
	SecretKey string `json:"secret_key"`
	KMSSecret string `json:"kms_secret"` // base64 of 32 bytes
}

// loadSecrets reads path, or creates it with fresh secrets.
func loadSecrets(path string) (minioSecrets, error) {
	var s minioSecrets
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &s); err != nil || s.AccessKey == "" || s.SecretKey == "" || s.KMSSecret == "" {
			return s, fmt.Errorf("%s is not what the harness wrote; remove it (and bench/.cache/large-*, whose data it encrypts)", path)
		}
		return s, nil
	}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	s = minioSecrets{AccessKey: "benchadmin", SecretKey: randHex(16), KMSSecret: base64.StdEncoding.EncodeToString(secret)}
	b, _ := json.Marshal(s)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return s, err
	}
	return s, os.WriteFile(path, b, 0o600)
}

// startMinIO starts bin on dataDir (emptied first when fresh) and waits for
// it to be live. The server dies with the harness (Pdeathsig) and its pid is
// written to runDir/NAME.pid for bench/run's trap; its log is
// runDir/NAME.log.
func startMinIO(bin, name, dataDir, runDir string, fresh bool, sec minioSecrets) (*minioServer, error) {
	if fresh {
		if err := os.RemoveAll(dataDir); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cport, err := freePort()
	if err != nil {
		return nil, err
	}
	m := &minioServer{
		endpoint:  "http://127.0.0.1:" + strconv.Itoa(port),
		accessKey: sec.AccessKey,
		secretKey: sec.SecretKey,
		kmsKey:    "bench-key",
		pidFile:   filepath.Join(runDir, name+".pid"),
	}
	m.version = moduleVersion(bin)
	logPath := filepath.Join(runDir, name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "server", dataDir,
		"--address", "127.0.0.1:"+strconv.Itoa(port),
		"--console-address", "127.0.0.1:"+strconv.Itoa(cport), "--quiet")
	cmd.Env = append(os.Environ(),
		"MINIO_ROOT_USER="+m.accessKey,
		"MINIO_ROOT_PASSWORD="+m.secretKey,
		"MINIO_KMS_SECRET_KEY="+m.kmsKey+":"+sec.KMSSecret,
		"MINIO_BROWSER=off",
		"MINIO_UPDATE=off",
	)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start minio: %w", err)
	}
	logFile.Close()
	m.cmd = cmd
	_ = os.WriteFile(m.pidFile, []byte(strconv.Itoa(cmd.Process.Pid)), 0o644)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(m.endpoint + "/minio/health/live")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return m, nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	m.stop()
	b, _ := os.ReadFile(logPath)
	return nil, fmt.Errorf("minio not live after 60s: %s", strings.TrimSpace(string(b)))
}

// stop terminates MinIO and waits for it.
func (m *minioServer) stop() {
	if m == nil || m.cmd == nil || m.cmd.Process == nil {
		return
	}
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = m.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = m.cmd.Process.Kill()
		<-done
	}
	_ = os.Remove(m.pidFile)
}
