// Package archtest holds the tests of the house's import rules (see
// docs/architecture.md): the pure packages import no I/O and no AWS SDK,
// the commands import no AWS service package, the views (cmd/lakesync/
// internal/view) import neither exec nor the AWS SDK nor os, and no
// sub-package of exec imports the exec root. It has no code of its own.
package archtest
