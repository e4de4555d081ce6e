package moto

import (
	"context"
	"fmt"
)

// Demo is the two-account world of the README's demo and the end-to-end
// tests: Production (111111111111, profile "prod") with a data bucket and
// the copier role, and the Data Lake (222222222222, profile "lake") with a
// customer-managed key (alias/datalake) and the destination bucket.
type Demo struct {
	Prod, Lake *Account
	KeyARN     string
	Env        Env // AWS_CONFIG_FILE etc. for the generated profiles
}

// Names used by examples/demo/lakesync.hcl.
const (
	DemoProdID     = "111111111111"
	DemoLakeID     = "222222222222"
	DemoSource     = "konfir-prod-data"
	DemoDest       = "konfir-datalake-raw"
	DemoRole       = "lakesync-copier"
	DemoKeyAlias   = "alias/datalake"
	DemoObjectsDir = "exports/"
)

// BuildDemo resets the server and creates the demo world, with objects
// source objects under exports/, and writes the shared config to dir.
func (s *Server) BuildDemo(ctx context.Context, dir string, objects int) (*Demo, error) {
	if err := s.Reset(ctx); err != nil {
		return nil, err
	}
	d := &Demo{}
	var err error
	if d.Prod, err = s.NewAccount(ctx, DemoProdID); err != nil {
		return nil, err
	}
	if d.Lake, err = s.NewAccount(ctx, DemoLakeID); err != nil {
		return nil, err
	}
	d.Prod.Profile, d.Lake.Profile = "prod", "lake"
	if err := d.Prod.CreateBucket(ctx, DemoSource); err != nil {
		return nil, err
	}
	if err := d.Lake.CreateBucket(ctx, DemoDest); err != nil {
		return nil, err
	}
	if d.KeyARN, err = d.Lake.CreateKey(ctx, DemoKeyAlias); err != nil {
		return nil, err
	}
	if _, err := d.Prod.CreateRole(ctx, DemoRole, TrustAccount(DemoProdID)); err != nil {
		return nil, err
	}
	for i := range objects {
		key := fmt.Sprintf("%sday=%02d/part-%04d.parquet", DemoObjectsDir, i%7, i)
		body := fmt.Appendf(nil, "object %d of the lakesync demo\n", i)
		if err := d.Prod.PutObject(ctx, DemoSource, key, body); err != nil {
			return nil, err
		}
	}
	if d.Env, err = s.WriteSharedConfig(dir, d.Prod, d.Lake); err != nil {
		return nil, err
	}
	return d, nil
}
