package calendar_test

import (
	"context"
	"testing"
	"time"

	"quietdesk/internal/calendar"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// replicaOf makes a second machine of p's practice that has received
// everything and is unlocked by the owner's password.
func replicaOf(t *testing.T, p *practiceFixture) *practiceFixture {
	t.Helper()
	ctx := context.Background()
	own := &clock{}
	own.Set(p.clock.Now())
	db, err := store.Open(t.TempDir(), store.Options{Now: own.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.CreateReplica(ctx, p.db.PracticeID()); err != nil {
		t.Fatal(err)
	}
	r := *p
	r.t, r.db, r.clock = t, db, own
	exchange(t, p, &r)
	if _, err := db.Unlock(ctx, "owner", "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	return &r
}

// exchange syncs two machines both ways, with the calendar's merge hook,
// until nothing moves (merging can write conflict records, which travel too).
func exchange(t *testing.T, a, b *practiceFixture) {
	t.Helper()
	ctx := context.Background()
	for round := 0; round < 20; round++ {
		moved := 0
		for _, pair := range [][2]*practiceFixture{{a, b}, {b, a}} {
			from, to := pair[0], pair[1]
			have, err := to.db.Vector(ctx)
			if err != nil {
				t.Fatal(err)
			}
			batch, err := from.db.ChangesAfter(ctx, have, 1000)
			if err != nil {
				t.Fatal(err)
			}
			res, err := to.db.ApplyBatch(ctx, batch, calendar.CheckMergedSlots)
			if err != nil {
				t.Fatal(err)
			}
			moved += res.New
		}
		if moved == 0 {
			return
		}
	}
	t.Fatal("the machines did not converge in 20 rounds")
}

func openConflicts(t *testing.T, p *practiceFixture) []store.Conflict {
	t.Helper()
	var out []store.Conflict
	if err := p.db.View(context.Background(), func(tx *store.Tx) error {
		var err error
		out, err = tx.Conflicts(true)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOfflineDoubleBookingBecomesOneConflictOnBothMachines(t *testing.T) {
	front := newPractice(t)
	back := replicaOf(t, front)

	// Offline, both desks book Ana at 10:00 on Tuesday, in different rooms.
	a := front.mustBook(calendar.Booking{Appointment: front.session(front.maria, "2027-03-02 10:00")}).Appointments[0]
	second := back.session(back.noah, "2027-03-02 10:30")
	second.RoomID = back.room2.ID
	b := back.mustBook(calendar.Booking{Appointment: second}).Appointments[0]

	exchange(t, front, back)
	var ids []string
	for _, m := range []*practiceFixture{front, back} {
		found := openConflicts(t, m)
		if len(found) != 1 || found[0].Kind != calendar.ConflictDoubleBooking || found[0].Detail != "clinician" {
			t.Fatalf("conflicts %+v: want one clinician double-booking", found)
		}
		ids = append(ids, found[0].ID)
		for _, id := range []string{a.ID, b.ID} {
			if got := m.appointment(id); got.Status != practice.Scheduled {
				t.Fatalf("appointment %s is %s after the merge; both must stay booked", id, got.Status)
			}
		}
	}
	if ids[0] != ids[1] {
		t.Fatalf("the machines recorded different conflicts: %v", ids)
	}
}

func TestDeliberateOverrideRaisesNoConflictElsewhere(t *testing.T) {
	front := newPractice(t)
	back := replicaOf(t, front)
	front.mustBook(calendar.Booking{Appointment: front.session(front.maria, "2027-03-02 10:00")})
	joint := front.session(front.noah, "2027-03-02 10:00")
	joint.RoomID, joint.OverrideReason = front.room2.ID, "Joint session"
	front.mustBook(calendar.Booking{Appointment: joint}) // the service acknowledges the override
	exchange(t, front, back)
	for _, m := range []*practiceFixture{front, back} {
		if found := openConflicts(t, m); len(found) != 0 {
			t.Fatalf("a booking made over a conflict on purpose raised %+v", found)
		}
	}
}

func TestTwoMachinesExtendingOneSeriesMakeTheSameSessions(t *testing.T) {
	front := newPractice(t)
	back := replicaOf(t, front)
	front.mustBook(calendar.Booking{Appointment: front.session(front.maria, "2027-03-02 10:00"), Recurrence: weeklyOn(2)})
	exchange(t, front, back)

	// A month later both machines run the scheduled job before they talk,
	// their clocks a few seconds apart.
	front.clock.AddDate(0, 1, 0)
	back.clock.Set(front.clock.Now().Add(7 * time.Second))
	for _, m := range []*practiceFixture{front, back} {
		if err := m.update(func(tx *store.Tx) error {
			made, err := calendar.Materialize(tx)
			if err == nil && made == 0 {
				t.Error("the job made no new sessions")
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	exchange(t, front, back)
	want := len(front.appointments("2027-03-01 00:00", "2028-06-01 00:00"))
	if got := len(back.appointments("2027-03-01 00:00", "2028-06-01 00:00")); got != want || want != 57 {
		t.Fatalf("front has %d sessions, back %d; want the same 57", want, got)
	}
	for _, m := range []*practiceFixture{front, back} {
		if found := openConflicts(t, m); len(found) != 0 {
			t.Fatalf("extending a series on two machines raised %d conflicts", len(found))
		}
	}
}
