package inventory

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lakesync/lakesync/internal/plan"
)

// csvRows reads the rows of one gzipped CSV data file and calls add with
// each current object (not a delete marker, not a noncurrent version)
// whose key is under prefix. Keys are URL-decoded (CSV inventories write
// them URL-encoded, a space as '+'); ETags are quoted, as listings give
// them. where names the file in errors.
func csvRows(r io.Reader, sch schema, prefix, where string, add func(plan.SourceObject) error) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("%s: not a gzip file: %w", where, err)
	}
	cr := csv.NewReader(zr)
	cr.FieldsPerRecord = sch.width
	cr.ReuseRecord = true
	col := func(rec []string, name string) string {
		if i, ok := sch.cols[name]; ok {
			return rec[i]
		}
		return ""
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		line, _ := cr.FieldPos(0)
		if col(rec, colDeleteMarker) == "true" || col(rec, colIsLatest) == "false" {
			continue
		}
		key, err := url.QueryUnescape(col(rec, colKey))
		if err != nil {
			return fmt.Errorf("%s, line %d: key %q is not URL-encoded as inventories write keys: %w", where, line, col(rec, colKey), err)
		}
		if !strings.HasPrefix(key, prefix) {
			continue
		}
		size, err := strconv.ParseInt(col(rec, colSize), 10, 64)
		if err != nil || size < 0 {
			return fmt.Errorf("%s, line %d: key %q: size %q is not a number of bytes", where, line, key, col(rec, colSize))
		}
		mod, err := time.Parse(time.RFC3339, col(rec, colLastModified))
		if err != nil {
			return fmt.Errorf("%s, line %d: key %q: LastModifiedDate %q is not a date like 2016-11-06T21:32:00.000Z", where, line, key, col(rec, colLastModified))
		}
		etag := col(rec, colETag)
		if !strings.HasPrefix(etag, `"`) {
			etag = `"` + etag + `"`
		}
		// A field is a slice of its whole line: clone what is kept.
		err = add(plan.SourceObject{Key: strings.Clone(key), Size: size, ETag: etag, LastModified: mod.UTC(), StorageClass: storageClass(col(rec, colStorageClass))})
		if err != nil {
			return err
		}
	}
}

// storageClasses are S3's storage class names: a row naming one shares
// it instead of keeping its own copy.
var storageClasses = []string{"STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER",
	"GLACIER_IR", "DEEP_ARCHIVE", "REDUCED_REDUNDANCY", "EXPRESS_ONEZONE", "OUTPOSTS", "SNOW"}

// storageClass is c, shared when it is one of S3's names.
func storageClass(c string) string {
	for _, s := range storageClasses {
		if s == c {
			return s
		}
	}
	return strings.Clone(c)
}
