package plan

import (
	"encoding/json"
	"time"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/policy"
)

// FormatVersion is the version of the plan's JSON form. A minor bump adds
// fields; a major bump changes or removes them.
const FormatVersion = "1.1"

// Plan is everything one apply will do.
type Plan struct {
	FormatVersion string            `json:"format_version"`
	Documents     []*DocumentChange `json:"documents"`
	Settings      []*SettingChange  `json:"settings"`
	Jobs          []*JobPlan        `json:"jobs"`
	Findings      []policy.Finding  `json:"findings"`
	// Advice are the settings lakesync would change on a bucket with
	// policy = "external": it never writes them, so they are advice to
	// the tool that owns the bucket.
	Advice []*SettingChange `json:"advice,omitempty"`
	// Creations are the buckets apply creates (create = true), before
	// any policy is written.
	Creations []*BucketCreation `json:"bucket_creations,omitempty"`
	// Migrations are the configuration's migration blocks: lakesync
	// migrate runs them, apply never does.
	Migrations []*MigrationPlan `json:"migrations,omitempty"`
}

// Document kinds.
const (
	BucketPolicy = "bucket_policy"
	KeyPolicy    = "key_policy"
	RolePolicy   = "role_policy"
)

// Actions on a whole document or setting.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionDelete = "delete"
	ActionNoOp   = "no-op"
)

// DocumentChange is the change of one policy document.
type DocumentChange struct {
	// Address names the document's block; its JSON is "bucket.lake",
	// "key.lake", "role.copier".
	Address     Ref    `json:"address"`
	Kind        string `json:"kind"` // BucketPolicy, KeyPolicy, RolePolicy
	AccountName string `json:"account_name"`
	AccountID   string `json:"account_id"`
	// Resource is the bucket name, the key ARN or the role name.
	Resource string `json:"resource"`
	// PolicyName is the role's inline policy name (RolePolicy only).
	PolicyName string `json:"policy_name,omitempty"`
	Action     string `json:"action"`
	// BeforeSHA256 is the hash of the document exactly as it was read
	// ("" when absent); apply refuses a plan whose documents changed since.
	BeforeSHA256 string                   `json:"before_sha256"`
	Before       json.RawMessage          `json:"before,omitempty"`
	After        json.RawMessage          `json:"after,omitempty"`
	Statements   []policy.StatementChange `json:"statements"`
}

// Bucket settings lakesync manages on destination buckets.
const (
	SettingObjectOwnership   = "object_ownership"
	SettingDefaultEncryption = "default_encryption"
	SettingAbortIncomplete   = "abort_incomplete_multipart_uploads"
)

// SettingChange is the change of one bucket setting.
type SettingChange struct {
	Address     Ref          `json:"address"` // the bucket block: "bucket.lake"
	AccountName string       `json:"account_name"`
	AccountID   string       `json:"account_id"`
	Bucket      string       `json:"bucket"`
	Setting     string       `json:"setting"`
	Action      string       `json:"action"`
	Before      SettingValue `json:"before"`
	After       SettingValue `json:"after"`
	// KeyARN is the key default encryption uses (SettingDefaultEncryption).
	KeyARN string `json:"key_arn,omitempty"`
	// Reason says why the setting matters, for the human view.
	Reason string `json:"reason"`
}

// JobPlan is what one sync job will do.
type JobPlan struct {
	Name     string   `json:"name"`
	Mode     string   `json:"mode"`
	Transfer string   `json:"transfer"`
	Topology string   `json:"topology,omitempty"` // push, pull or third-account
	Source   string   `json:"source"`             // s3://bucket/prefix
	Dest     string   `json:"destination"`
	Notes    []string `json:"notes,omitempty"`
	// CrossRegion is set when the source and destination buckets are in
	// different regions (S3 bills the bytes copied between them), and
	// SourceRegion and DestinationRegion then say which.
	CrossRegion       bool   `json:"cross_region,omitempty"`
	SourceRegion      string `json:"source_region,omitempty"`
	DestinationRegion string `json:"destination_region,omitempty"`
	// DataListing says whether the plan listed the job's data (Data set)
	// or when the data is listed instead: while copying (apply without a
	// saved plan), or not at all (plan --skip-data).
	DataListing DataListing `json:"data_listing"`
	// Archived is the job's archived setting: "skip", "restore" or "fail".
	Archived string `json:"archived,omitempty"`
	// Data is nil when the data was not observed (plan --skip-data, or
	// apply without a saved plan: DataListing says which).
	Data *JobData `json:"data,omitempty"`
	// SourceAsOf is the job's source_as_of: the source's versions current
	// at that time are copied; nil: its current versions.
	SourceAsOf *time.Time `json:"source_as_of,omitempty"`
	// ObjectLock is the job's object_lock ("copy" or "bucket-default")
	// when the destination bucket has Object Lock; empty otherwise.
	ObjectLock string `json:"object_lock,omitempty"`
}

