package notify_test

import (
	"bytes"
	"context"
	"errors"
	"mime"
	"slices"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/alerts"
	"quietdesk/internal/mail"
	"quietdesk/internal/mail/mailtest"
	"quietdesk/internal/notify"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// staffCanary is in every alert's title: it must never reach an e-mail.
const staffCanary = "Zanzibar Quillfeather"

// staffPractice is a practice with a front desk and a clinician account
// beside the owner, whose alerts come from a source the test controls.
type staffPractice struct {
	*machine
	frontDesk, clinician practice.Account
	reg                  *alerts.Registry
	raised               []alerts.Alert // what the source says now
}

func newStaffPractice(t *testing.T, c *clock) *staffPractice {
	t.Helper()
	p := &staffPractice{machine: newPractice(t, c), reg: &alerts.Registry{}}
	p.reg.Add(func(context.Context, *store.Tx, time.Time) ([]alerts.Alert, error) {
		return slices.Clone(p.raised), nil
	})
	p.frontDesk = practice.Account{Username: "desk", DisplayName: "Desk", Role: practice.RoleFrontDesk}
	p.clinician = practice.Account{Username: "ana", DisplayName: "Ana", Role: practice.RoleClinician}
	p.update(t, func(tx *store.Tx) error {
		if err := tx.CreateAccount(&p.frontDesk, ownerPassword); err != nil {
			return err
		}
		return tx.CreateAccount(&p.clinician, ownerPassword)
	})
	return p
}

func (p *staffPractice) owner(t *testing.T) practice.Account {
	t.Helper()
	var a practice.Account
	p.update(t, func(tx *store.Tx) (err error) { a, err = tx.AccountByUsername("owner"); return err })
	return a
}

func (p *staffPractice) wants(t *testing.T, a practice.Account, m practice.StaffMail) {
	t.Helper()
	p.update(t, func(tx *store.Tx) error { return tx.SetAccountMail(a.ID, m) })
}

func (p *staffPractice) queueStaff(t *testing.T, m *machine) notify.StaffCount {
	t.Helper()
	n, err := notify.RunStaffMail(context.Background(), m.db, p.reg)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Each alert reaches, once, the people it is addressed to who asked for
// alert e-mail; notices wait for the digest; the digest goes to the owner
// who asked for it, due Monday 7:00 on the practice's clock; the e-mails
// say what kind of thing needs review and never whom it is about.
func TestStaffAlertsAndDigest(t *testing.T) {
	loc := chicago(t)
	c := &clock{t: wall(t, loc, "2026-12-02 10:00")} // a Wednesday
	p := newStaffPractice(t, c)
	owner := p.owner(t)
	p.raised = []alerts.Alert{
		{Key: "intake/s1/tell-clinician", Area: "intake", Severity: alerts.Urgent, Kind: "Tell a clinician now",
			Title: "Tell Ana now that " + staffCanary + " needs them.", To: []alerts.Recipient{{Role: practice.RoleFrontDesk}}},
		{Key: "auth/a1/remaining-2", Area: "authorizations", Severity: alerts.Warning, Kind: "An authorization is nearly used up",
			Title: staffCanary + " has 2 sessions left.", To: []alerts.Recipient{{Role: practice.RoleOwner}, {AccountID: p.clinician.ID}}},
		{Key: "credentialing/c1", Area: "credentialing", Severity: alerts.Notice, Kind: "A licence expires in 90 days",
			Title: "Ana's licence (" + staffCanary + ")", To: []alerts.Recipient{{Role: practice.RoleOwner}}},
		{Key: "mail/decide/m1", Area: notify.AlertArea, Severity: alerts.Warning, Kind: "E-mail could not be sent",
			Title: "1 e-mail message could not be sent", To: []alerts.Recipient{{Role: practice.RoleOwner}, {Role: practice.RoleFrontDesk}}},
	}
	p.wants(t, owner, practice.StaffMail{Email: "owner@lakeside.example", Alerts: true, Digest: true})
	p.wants(t, p.frontDesk, practice.StaffMail{Email: "desk@lakeside.example", Alerts: true})
	// The clinician keeps the default: no e-mail address, nothing sent.

	// Worked out by hand: the owner gets the authorization warning (not the
	// notice, not e-mail's own alert) and a digest; the front desk the
	// urgent one (not e-mail's own).
	if n := p.queueStaff(t, p.machine); n != (notify.StaffCount{Alerts: 2, Digests: 1}) {
		t.Fatalf("first run queued %+v, want 2 alerts and 1 digest", n)
	}
	// A second machine, synced, queueing the same hours later adds nothing,
	// and neither does the first again: the same alert is the same row.
	b := p.join(t, "B", c)
	c.Add(3 * time.Hour)
	if n := p.queueStaff(t, b); n != (notify.StaffCount{}) {
		t.Errorf("machine B queued %+v again", n)
	}
	if n := p.queueStaff(t, p.machine); n != (notify.StaffCount{}) {
		t.Errorf("a second run queued %+v again", n)
	}
	syncTo(t, b, p.machine)
	if got := p.rows(t); got != 3 {
		t.Errorf("the outbox holds %d messages, want 3", got)
	}

	s := startServer(t)
	p.useRelay(t, s)
	out := p.outbox(s)
	out.Current = map[string]func(*store.Tx, store.OutboxMessage, time.Time) (string, error){notify.PurposeAlert: notify.AlertCurrent(p.reg)}
	if _, err := out.Deliver(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{} // recipient: subjects
	bodies := map[string]string{}
	for _, r := range s.Received() {
		if bytes.Contains(r.Data, []byte(staffCanary)) || bytes.Contains(r.Data, []byte("Zanzibar")) {
			t.Errorf("the message to %s holds the alert's title", r.To)
		}
		header, parts, err := mailtest.Parse(r.Data)
		if err != nil {
			t.Fatal(err)
		}
		subject, _ := new(mime.WordDecoder).DecodeHeader(header.Get("Subject"))
		got[r.To] = append(got[r.To], subject)
		bodies[subject] = parts["text/plain"]
		if !strings.Contains(parts["text/html"], "Needs action") {
			t.Errorf("%q: the HTML part lacks where to look", subject)
		}
	}
	for _, list := range got {
		slices.Sort(list)
	}
	want := map[string][]string{
		"owner@lakeside.example": {"Quietdesk: An authorization is nearly used up", "Quietdesk: your week of November 30"},
		"desk@lakeside.example":  {"Quietdesk: Tell a clinician now"},
	}
	for to, subjects := range want {
		if !slices.Equal(got[to], subjects) {
			t.Errorf("%s got %q, want %q", to, got[to], subjects)
		}
	}
	if len(got) != len(want) {
		t.Errorf("messages went to %v", got)
	}
	digest := bodies["Quietdesk: your week of November 30"]
	for _, line := range []string{"1 × An authorization is nearly used up", "1 × A licence expires in 90 days", "1 × E-mail could not be sent"} {
		if !strings.Contains(digest, line) {
			t.Errorf("the digest lacks %q:\n%s", line, digest)
		}
	}
	if !strings.Contains(bodies["Quietdesk: Tell a clinician now"], "It needs action today.") {
		t.Errorf("the urgent alert does not say how soon:\n%s", bodies["Quietdesk: Tell a clinician now"])
	}

	// Next Monday at 7:00 a new digest is due; nothing else is new.
	c.t = wall(t, loc, "2026-12-07 07:00")
	if n := p.queueStaff(t, p.machine); n != (notify.StaffCount{Digests: 1}) {
		t.Errorf("next Monday queued %+v, want the digest only", n)
	}
}

// An alert dealt with before its e-mail goes is withdrawn, not sent; so is
// one for a person who turned alert e-mail off meanwhile.
func TestStaffAlertWithdrawnWhenDealtWith(t *testing.T) {
	loc := chicago(t)
	c := &clock{t: wall(t, loc, "2026-12-02 10:00")}
	p := newStaffPractice(t, c)
	p.raised = []alerts.Alert{
		{Key: "intake/s1/tell-clinician", Area: "intake", Severity: alerts.Urgent, Kind: "Tell a clinician now", To: []alerts.Recipient{{Role: practice.RoleFrontDesk}}},
		{Key: "auth/a1/over", Area: "authorizations", Severity: alerts.Urgent, Kind: "An authorization is used up", To: []alerts.Recipient{{AccountID: p.clinician.ID}}},
	}
	p.wants(t, p.frontDesk, practice.StaffMail{Email: "desk@lakeside.example", Alerts: true})
	p.wants(t, p.clinician, practice.StaffMail{Email: "ana@lakeside.example", Alerts: true})
	if n := p.queueStaff(t, p.machine); n.Alerts != 2 {
		t.Fatalf("queued %+v, want 2 alerts", n)
	}
	p.raised = p.raised[1:]                                                    // the front desk told the clinician
	p.wants(t, p.clinician, practice.StaffMail{Email: "ana@lakeside.example"}) // and she turned alerts off

	s := startServer(t)
	p.useRelay(t, s)
	out := p.outbox(s)
	out.Current = map[string]func(*store.Tx, store.OutboxMessage, time.Time) (string, error){notify.PurposeAlert: notify.AlertCurrent(p.reg)}
	res, err := out.Deliver(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Withdrawn != 2 || res.Sent != 0 || len(s.Received()) != 0 {
		t.Errorf("delivery %+v, %d received; want both withdrawn", res, len(s.Received()))
	}
}

// Bad choices are refused with a message naming the field, and change
// nothing.
func TestStaffMailBadInput(t *testing.T) {
	p := newStaffPractice(t, nil)
	p.wants(t, p.frontDesk, practice.StaffMail{Email: "desk@lakeside.example", Alerts: true})
	for _, bad := range []practice.StaffMail{
		{Alerts: true}, // no address
		{Email: "desk at lakeside", Alerts: true}, // not an address
		{Email: strings.Repeat("d", 300) + "@lakeside.example"},
	} {
		err := p.db.Update(context.Background(), func(tx *store.Tx) error { return tx.SetAccountMail(p.frontDesk.ID, bad) })
		var pe *practice.Error
		if !errors.As(err, &pe) || pe.Code != practice.EInvalid || pe.Fields["email"] == "" {
			t.Errorf("%+v: %v, want a problem with the e-mail field", bad, err)
		}
	}
	var kept practice.StaffMail
	p.update(t, func(tx *store.Tx) (err error) { kept, err = tx.AccountMail(p.frontDesk.ID); return err })
	if kept != (practice.StaffMail{Email: "desk@lakeside.example", Alerts: true}) {
		t.Errorf("after refused saves: %+v", kept)
	}
}

// The digest is due on the latest Monday 7:00 on the practice's clock,
// across a daylight-saving change (worked out by hand, Chicago).
func TestDigestDue(t *testing.T) {
	loc := chicago(t)
	for _, c := range []struct{ now, due string }{
		{"2026-12-02 10:00", "2026-11-30 07:00"}, // Wednesday
		{"2026-11-30 07:00", "2026-11-30 07:00"}, // the moment itself
		{"2026-11-30 06:59", "2026-11-23 07:00"}, // a minute early: last week's
		{"2026-12-06 23:59", "2026-11-30 07:00"}, // Sunday night
		{"2026-11-03 09:00", "2026-11-02 07:00"}, // after fall back (Nov 1)
		{"2026-03-09 08:00", "2026-03-09 07:00"}, // the Monday after spring forward
	} {
		if got := notify.DigestDue(wall(t, loc, c.now), loc); !got.Equal(wall(t, loc, c.due)) {
			t.Errorf("at %s: due %v, want %s", c.now, got.In(loc), c.due)
		}
	}
}

// A message the relay refuses is e-mail's own alert, for the owner and the
// front desk (who decide on it in the Outbox); a second failure is a new
// alert; decided, it is gone.
func TestFailedMessagesAreAnAlert(t *testing.T) {
	c := &clock{t: t0}
	a := newPractice(t, c)
	s := startServer(t)
	a.useRelay(t, s)
	s.Reply = func(step mail.Step, _ int) error {
		if step == mail.StepRecipient {
			return mailtest.ErrRejected
		}
		return nil
	}
	raised := func() []alerts.Alert {
		t.Helper()
		var list []alerts.Alert
		a.update(t, func(tx *store.Tx) (err error) {
			list, err = notify.Alerts(context.Background(), tx, c.Now())
			return err
		})
		return list
	}
	if got := raised(); len(got) != 0 {
		t.Fatalf("alerts before any failure: %+v", got)
	}
	first := a.queue(t, "one", t0)
	if _, err := a.outbox(s).Deliver(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := raised()
	if len(got) != 1 || got[0].Key != "mail/decide/"+first || got[0].Title != "1 e-mail message could not be sent, or may not have arrived: decide in Settings → Outbox." ||
		!got[0].Reaches(alerts.Who{Role: practice.RoleFrontDesk}) || !got[0].Reaches(alerts.Who{Role: practice.RoleOwner}) || got[0].Reaches(alerts.Who{Role: practice.RoleBiller}) {
		t.Fatalf("after one failure: %+v", got)
	}
	c.Add(time.Minute)
	second := a.queue(t, "two", t0)
	if _, err := a.outbox(s).Deliver(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := raised(); len(got) != 1 || got[0].Key != "mail/decide/"+second || !strings.HasPrefix(got[0].Title, "2 e-mail messages") {
		t.Fatalf("after a second failure: %+v", got)
	}
	a.update(t, func(tx *store.Tx) error {
		if err := notify.Decide(tx, first, "drop"); err != nil {
			return err
		}
		return notify.Decide(tx, second, "sent")
	})
	if got := raised(); len(got) != 0 {
		t.Fatalf("after deciding both: %+v", got)
	}
}
