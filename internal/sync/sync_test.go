package sync_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/gob"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/canary"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/sync"
	"quietdesk/internal/testutil"
)

const ownerPassword = "correct horse battery staple"

func TestMain(m *testing.M) {
	store.KDFTarget = 0 // Argon2id at its floor: real, and fast enough for tests
	os.Exit(m.Run())
}

// machine is one office machine: its data folder, database and sync service.
type machine struct {
	name string
	dir  string
	db   *store.DB
	id   sync.Identity
	svc  *sync.Service
	tap  *testutil.Buffer
	skew time.Duration    // how far this machine's clock is off
	logs *testutil.Buffer // the service's log, when a test reads it
	now  func() time.Time // the clock of its store and service; nil: time.Now
}

func newMachine(t *testing.T, name string) *machine { return newMachineAt(t, name, nil) }

// newMachineAt is newMachine on the clock now (its store's and its
// service's), for tests that move time.
func newMachineAt(t *testing.T, name string, now func() time.Time) *machine {
	t.Helper()
	m := &machine{name: name, dir: t.TempDir(), tap: &testutil.Buffer{}, now: now}
	db, err := store.Open(m.dir, store.Options{AppVersion: "test", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	m.db = db
	if m.id, err = sync.LoadIdentity(m.dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if m.svc != nil {
			m.svc.Stop()
		}
		db.Close()
	})
	return m
}

func (m *machine) start(t *testing.T, peers ...string) {
	t.Helper()
	var log *slog.Logger
	if m.logs != nil {
		log = slog.New(slog.NewTextHandler(m.logs, nil))
	}
	clock := m.now
	if clock == nil {
		clock = time.Now
	}
	m.svc = sync.New(sync.Config{DB: m.db, Identity: m.id, Name: m.name, Listen: "127.0.0.1:0", Peers: peers,
		DigestGap: 100 * time.Millisecond, Tap: m.tap, Logger: log, Now: func() time.Time { return clock().Add(m.skew) }})
	if err := m.svc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// newPractice makes a machine holding a new practice, syncing.
func newPractice(t *testing.T, name string) *machine {
	t.Helper()
	m := newMachine(t, name)
	owner := practice.Account{Username: "owner", DisplayName: "Olivia Owner", Role: practice.RoleOwner}
	if err := m.db.Create(context.Background(), func(tx *store.Tx) error {
		if err := tx.SaveSettings(&practice.Settings{Name: "Sync Test", LockMinutes: 10}); err != nil {
			return err
		}
		return tx.CreateAccount(&owner, ownerPassword)
	}); err != nil {
		t.Fatal(err)
	}
	m.start(t)
	return m
}

// join pairs a new machine through host and starts its service.
func join(t *testing.T, host *machine, name string) *machine { return joinAt(t, host, name, nil) }

// joinAt is join for a machine on the clock now (newMachineAt).
func joinAt(t *testing.T, host *machine, name string, now func() time.Time) *machine {
	t.Helper()
	m := newMachineAt(t, name, now)
	p, err := host.svc.OpenPairing(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	copied := map[string]bool{}
	err = sync.Join(context.Background(), sync.JoinOptions{DB: m.db, Identity: m.id, Name: name, Address: host.svc.Addr(), Code: p.Code,
		Progress: func(phase string, done, total int64) { copied[phase] = copied[phase] || done == total && total > 0 }})
	if err != nil {
		t.Fatalf("join %s: %v", name, err)
	}
	if !copied[sync.PhaseCopy] {
		t.Fatalf("the database copy was not reported complete: %v", copied)
	}
	m.start(t)
	return m
}

func addPatient(t *testing.T, m *machine, first string) practice.Patient {
	t.Helper()
	p := practice.Patient{Identity: practice.PatientIdentity{FirstName: first, LastName: "Test", DOB: "1990-01-01", Sex: "F"}, Active: true}
	if err := m.db.Update(context.Background(), func(tx *store.Tx) error { return tx.CreatePatient(&p) }); err != nil {
		t.Fatal(err)
	}
	return p
}

func unlock(t *testing.T, m *machine) {
	t.Helper()
	if _, err := m.db.Unlock(context.Background(), "owner", ownerPassword); err != nil {
		t.Fatalf("%s: staff cannot log in: %v", m.name, err)
	}
}

func hasPatient(m *machine, id string) bool {
	return m.db.View(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Patient(id)
		return err
	}) == nil
}

// eventually polls cond for up to d.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func digestsEqual(ms ...*machine) bool {
	var first string
	for i, m := range ms {
		d, err := m.db.Digest(context.Background())
		if err != nil {
			return false
		}
		if i == 0 {
			first = d
		} else if d != first {
			return false
		}
	}
	return true
}

func TestPairJoinAndLiveSync(t *testing.T) {
	a := newPractice(t, "A")
	b := join(t, a, "B")
	unlock(t, b)
	if !digestsEqual(a, b) {
		t.Fatal("bootstrap left the machines different")
	}
	p := addPatient(t, a, "Live")
	start := time.Now()
	eventually(t, time.Second, "a change on A did not reach B within a second", func() bool { return hasPatient(b, p.ID) })
	t.Logf("A -> B in %v", time.Since(start))
	q := addPatient(t, b, "Back")
	eventually(t, time.Second, "a change on B did not reach A within a second", func() bool { return hasPatient(a, q.ID) })
	eventually(t, 5*time.Second, "digests differ", func() bool { return digestsEqual(a, b) })
	st, err := a.svc.Status(context.Background())
	if err != nil || len(st.Peers) != 1 || !st.Peers[0].Connected || st.Peers[0].Name != "B" {
		t.Fatalf("A's status: %+v, %v", st, err)
	}
	eventually(t, 3*time.Second, "no digest check", func() bool {
		st, _ := a.svc.Status(context.Background())
		return st.Peers[0].DigestStatus == "match"
	})
}

func TestThreeMachinesRelayAndSurviveARestart(t *testing.T) {
	a := newPractice(t, "A")
	b := join(t, a, "B")
	c := join(t, a, "C")
	// C knows only A; B knows only A. A relays between them.
	unlock(t, b)
	unlock(t, c)
	pb := addPatient(t, b, "FromB")
	eventually(t, 3*time.Second, "B's change did not reach C through A", func() bool { return hasPatient(c, pb.ID) })
	// B goes down; both others write; B comes back and catches up.
	b.svc.Stop()
	pa, pc := addPatient(t, a, "WhileDownA"), addPatient(t, c, "WhileDownC")
	b.start(t)
	eventually(t, 10*time.Second, "B did not catch up after restarting", func() bool { return hasPatient(b, pa.ID) && hasPatient(b, pc.ID) })
	eventually(t, 5*time.Second, "digests differ", func() bool { return digestsEqual(a, b, c) })
}

func TestUnpairedCertificateIsRefusedBeforeAnyData(t *testing.T) {
	a := newPractice(t, "A")
	stranger := newMachine(t, "stranger")
	conn, err := tls.Dial("tcp", a.svc.Addr(), &tls.Config{MinVersion: tls.VersionTLS13, InsecureSkipVerify: true,
		Certificates: []tls.Certificate{stranger.id.Cert}})
	if err == nil {
		// TLS 1.3 clients finish first; the server's refusal arrives as an alert.
		defer conn.Close()
		conn.SetReadDeadline(time.Now().Add(3 * time.Second))
		var f map[string]any
		if err := gob.NewDecoder(conn).Decode(&f); err == nil {
			t.Fatal("an unpaired device received application data")
		}
	}
	if n := len(a.tap.Bytes()); n != 0 {
		t.Fatalf("A sent %d bytes of application data to an unpaired device", n)
	}
	// No certificate at all is refused too.
	if conn, err := tls.Dial("tcp", a.svc.Addr(), &tls.Config{MinVersion: tls.VersionTLS13, InsecureSkipVerify: true}); err == nil {
		conn.SetReadDeadline(time.Now().Add(3 * time.Second))
		if _, err := conn.Read(make([]byte, 1)); err == nil {
			t.Fatal("a device without a certificate received data")
		}
		conn.Close()
	}
	// TLS 1.2 is refused.
	if _, err := tls.Dial("tcp", a.svc.Addr(), &tls.Config{MaxVersion: tls.VersionTLS12, InsecureSkipVerify: true,
		Certificates: []tls.Certificate{a.id.Cert}}); err == nil {
		t.Fatal("TLS 1.2 was accepted")
	}
}

func TestWrongCodesCloseThePairingWindow(t *testing.T) {
	ctx := context.Background()
	a := newPractice(t, "A")
	p, err := a.svc.OpenPairing(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wrong := "00000-00000-00000"
	if p.Code == wrong {
		wrong = "11111-11111-11111"
	}
	n := newMachine(t, "N")
	for i := range 3 {
		err := sync.Join(ctx, sync.JoinOptions{DB: n.db, Identity: n.id, Address: a.svc.Addr(), Code: wrong})
		if practice.ErrorCode(err) != practice.EWrongPassword {
			t.Fatalf("wrong code %d: %v", i+1, err)
		}
	}
	st, _ := a.svc.Status(ctx)
	if st.PairingOpen {
		t.Fatal("the window is still open after three wrong codes")
	}
	if err := sync.Join(ctx, sync.JoinOptions{DB: n.db, Identity: n.id, Address: a.svc.Addr(), Code: p.Code}); err == nil {
		t.Fatal("the right code worked after the window closed")
	}
	if n.db.Exists() {
		t.Fatal("a refused join created a practice")
	}
	if err := sync.Join(ctx, sync.JoinOptions{DB: n.db, Identity: n.id, Address: a.svc.Addr(), Code: "not a code"}); practice.ErrorCode(err) != practice.EInvalid {
		t.Fatalf("malformed code: %v", err)
	}
}

func TestRemovedDeviceIsRefusedByEveryPeer(t *testing.T) {
	ctx := context.Background()
	a := newPractice(t, "A")
	b := join(t, a, "B")
	c := join(t, a, "C")
	c.svc.Stop()
	c.svc = nil
	// B must learn of C through A before the removal, then of the removal.
	if err := a.svc.Remove(ctx, c.id.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, 3*time.Second, "the removal did not reach B", func() bool {
		ok, _ := b.db.Member(ctx, c.id.ID)
		return !ok
	})
	for _, peer := range []*machine{a, b} {
		c.start(t, peer.svc.Addr())
		time.Sleep(300 * time.Millisecond)
		st, _ := peer.svc.Status(ctx)
		for _, ps := range st.Peers {
			if ps.DeviceID == c.id.ID && ps.Connected {
				t.Fatalf("%s accepted a removed device", peer.name)
			}
		}
		c.svc.Stop()
		c.svc = nil
	}
	if err := a.svc.Remove(ctx, a.id.ID); practice.ErrorCode(err) != practice.EInvalid {
		t.Fatalf("a machine removed itself: %v", err)
	}
	// Paired again, it is taken back in.
	p, err := a.svc.OpenPairing(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := sync.Join(ctx, sync.JoinOptions{DB: c.db, Identity: c.id, Name: "C", Address: a.svc.Addr(), Code: p.Code}); err != nil {
		t.Fatalf("pairing a removed device again: %v", err)
	}
	c.start(t, b.svc.Addr())
	eventually(t, 5*time.Second, "B did not take the re-paired device back", func() bool {
		st, _ := b.svc.Status(ctx)
		for _, ps := range st.Peers {
			if ps.DeviceID == c.id.ID && ps.Connected {
				return true
			}
		}
		return false
	})
}

func TestSealedFieldsCrossTheWireSealed(t *testing.T) {
	a := newPractice(t, "A")
	unlock(t, a)
	b := join(t, a, "B")
	unlock(t, b)
	const marker = "Zqxmarkerwv"
	p := addPatient(t, a, marker)
	eventually(t, 2*time.Second, "the patient did not arrive", func() bool { return hasPatient(b, p.ID) })
	var got practice.Patient
	b.db.View(context.Background(), func(tx *store.Tx) error {
		var err error
		got, err = tx.Patient(p.ID)
		return err
	})
	if got.Identity.FirstName != marker {
		t.Fatal("the receiver could not open the sealed name")
	}
	sent := a.tap.Bytes()
	if len(sent) == 0 {
		t.Fatal("nothing was captured")
	}
	for _, form := range [][]byte{[]byte(marker), []byte(base64.StdEncoding.EncodeToString([]byte(marker))[:12])} {
		if bytes.Contains(sent, form) {
			t.Fatalf("the marker crossed the wire readable (%q)", form)
		}
	}
	for enc, form := range canary.Encodings(marker) {
		if bytes.Contains(sent, form) {
			t.Errorf("the marker crossed the wire readable as %s", enc)
		}
	}
	// Nor is it readable in any file of the machine that merged it: the
	// database, its WAL and shared memory, the identity, anything else.
	scanned := 0
	err := filepath.WalkDir(b.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		scanned++
		for enc, form := range canary.Encodings(marker) {
			if bytes.Contains(data, form) {
				t.Errorf("after the merge %s holds the marker as %s", filepath.Base(path), enc)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if scanned < 2 {
		t.Fatalf("scanned %d files of the receiver's folder", scanned)
	}
}

func TestMachinesDialingEachOtherKeepOneSession(t *testing.T) {
	a := newPractice(t, "A")
	b := join(t, a, "B")
	// Each knows the other's address: both dial, one connection stays.
	b.svc.Stop()
	b.start(t, a.svc.Addr())
	if err := a.svc.Connect(context.Background(), b.svc.Addr()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second)
	before := len(a.tap.Bytes())
	time.Sleep(2 * time.Second)
	// Idle and connected: only digest checks may pass, no new sessions
	// (each hello would carry the vector, hundreds of bytes).
	if sent := len(a.tap.Bytes()) - before; sent > 2000 {
		t.Fatalf("A sent %d bytes in 2 idle seconds: sessions are being redialled", sent)
	}
	for _, m := range []*machine{a, b} {
		st, _ := m.svc.Status(context.Background())
		if st.Connected != 1 {
			t.Fatalf("%s: %d connected peers, want 1", m.name, st.Connected)
		}
	}
}

func TestPortInUseIsExplained(t *testing.T) {
	a := newPractice(t, "A")
	m := newMachine(t, "M")
	m.svc = sync.New(sync.Config{DB: a.db, Identity: m.id, Listen: a.svc.Addr()})
	err := m.svc.Start(context.Background())
	if practice.ErrorCode(err) != practice.EConflict || !strings.Contains(practice.ErrorMessage(err), "port") {
		t.Fatalf("port in use: %v", err)
	}
}

func TestAClockMinutesOffIsNamed(t *testing.T) {
	ctx := context.Background()
	a := newPractice(t, "A")
	b := join(t, a, "B")
	b.svc.Stop()
	b.skew = 10 * time.Minute
	b.start(t, a.svc.Addr())
	eventually(t, 5*time.Second, "A did not name B's clock", func() bool {
		st, _ := a.svc.Status(ctx)
		return len(st.Peers) == 1 && st.Peers[0].Connected && st.Peers[0].ClockSkewed
	})
	st, _ := a.svc.Status(ctx)
	off := st.Peers[0].OffsetMS
	if !st.Peers[0].ClockSkewed || off < (10*time.Minute-5*time.Second).Milliseconds() || off > (10*time.Minute+5*time.Second).Milliseconds() {
		t.Fatalf("A estimates B %d ms ahead (skewed: %v), want about 10 minutes", off, st.Peers[0].ClockSkewed)
	}
	// B keeps its estimate of A from the session before the restart until
	// the new hello lands, so wait for B's side too, not only A's.
	var bOff int64
	eventually(t, 5*time.Second, "B did not name A's clock", func() bool {
		bs, _ := b.svc.Status(ctx)
		if len(bs.Peers) != 1 || !bs.Peers[0].Connected {
			return false
		}
		bOff = bs.Peers[0].OffsetMS
		return bs.Peers[0].ClockSkewed
	})
	if bOff > -(9 * time.Minute).Milliseconds() {
		t.Fatalf("B estimates A at %d ms, want about -10 minutes", bOff)
	}
}
