//go:build linux

package moto

import "syscall"

// setParentDeathSignal kills the server if the test binary dies without
// calling Stop (a panic, a timeout kill), so no moto_server outlives it.
func setParentDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
