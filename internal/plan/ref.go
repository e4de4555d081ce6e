package plan

import (
	"fmt"
	"strings"

	"github.com/lakesync/lakesync/internal/config"
)

// RefKind is the kind of configuration block a plan entry is about.
type RefKind string

// Block kinds, as the configuration spells them.
const (
	KindBucket RefKind = "bucket"
	KindKey    RefKind = "key"
	KindRole   RefKind = "role"
)

// Ref names the configuration block a document or setting belongs to:
// the bucket, key or role block and its label. Apply finds the block by
// its Ref, never by matching text. Its text form, in the plan's JSON and
// saved plan files, is "bucket.lake".
type Ref struct {
	Kind RefKind
	Name string // the block's label
}

// BucketRef names a bucket block.
func BucketRef(b *config.Bucket) Ref { return Ref{Kind: KindBucket, Name: b.Name} }

// KeyRef names a key block.
func KeyRef(k *config.Key) Ref { return Ref{Kind: KindKey, Name: k.Name} }

// RoleRef names a role block.
func RoleRef(r *config.Role) Ref { return Ref{Kind: KindRole, Name: r.Name} }

// String is the reference as the configuration would write it:
// "bucket.lake".
func (r Ref) String() string { return string(r.Kind) + "." + r.Name }

// MarshalText writes r as String does.
func (r Ref) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads "bucket.lake", "key.lake" or "role.copier".
func (r *Ref) UnmarshalText(text []byte) error {
	kind, name, ok := strings.Cut(string(text), ".")
	switch k := RefKind(kind); {
	case !ok || name == "":
		return fmt.Errorf("address %q is not kind.name (for example \"bucket.lake\")", text)
	case k != KindBucket && k != KindKey && k != KindRole:
		return fmt.Errorf("address %q: unknown kind %q, want bucket, key or role", text, kind)
	default:
		*r = Ref{Kind: k, Name: name}
		return nil
	}
}
