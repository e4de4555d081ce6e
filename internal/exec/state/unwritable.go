package state

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"syscall"
)

// unwritable names, for an error of the file system that keeps the state
// file at path from being created or written, the cause and what to do;
// it returns nil for any other error. A full disk or a directory the run
// may not write is not a damaged state, so these must never be reported
// as corrupt (whose advice is to move the file away and rebuild).
func unwritable(path string, err error) error {
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return fmt.Errorf("state file %s: the file system holding it is full (%w): free space there, or point the state block's path at another file system, and run again", path, err)
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.EROFS), errors.Is(err, syscall.ENOTDIR):
		return fmt.Errorf("state file %s cannot be written (%w): make %s a directory this user can write, or point the state block's path elsewhere, and run again", path, err, filepath.Dir(path))
	}
	return nil
}
