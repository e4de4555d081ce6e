// Package world builds the moto worlds the tests of exec and its
// sub-packages share: World, two accounts ("prod" and "lake") reachable
// through the profiles of a generated shared config, with a lakesync
// config whose account blocks use them; Copy, that world with a source
// bucket, a destination bucket with a CMK and a copier role.
//
// It relies on testenv/moto, config, exec/awserr (the session name) and
// exec/state. It is for tests only and must never import the exec root
// or exec/copier: their in-package tests import it.
package world
