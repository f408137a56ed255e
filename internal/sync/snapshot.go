package sync

import (
	"context"
	"fmt"
	"io"
	"os"
)

// snapshotChunkSize is how much of a database copy one frame carries.
const snapshotChunkSize = 1 << 20

// Join progress phases: copying the database, then catching up on the
// changes made since the copy (or replaying them all, without a copy).
const (
	PhaseCopy    = "copy"    // bytes of the database copy
	PhaseCatchUp = "catchup" // changes
)

// snapshotSent is told how much of a copy went out after each chunk; a
// fault test's host process kills itself there, mid-transfer.
var snapshotSent = func(sent, size int64) {}

// sendSnapshot sends a copy of the database to a newly paired device.
func (s *Service) sendSnapshot(ctx context.Context, w *wire) error {
	err := s.db.Snapshot(ctx, func(f *os.File, size int64) error {
		buf := make([]byte, snapshotChunkSize)
		for sent := int64(0); ; {
			n, err := io.ReadFull(f, buf)
			if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
				return err
			}
			sent += int64(n)
			last := sent >= size || n < len(buf)
			if err := w.send(frame{Snapshot: &snapshotChunk{Size: size, Data: buf[:n], Last: last}}); err != nil {
				return err
			}
			snapshotSent(sent, size)
			if last {
				return nil
			}
		}
	})
	if err != nil {
		s.log.Error("pairing: database copy failed; the new device replays instead", "err", err)
		return w.send(frame{Snapshot: &snapshotChunk{Error: "no copy", Last: true}})
	}
	return nil
}

// snapshotReader reads a database copy off the wire as a stream.
type snapshotReader struct {
	w        *wire
	buf      []byte
	done     bool
	received int64
	progress func(phase string, done, total int64)
	// refused is set when the host could not make a copy.
	refused bool
}

func (r *snapshotReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.done {
			return 0, io.EOF
		}
		f, err := r.w.recv(pairingTimeout)
		if err != nil {
			// Never io.EOF: the copy ends only with its last chunk, and a
			// reader's EOF would pass a truncated copy off as whole.
			return 0, fmt.Errorf("sync: the copy ended after %d bytes: %w (%w)", r.received, io.ErrUnexpectedEOF, err)
		}
		c := f.Snapshot
		if c == nil {
			return 0, fmt.Errorf("sync: expected a database copy")
		}
		if c.Error != "" {
			r.refused = true
			return 0, fmt.Errorf("sync: the host sent no copy")
		}
		r.buf, r.done = c.Data, c.Last
		r.received += int64(len(c.Data))
		if r.done && r.received != c.Size {
			return 0, fmt.Errorf("sync: the copy ended at %d of %d bytes: %w", r.received, c.Size, io.ErrUnexpectedEOF)
		}
		if r.progress != nil {
			r.progress(PhaseCopy, r.received, c.Size)
		}
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}
