package s3inventory

import (
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Schema is the fileSchema Files writes: an unversioned inventory with
// the optional fields a source listing needs.
const Schema = "Bucket, Key, Size, LastModifiedDate, ETag, StorageClass"

// Object is one row of a report.
type Object struct {
	Key          string
	Size         int64
	ETag         string // as S3 lists it, quoted or not (inventories write it bare)
	StorageClass string // "": STANDARD
	LastModified time.Time
}

// Report is one inventory report of SourceBucket.
type Report struct {
	SourceBucket string
	// InventoryBucket is the bucket the report is delivered to (the
	// manifest's destinationBucket).
	InventoryBucket string
	ConfigID        string    // "": "daily"
	Created         time.Time // the manifest's creationTimestamp; names the report's folder
	Objects         []Object
	// FileRows is the number of rows per data file (0: all in one).
	FileRows int
}

// Folder is the report's folder below prefix:
// PREFIX/SOURCE-BUCKET/CONFIG-ID/YYYY-MM-DDTHH-MMZ/.
func (r Report) Folder(prefix string) string {
	return r.base(prefix) + r.Created.UTC().Format("2006-01-02T15-04Z") + "/"
}

func (r Report) base(prefix string) string {
	id := r.ConfigID
	if id == "" {
		id = "daily"
	}
	return prefix + r.SourceBucket + "/" + id + "/"
}

// Files is the report's objects under prefix, key -> body: its data files
// and, in Folder(prefix), manifest.json and manifest.checksum.
func (r Report) Files(prefix string) (map[string][]byte, error) {
	out := map[string][]byte{}
	type file struct {
		Key  string `json:"key"`
		Size int64  `json:"size"`
		MD5  string `json:"MD5checksum"`
	}
	var files []file
	per := r.FileRows
	if per <= 0 {
		per = max(len(r.Objects), 1)
	}
	stamp := r.Created.UTC().Format("2006-01-02T15-04Z")
	for i := 0; i == 0 || i < len(r.Objects); i += per {
		body, err := dataFile(r.SourceBucket, r.Objects[i:min(i+per, len(r.Objects))])
		if err != nil {
			return nil, err
		}
		key := fmt.Sprintf("%sdata/%s-%04d.csv.gz", r.base(prefix), stamp, i/per)
		out[key] = body
		sum := md5.Sum(body)
		files = append(files, file{Key: key, Size: int64(len(body)), MD5: hex.EncodeToString(sum[:])})
	}
	manifest, err := json.MarshalIndent(map[string]any{
		"sourceBucket":      r.SourceBucket,
		"destinationBucket": "arn:aws:s3:::" + r.InventoryBucket,
		"version":           "2016-11-30",
		"creationTimestamp": strconv.FormatInt(r.Created.UnixMilli(), 10),
		"fileFormat":        "CSV",
		"fileSchema":        Schema,
		"files":             files,
	}, "", "  ")
	if err != nil {
		return nil, err
	}
	sum := md5.Sum(manifest)
	out[r.Folder(prefix)+"manifest.json"] = manifest
	out[r.Folder(prefix)+"manifest.checksum"] = []byte(hex.EncodeToString(sum[:]) + "\n")
	return out, nil
}

// dataFile is one gzipped CSV data file: every field quoted, keys
// URL-encoded (a space as '+'), as S3 writes them.
func dataFile(bucket string, objs []Object) ([]byte, error) {
	var plain strings.Builder
	q := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	for _, o := range objs {
		class := o.StorageClass
		if class == "" {
			class = "STANDARD"
		}
		fields := []string{bucket, url.QueryEscape(o.Key), strconv.FormatInt(o.Size, 10),
			o.LastModified.UTC().Format("2006-01-02T15:04:05.000Z"), strings.Trim(o.ETag, `"`), class}
		for i, f := range fields {
			fields[i] = q(f)
		}
		plain.WriteString(strings.Join(fields, ",") + "\n")
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write([]byte(plain.String())); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return gz.Bytes(), nil
}
