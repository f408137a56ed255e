package sync_test

import (
	"context"
	"crypto/tls"
	"encoding/gob"
	"testing"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/sync"
)

// desk is a tablet desk that keeps what tablets deliver in memory.
type desk struct{ delivered []store.Envelope }

func (d *desk) IntakeKey(context.Context) (string, []byte, error) {
	return "key-1", []byte("public key"), nil
}
func (d *desk) Deliver(_ context.Context, e store.Envelope) error {
	d.delivered = append(d.delivered, e)
	return nil
}
func (d *desk) Work(context.Context, string) ([]byte, error) { return []byte("visit"), nil }
func (d *desk) StartByCode(_ context.Context, _, code, _ string) ([]byte, error) {
	if code != "123456" {
		return nil, &practice.Error{Code: practice.EInvalid, Message: "Please check.", Fields: map[string]string{"code": "Six digits."}}
	}
	return []byte("visit by code"), nil
}
func (d *desk) StaffExit(_ context.Context, _, username, password string) error {
	if username != "frontdesk" || password != "right" {
		return practice.Errorf(practice.EWrongPassword, "The username or password is not right.")
	}
	return nil
}

// What a tablet could send to ask for replication: gob matches frames by
// field name, so these stand for the sync package's own.
type (
	rogueFrame struct {
		Hello       *rogueHello
		PairRequest *roguePairRequest
		Digest      *rogueDigest
	}
	rogueHello struct {
		DeviceID, PracticeID string
		ClockMS              int64
	}
	roguePairRequest struct {
		Name         string
		WantSnapshot bool
	}
	rogueDigest struct{ Digest string }
)

// A paired tablet may deliver and poll; a hello, a pairing request (to
// join as a member) or a digest check from it ends the connection before
// the office sends a byte of application data.
func TestTabletIsRefusedReplicationBeforeAnyData(t *testing.T) {
	ctx := context.Background()
	a := newPractice(t, "office")
	a.svc.Stop() // restarted below with a tablet desk
	d := &desk{}
	a.svc = sync.New(sync.Config{DB: a.db, Identity: a.id, Name: "office", Listen: "127.0.0.1:0", Tap: a.tap, Desk: d})
	if err := a.svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	tablet := newMachine(t, "tablet")
	p, err := a.svc.OpenPairing(ctx)
	if err != nil {
		t.Fatal(err)
	}
	link, err := sync.PairTablet(ctx, tablet.id, "tablet", a.svc.Addr(), p.Code)
	if err != nil {
		t.Fatalf("pairing the tablet: %v", err)
	}
	if link.HostID != a.id.ID || link.KeyID != "key-1" || string(link.IntakeKey) != "public key" || link.PracticeID != a.db.PracticeID() {
		t.Fatalf("link %+v", link)
	}
	if member, _ := a.db.Member(ctx, tablet.id.ID); member {
		t.Fatal("the tablet became a member")
	}
	if err := link.Deliver(ctx, tablet.id, "sub-1", []byte("sealed")); err != nil || len(d.delivered) != 1 || d.delivered[0].TabletID != tablet.id.ID {
		t.Fatalf("delivery: %v, %+v", err, d.delivered)
	}
	if work, err := link.Poll(ctx, tablet.id); err != nil || string(work) != "visit" {
		t.Fatalf("poll: %q, %v", work, err)
	}
	if work, err := link.CheckIn(ctx, tablet.id, "123456", "1988-04-09"); err != nil || string(work) != "visit by code" {
		t.Fatalf("check-in: %q, %v", work, err)
	}
	// The desk's refusal reaches the tablet whole: its code and each field's problem.
	_, err = link.CheckIn(ctx, tablet.id, "12", "1988-04-09")
	if e, ok := err.(*practice.Error); !ok || e.Code != practice.EInvalid || e.Fields["code"] != "Six digits." {
		t.Fatalf("a refused check-in: %#v", err)
	}

	for name, f := range map[string]rogueFrame{
		"hello":        {Hello: &rogueHello{DeviceID: tablet.id.ID, PracticeID: a.db.PracticeID(), ClockMS: time.Now().UnixMilli()}},
		"pair request": {PairRequest: &roguePairRequest{Name: "tablet", WantSnapshot: true}},
		"digest":       {Digest: &rogueDigest{Digest: "x"}},
	} {
		sent := len(a.tap.Bytes())
		refused := a.svc.Refused()
		conn, err := tls.Dial("tcp", a.svc.Addr(), &tls.Config{MinVersion: tls.VersionTLS13, InsecureSkipVerify: true,
			Certificates: []tls.Certificate{tablet.id.Cert}})
		if err != nil {
			t.Fatalf("%s: the tablet could not connect at all: %v", name, err)
		}
		if err := gob.NewEncoder(conn).Encode(f); err != nil {
			t.Fatal(err)
		}
		conn.SetReadDeadline(time.Now().Add(3 * time.Second))
		n, err := conn.Read(make([]byte, 1))
		conn.Close()
		if n != 0 || err == nil {
			t.Fatalf("%s: the tablet received %d bytes (%v)", name, n, err)
		}
		if got := len(a.tap.Bytes()); got != sent {
			t.Fatalf("%s: the office sent %d bytes of application data to the tablet", name, got-sent)
		}
		if a.svc.Refused() != refused+1 {
			t.Fatalf("%s: the refusal was not counted", name)
		}
	}
}
