package bench_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	lansync "quietdesk/internal/sync"
)

// syncMachine is one machine of a sync benchmark: a data folder, its
// database and its service listening on loopback.
type syncMachine struct {
	dir string
	db  *store.DB
	id  lansync.Identity
	svc *lansync.Service
	tap *countingWriter
}

// countingWriter counts the application bytes a service sends.
type countingWriter struct{ n atomic.Int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n.Add(int64(len(p))); return len(p), nil }

func openMachine(b *testing.B, dir string) *syncMachine {
	b.Helper()
	db, err := store.Open(dir, opts)
	if err != nil {
		b.Fatal(err)
	}
	id, err := lansync.LoadIdentity(dir)
	if err != nil {
		b.Fatal(err)
	}
	m := &syncMachine{dir: dir, db: db, id: id, tap: &countingWriter{}}
	b.Cleanup(m.close)
	return m
}

func (m *syncMachine) start(b *testing.B, peers ...string) {
	b.Helper()
	m.svc = lansync.New(lansync.Config{DB: m.db, Identity: m.id, Name: filepath.Base(m.dir), Listen: "127.0.0.1:0", Peers: peers,
		Logger: opts.Logger, Tap: m.tap})
	if err := m.svc.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
}

func (m *syncMachine) stop() {
	if m.svc != nil {
		m.svc.Stop()
		m.svc = nil
	}
}

func (m *syncMachine) close() {
	m.stop()
	m.db.Close()
}

// joinMachine pairs a new machine in dir with host.
func joinMachine(b *testing.B, host *syncMachine, dir string) (*syncMachine, time.Duration) {
	b.Helper()
	m := openMachine(b, dir)
	p, err := host.svc.OpenPairing(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := lansync.Join(context.Background(), lansync.JoinOptions{DB: m.db, Identity: m.id, Address: host.svc.Addr(), Code: p.Code,
		Logger: opts.Logger}); err != nil {
		b.Fatal(err)
	}
	return m, time.Since(start)
}

// rawTLSCopy sends n bytes over a loopback TLS 1.3 connection between the
// two identities, in 64 KiB writes, and returns how long until the last
// byte was read: the baseline a bootstrap is compared with.
func rawTLSCopy(b *testing.B, server, client lansync.Identity, n int64) time.Duration {
	b.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{MinVersion: tls.VersionTLS13, Certificates: []tls.Certificate{server.Cert},
		ClientAuth: tls.RequireAnyClientCert})
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		buf := make([]byte, 64<<10)
		for left := n; left > 0; {
			k, err := c.Write(buf[:min(int64(len(buf)), left)])
			if err != nil {
				return
			}
			left -= int64(k)
		}
	}()
	start := time.Now()
	c, err := tls.Dial("tcp", ln.Addr().String(), &tls.Config{MinVersion: tls.VersionTLS13, InsecureSkipVerify: true,
		Certificates: []tls.Certificate{client.Cert}})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if got, err := io.CopyN(io.Discard, c, n); err != nil || got != n {
		b.Fatalf("raw TLS copy: %d of %d bytes: %v", got, n, err)
	}
	return time.Since(start)
}

