package inventory

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Manifest is an inventory report's manifest.json, as AWS documents it.
type Manifest struct {
	SourceBucket      string `json:"sourceBucket"`
	DestinationBucket string `json:"destinationBucket"` // an ARN: arn:aws:s3:::NAME
	Version           string `json:"version"`
	// CreationTimestamp is when the report's scan of the bucket began,
	// in milliseconds since the epoch (a JSON string in AWS's manifests).
	CreationTimestamp json.Number `json:"creationTimestamp"`
	FileFormat        string      `json:"fileFormat"` // "CSV", "ORC" or "Parquet"
	// FileSchema names the CSV columns in order, comma-separated
	// ("Bucket, Key, Size, ..."); ORC and Parquet give a type instead.
	FileSchema string     `json:"fileSchema"`
	Files      []DataFile `json:"files"`
}

// DataFile is one data file of a report.
type DataFile struct {
	Key  string `json:"key"` // in the destination bucket
	Size int64  `json:"size"`
	MD5  string `json:"MD5checksum"` // hex
}

// The columns a source listing needs, as fileSchema names them. The
// inventory configuration must include the optional fields among them.
const (
	colKey          = "Key"
	colSize         = "Size"
	colLastModified = "LastModifiedDate"
	colETag         = "ETag"
	colStorageClass = "StorageClass"
	colIsLatest     = "IsLatest"
	colDeleteMarker = "IsDeleteMarker"
)

var neededColumns = []string{colKey, colSize, colLastModified, colETag, colStorageClass}

// parseManifest checks manifest.json (body) against manifest.checksum
// (the hex MD5 of body), decodes it and checks what the reader relies on;
// where names the manifest in errors.
func parseManifest(body, checksum []byte, where string) (*Manifest, time.Time, error) {
	sum := md5.Sum(body)
	if want := strings.TrimSpace(string(checksum)); !strings.EqualFold(want, hex.EncodeToString(sum[:])) {
		return nil, time.Time{}, fmt.Errorf("%s: its MD5 is %x but manifest.checksum says %q: the manifest is damaged or was replaced while being read; run again", where, sum, want)
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, time.Time{}, fmt.Errorf("%s: not an S3 Inventory manifest: %w", where, err)
	}
	ms, err := strconv.ParseInt(m.CreationTimestamp.String(), 10, 64)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("%s: creationTimestamp %q is not milliseconds since the epoch", where, m.CreationTimestamp)
	}
	switch {
	case m.SourceBucket == "":
		return nil, time.Time{}, fmt.Errorf("%s: no sourceBucket: not an S3 Inventory manifest", where)
	case m.FileFormat != "CSV":
		return nil, time.Time{}, fmt.Errorf("%s: the report's format is %q; lakesync reads CSV inventories: set the inventory configuration's output format to CSV", where, m.FileFormat)
	}
	if _, err := m.columns(); err != nil {
		return nil, time.Time{}, fmt.Errorf("%s: %w", where, err)
	}
	for i, f := range m.Files {
		if f.Key == "" || f.MD5 == "" {
			return nil, time.Time{}, fmt.Errorf("%s: files[%d] has no key or no MD5checksum", where, i)
		}
	}
	return &m, time.UnixMilli(ms).UTC(), nil
}

// schema is a CSV fileSchema: each column's index, and the number of
// columns of a row.
type schema struct {
	cols  map[string]int
	width int
}

// columns reads the CSV fileSchema and checks it has the columns a source
// listing needs.
func (m *Manifest) columns() (schema, error) {
	names := strings.Split(m.FileSchema, ",")
	cols := make(map[string]int, len(names))
	for i, name := range names {
		cols[strings.TrimSpace(name)] = i
	}
	var missing []string
	for _, c := range neededColumns {
		if _, ok := cols[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return schema{}, fmt.Errorf("fileSchema %q lacks %s, which a source listing needs: add them to the inventory configuration's optional fields (the next report carries them)",
			m.FileSchema, strings.Join(missing, ", "))
	}
	return schema{cols: cols, width: len(names)}, nil
}
