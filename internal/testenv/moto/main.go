package moto

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"
)

// Main runs a test package with one moto server, for TestMain:
//
//	var srv *moto.Server
//	func TestMain(m *testing.M) { os.Exit(moto.Main(m, &srv)) }
//
// It starts the server, stores it in *srv, runs the tests and stops the
// server. When moto_server is missing, with CI set in the environment it
// fails the package (exit code 1: in CI a missing backend is a failure);
// otherwise it runs the tests with *srv nil, and Require skips those that
// need the server. It returns the exit code for os.Exit.
func Main(m *testing.M, srv **Server) int {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	s, err := Start(ctx)
	cancel()
	switch {
	case errors.Is(err, ErrNotFound) && os.Getenv("CI") == "":
		fmt.Fprintf(os.Stderr, "moto: %v; tests that need it are skipped\n", err)
		return m.Run()
	case err != nil:
		fmt.Fprintf(os.Stderr, "moto: %v\n", err)
		if os.Getenv("CI") != "" {
			fmt.Fprintln(os.Stderr, "moto: CI is set: a missing or broken test backend is a failure")
		}
		return 1
	}
	*srv = s
	code := m.Run()
	if err := s.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "%v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// Require skips the test when the package runs without a server (Main
// found no moto_server and CI is not set), and otherwise returns s.
func Require(t testing.TB, s *Server) *Server {
	t.Helper()
	if s == nil {
		t.Skip(ErrNotFound.Error())
	}
	return s
}