// BenchmarkSyncBootstrap pairs a new, empty machine with a copy of the
// large demo practice over loopback and copies everything, against a raw
// TLS copy of the same number of bytes in the same run.
func BenchmarkSyncBootstrap(b *testing.B) {
	dir, _ := largeDemo(b)
	var took, raw time.Duration
	var sent int64
	var changes int64
	for range b.N {
		b.StopTimer()
		base := b.TempDir()
		if err := copyData(dir, filepath.Join(base, "host")); err != nil {
			b.Fatal(err)
		}
		host := openMachine(b, filepath.Join(base, "host"))
		host.start(b)
		b.StartTimer()
		joined, d := joinMachine(b, host, filepath.Join(base, "new"))
		b.StopTimer()
		took += d
		sent += host.tap.n.Load()
		v, err := joined.db.Vector(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		changes += v.Total()
		raw += rawTLSCopy(b, host.id, joined.id, host.tap.n.Load())
		joined.close()
		host.close()
		b.StartTimer()
	}
	n := float64(b.N)
	b.ReportMetric(took.Seconds()/n, "bootstrap-s")
	b.ReportMetric(float64(sent)/n/(1<<20), "MiB")
	b.ReportMetric(float64(changes)/n, "changes")
	b.ReportMetric(float64(changes)/took.Seconds(), "changes/s")
	b.ReportMetric(raw.Seconds()/n, "raw-tls-s")
	b.ReportMetric(raw.Seconds()/took.Seconds(), "throughput-vs-raw")
}

// syncPair is a new practice on one machine and a second machine joined to it.
func syncPair(b *testing.B) (*syncMachine, *syncMachine) {
	b.Helper()
	base := b.TempDir()
	a := openMachine(b, filepath.Join(base, "a"))
	owner := practice.Account{Username: "owner", DisplayName: "Olivia Owner", Role: practice.RoleOwner}
	if err := a.db.Create(context.Background(), func(tx *store.Tx) error {
		return tx.CreateAccount(&owner, "correct horse battery staple")
	}); err != nil {
		b.Fatal(err)
	}
	a.start(b)
	m, _ := joinMachine(b, a, filepath.Join(base, "b"))
	m.start(b)
	return a, m
}

func benchPatient(i int) practice.Patient {
	return practice.Patient{Identity: practice.PatientIdentity{FirstName: "Bench", LastName: "Patient", DOB: "1980-01-01", Sex: "U"},
		Contact: practice.PatientContact{Phone: fmt.Sprintf("(503) 555-%04d", i%10000)}, Active: true}
}

// BenchmarkSyncPropagation measures how long one saved change takes to be
// merged on a connected peer: from before the save on A until B's commit.
func BenchmarkSyncPropagation(b *testing.B) {
	a, m := syncPair(b)
	ctx := context.Background()
	commits, stop := m.db.Subscribe()
	defer stop()
	// Wait for the pair to settle (the join's own traffic).
	time.Sleep(500 * time.Millisecond)
	drain(commits)
	const samples = 200
	var lat []time.Duration
	b.ResetTimer()
	for range b.N {
		for i := range samples {
			p := benchPatient(i)
			start := time.Now()
			if err := a.db.Update(ctx, func(tx *store.Tx) error { return tx.CreatePatient(&p) }); err != nil {
				b.Fatal(err)
			}
			select {
			case <-commits:
			case <-time.After(10 * time.Second):
				b.Fatal("the change did not reach the peer in 10 s")
			}
			lat = append(lat, time.Since(start))
			time.Sleep(5 * time.Millisecond) // one change at a time, as a person saves
			drain(commits)
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 { return ms(lat[int(p*float64(len(lat)-1))]) }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
}

func drain(ch <-chan struct{}) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

// BenchmarkSyncPartition partitions two machines, makes 10,000 changes on
// each side (2,000 new patients of five field groups), reconnects them and
// measures the time until both hold every change and equal data.
func BenchmarkSyncPartition(b *testing.B) {
	const perSide = 10000
	ctx := context.Background()
	var took time.Duration
	for range b.N {
		b.StopTimer()
		a, m := syncPair(b)
		if _, err := m.db.Unlock(ctx, "owner", "correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
		a.stop()
		m.stop()
		for _, side := range []*syncMachine{a, m} {
			before, _ := side.db.Vector(ctx)
			for tx := 0; tx < perSide/5/500; tx++ {
				if err := side.db.Update(ctx, func(tx *store.Tx) error {
					for i := range 500 {
						p := benchPatient(i)
						if err := tx.CreatePatient(&p); err != nil {
							return err
						}
					}
					return nil
				}); err != nil {
					b.Fatal(err)
				}
			}
			after, _ := side.db.Vector(ctx)
			if got := after.Total() - before.Total(); got != perSide {
				b.Fatalf("made %d changes on one side, want %d", got, perSide)
			}
		}
		b.StartTimer()
		start := time.Now()
		a.start(b)
		m.start(b, a.svc.Addr()) // A listens on a new port after the restart
		for {
			va, _ := a.db.Vector(ctx)
			vm, _ := m.db.Vector(ctx)
			if va.Missing(vm) == 0 && vm.Missing(va) == 0 {
				break
			}
			if time.Since(start) > 2*time.Minute {
				b.Fatal("no convergence in 2 minutes")
			}
			time.Sleep(5 * time.Millisecond)
		}
		took += time.Since(start)
		b.StopTimer()
		da, _ := a.db.Digest(ctx)
		dm, _ := m.db.Digest(ctx)
		if da != dm {
			b.Fatal("equal vectors, different data")
		}
		a.close()
		m.close()
		b.StartTimer()
	}
	b.ReportMetric(took.Seconds()/float64(b.N), "converge-s")
	b.ReportMetric(perSide, "changes-per-side")
}