// JobData is what a run of the job would copy and delete.
type JobData struct {
	Copy      Count               `json:"copy"` // new + changed + missing at destination + overwritten
	New       Count               `json:"new"`
	Changed   Count               `json:"changed"`
	Missing   Count               `json:"missing"` // recorded but gone or overwritten at the destination
	Adopt     Count               `json:"adopt"`   // already at the destination, recorded without copying
	Delete    Count               `json:"delete"`
	Unchanged Count               `json:"unchanged"`
	Keys      map[string][]string `json:"keys,omitempty"` // first keys per action
	Estimate  Estimate            `json:"estimate"`
	// Archived are the objects a copy would need whose source is archived
	// (GLACIER, DEEP_ARCHIVE): not in Copy, and not failures unless the
	// job says archived = "fail".
	Archived Count `json:"archived"`
	// Restore is what a run restores (archived = "restore" only).
	Restore *RestorePlan `json:"restore,omitempty"`
	// SourceListing is set when the source listing is an S3 Inventory
	// report (source_inventory), not a listing of the bucket.
	SourceListing *SourceListing `json:"source_listing,omitempty"`
}

// HasChanges reports whether applying the plan would change anything:
// a document, a setting or data.
func (p *Plan) HasChanges() bool {
	if p.PolicyChanges() {
		return true
	}
	for _, j := range p.Jobs {
		if j.Data != nil && (j.Data.Copy.Objects > 0 || j.Data.Delete.Objects > 0 || j.Data.Adopt.Objects > 0) {
			return true
		}
		if j.archivedWork() {
			return true
		}
	}
	return false
}

// archivedWork reports whether apply has something to do with the job's
// archived objects: restores to request or to wait for, or (archived =
// "fail") objects to fail on. Skipped archived objects are no change,
// or --detailed-exitcode would report changes for ever.
func (j *JobPlan) archivedWork() bool {
	switch {
	case j.Data == nil:
		return false
	case j.Data.Restore != nil:
		return j.Data.Restore.Requests.Objects > 0 || j.Data.Restore.Requested.Objects > 0 || j.Data.Restore.Unavailable.Objects > 0
	}
	return j.Archived == string(config.ArchivedFail) && j.Data.Archived.Objects > 0
}

// PolicyChanges reports whether any document or setting changes.
func (p *Plan) PolicyChanges() bool {
	if len(p.Creations) > 0 {
		return true
	}
	for _, d := range p.Documents {
		if d.Action != ActionNoOp {
			return true
		}
	}
	for _, s := range p.Settings {
		if s.Action != ActionNoOp {
			return true
		}
	}
	return false
}

// Blocked reports whether a finding stops the apply.
func (p *Plan) Blocked() bool { return policy.Blocking(p.Findings) }

// Totals sums a plan for its one-line summary.
type Totals struct {
	Create, Update, Delete int // documents
	Buckets                int // buckets apply creates
	Settings               int // bucket settings that change
	Copy                   Count
	DeleteObjects          int64
}

// Totals sums the plan's changes.
func (p *Plan) Totals() Totals {
	t := Totals{Buckets: len(p.Creations)}
	for _, d := range p.Documents {
		switch d.Action {
		case ActionCreate:
			t.Create++
		case ActionUpdate:
			t.Update++
		case ActionDelete:
			t.Delete++
		}
	}
	for _, s := range p.Settings {
		if s.Action != ActionNoOp {
			t.Settings++
		}
	}
	for _, j := range p.Jobs {
		if j.Data != nil {
			t.Copy.Objects += j.Data.Copy.Objects
			t.Copy.Bytes += j.Data.Copy.Bytes
			t.DeleteObjects += j.Data.Delete.Objects
		}
	}
	return t
}
