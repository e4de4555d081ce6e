package inventory

import (
	"context"
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/lakesync/lakesync/internal/config"
)

// reportFolder matches the last segment of a report's folder: the time
// its scan began, YYYY-MM-DDTHH-MMZ. Their names sort as their times.
var reportFolder = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}Z$`)

func lastSegment(prefix string) string { return path.Base(strings.TrimSuffix(prefix, "/")) }

// candidates are the report folders under loc, newest first. loc.Prefix
// may be at one of three levels of AWS's layout:
//
//   - a report folder, .../YYYY-MM-DDTHH-MMZ/: that report alone;
//   - an inventory configuration's folder, SOURCE-BUCKET/CONFIG-ID/ below
//     the destination prefix: its report folders;
//   - the inventory configuration's destination prefix: the folders of
//     the one configuration under SOURCE-BUCKET/ (several configurations
//     of the bucket there are an error that names them: the prefix must
//     say which).
func candidates(ctx context.Context, api BucketReader, loc config.InventoryLocation, sourceBucket string) ([]string, error) {
	if reportFolder.MatchString(lastSegment(loc.Prefix)) {
		return []string{loc.Prefix}, nil
	}
	dated, err := reportFolders(ctx, api, loc.Bucket, loc.Prefix)
	if err != nil || len(dated) > 0 {
		return dated, err
	}
	configs, err := folders(ctx, api, loc.Bucket, loc.Prefix+sourceBucket+"/")
	if err != nil {
		return nil, err
	}
	switch len(configs) {
	case 0:
		return nil, fmt.Errorf("%s holds no inventory report of bucket %s: no report folder (YYYY-MM-DDTHH-MMZ/) below it, nor below %s%s/CONFIG-ID/; write the inventory configuration's destination prefix, or its %s/CONFIG-ID/ folder below it",
			loc.String(), sourceBucket, loc.String(), sourceBucket, sourceBucket)
	case 1:
		dated, err := reportFolders(ctx, api, loc.Bucket, configs[0])
		if err == nil && len(dated) == 0 {
			err = fmt.Errorf("s3://%s/%s holds no inventory report yet (no YYYY-MM-DDTHH-MMZ/ folder): S3 delivers the first report within 48 hours of the inventory's configuration", loc.Bucket, configs[0])
		}
		return dated, err
	}
	var names []string
	for _, c := range configs {
		names = append(names, fmt.Sprintf("%q", "s3://"+loc.Bucket+"/"+c))
	}
	return nil, fmt.Errorf("%s holds the reports of %d inventory configurations of bucket %s: say which one is the source listing, source_inventory = %s",
		loc.String(), len(configs), sourceBucket, strings.Join(names, " or "))
}

// reportFolders are the report folders right below prefix, newest first.
func reportFolders(ctx context.Context, api BucketReader, bucket, prefix string) ([]string, error) {
	all, err := folders(ctx, api, bucket, prefix)
	if err != nil {
		return nil, err
	}
	var dated []string
	for _, f := range all {
		if reportFolder.MatchString(lastSegment(f)) {
			dated = append(dated, f)
		}
	}
	slices.Sort(dated)
	slices.Reverse(dated)
	return dated, nil
}

// newest reads the manifest of the newest complete report among folders
// (newest first): one whose manifest.json and manifest.checksum both
// exist. S3 writes them once the data files are in place, so a folder
// without them is a report still being delivered.
func newest(ctx context.Context, api BucketReader, bucket string, folders []string) (*Report, error) {
	for _, f := range folders {
		where := "s3://" + bucket + "/" + f + "manifest.json"
		body, err := getSmall(ctx, api, bucket, f+"manifest.json")
		var checksum []byte
		if err == nil {
			checksum, err = getSmall(ctx, api, bucket, f+"manifest.checksum")
		}
		if errors.Is(err, errNoSuchKey) {
			continue
		}
		if err != nil {
			return nil, err
		}
		m, created, err := parseManifest(body, checksum, where)
		if err != nil {
			return nil, err
		}
		return &Report{Folder: "s3://" + bucket + "/" + f, Created: created, Manifest: *m, api: api, bucket: bucket}, nil
	}
	return nil, fmt.Errorf("no complete inventory report in s3://%s/%s: %d report folders, none with both manifest.json and manifest.checksum", bucket, commonParent(folders), len(folders))
}

func commonParent(folders []string) string {
	if len(folders) == 0 {
		return ""
	}
	return path.Dir(strings.TrimSuffix(folders[0], "/")) + "/"
}
