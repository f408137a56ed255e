package bench_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"quietdesk/internal/backups"
	"quietdesk/internal/store"
)

// BenchmarkNightlyBackup is the nightly backup of the large demo as the
// hub makes it (no key loaded): VACUUM INTO a temporary name, fsync,
// rename, the restore's checks on the copy (integrity_check reads every
// page), the dated name, pruning and the recorded result. Its baseline,
// in the same run, is a plain copy of the same bytes (the backup just
// written) into the same folder with an fsync; both read from a warm page
// cache. The check alone and the drill (restoring the newest into a
// temporary folder, opening and counting) are measured beside it.
func BenchmarkNightlyBackup(b *testing.B) {
	dir, _ := largeDemo(b)
	db, err := store.Open(dir, opts)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	folder := b.TempDir()
	if err := backups.Choose(ctx, db, folder); err != nil {
		b.Fatal(err)
	}
	var backup, check, copying, drill time.Duration
	var size int64
	day := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for i := range b.N {
		now := day.AddDate(0, 0, i)
		start := time.Now()
		if _, err := backups.Now(ctx, db, now); err != nil {
			b.Fatal(err)
		}
		backup += time.Since(start)

		written := filepath.Join(folder, backups.FileName(now))
		st, err := os.Stat(written)
		if err != nil {
			b.Fatal(err)
		}
		size = st.Size()
		// The check alone, again (as Now ran it), to say how much of the
		// backup's time it takes.
		start = time.Now()
		if err := store.CheckBackup(ctx, written, db.PracticeID()); err != nil {
			b.Fatal(err)
		}
		check += time.Since(start)
		start = time.Now()
		if err := plainCopy(written, filepath.Join(folder, "plain-copy")); err != nil {
			b.Fatal(err)
		}
		copying += time.Since(start)
		os.Remove(filepath.Join(folder, "plain-copy"))

		start = time.Now()
		if _, err := backups.Drill(ctx, folder, db.PracticeID()); err != nil {
			b.Fatal(err)
		}
		drill += time.Since(start)
	}
	n := float64(b.N)
	b.ReportMetric(backup.Seconds()/n, "backup-s")
	b.ReportMetric(check.Seconds()/n, "check-s")
	b.ReportMetric(copying.Seconds()/n, "copy-s")
	b.ReportMetric(float64(backup)/float64(copying), "x-copy")
	b.ReportMetric(drill.Seconds()/n, "drill-s")
	b.ReportMetric(float64(size)/(1<<20), "MiB")
}

// plainCopy copies from to a new file and syncs it: what any backup
// program does at the least.
func plainCopy(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
