package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"

	"github.com/lakesync/lakesync/internal/plan"
)

// planFile is what plan --out saves and apply FILE reads: the plan and
// what it was made from, so that apply can refuse a plan made from another
// configuration. It holds no credentials: accounts are named, never keyed.
type planFile struct {
	FormatVersion string            `json:"format_version"`
	ConfigPath    string            `json:"config_path"`
	ConfigSHA256  string            `json:"config_sha256"`
	Vars          map[string]string `json:"vars,omitempty"`
	Plan          *plan.Plan        `json:"plan"`
	// KeyRanges are each job's key range boundaries (plan.Tile), taken
	// once from the source's delimiter listing when the plan listed the
	// data: the shards of apply PLANFILE --shard I/N each list their own
	// ranges of them (plan.ShardRanges). A job without an entry (a plan
	// of --skip-data, or one saved before the field) is sharded by hash.
	KeyRanges map[string][]string `json:"key_ranges,omitempty"`
}

func fileSHA256(path string) (string, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(src)
	return hex.EncodeToString(sum[:]), nil
}

func writePlanFile(path string, pf *planFile) error {
	data, err := json.MarshalIndent(pf, "", "  ")
	if err != nil {
		return fmt.Errorf("encode plan: %w", err)
	}
	if err := replaceFile(path, append(data, '\n')); err != nil {
		return err
	}
	return os.Chmod(path, 0o600)
}

func readPlanFile(path string) (*planFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read plan file: %w", err)
	}
	var pf planFile
	if err := json.Unmarshal(data, &pf); err != nil {
		return nil, fmt.Errorf("%s is not a lakesync plan file (made by lakesync plan --out): %w", path, err)
	}
	if pf.Plan == nil {
		return nil, fmt.Errorf("%s is not a lakesync plan file (made by lakesync plan --out): it holds no plan", path)
	}
	if pf.FormatVersion != plan.FormatVersion {
		return nil, fmt.Errorf("%s has plan format %s; this lakesync reads %s: make the plan again with this version", path, pf.FormatVersion, plan.FormatVersion)
	}
	return &pf, nil
}
