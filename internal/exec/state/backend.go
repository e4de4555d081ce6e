package state

import "context"

// Backend is where a state is kept: a local file (File) or an object in
// S3 (s3state.Backend, built by exec.StateBackend). Open gives a Session,
// so that a command works the same on both.
type Backend interface {
	Open(ctx context.Context, mode Mode) (*Session, error)
}

// Mode says how a Session holds the state: read-only (ReadOnly, the zero
// Mode), or for writing by a holder (ReadWrite).
type Mode struct {
	write  bool
	holder string
}

// ReadOnly reads the state and never writes it; in S3 it takes no lock.
// Opening a state that does not exist yet returns an error wrapping
// fs.ErrNotExist.
func ReadOnly() Mode { return Mode{} }

// ReadWrite writes the state; in S3 it takes the lock, and holder (the
// command line) is recorded in it for whoever finds the state locked.
func ReadWrite(holder string) Mode { return Mode{write: true, holder: holder} }

// Writes reports whether m writes the state.
func (m Mode) Writes() bool { return m.write }

// Holder is what ReadWrite records in the lock; "" when read-only.
func (m Mode) Holder() string { return m.holder }

// Session is one open of a state: the store, the context the work on it
// runs under, and Close, which ends it. A backend that can lose its hold
// on the state while the run goes on (S3: the lock was broken, or another
// writer changed the state) cancels Context, with the reason as its
// cause; the caller does every step of the run under Context.
type Session struct {
	ctx   context.Context
	store *Store
	end   func(context.Context) error
}

// NewSession is the session of store, whose work runs under ctx and which
// end ends; backends build it.
func NewSession(ctx context.Context, store *Store, end func(context.Context) error) *Session {
	return &Session{ctx: ctx, store: store, end: end}
}

// Store is the open store.
func (s *Session) Store() *Store { return s.store }

// Context is the context of the run holding the state: the one given to
// Open, cancelled when the session can no longer keep the state.
func (s *Session) Context() context.Context { return s.ctx }

// Close ends the session: in S3, the state is uploaded a last time and the
// lock released, even when ctx is cancelled.
func (s *Session) Close(ctx context.Context) error { return s.end(ctx) }

// File is the local backend: the bbolt file at Path. bbolt's file lock
// keeps a second writer off it.
type File struct{ Path string }

// Open opens the file; a read-only open of a file that does not exist
// yet returns an error wrapping fs.ErrNotExist.
func (f File) Open(ctx context.Context, mode Mode) (*Session, error) {
	st, err := Open(f.Path, Options{ReadOnly: !mode.Writes()})
	if err != nil {
		return nil, err
	}
	return NewSession(ctx, st, func(context.Context) error { return st.Close() }), nil
}

var _ Backend = File{}
