package sync

import (
	"cmp"
	"context"
	"time"

	"quietdesk/internal/alerts"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// The practice's computers report that they are alive in replicated data,
// so every office computer can say which one has gone quiet, and all say
// the same.

// BeatEvery is how often a machine that syncs records that it was seen
// (devices.seen): a change a machine an hour, while it has a peer.
const BeatEvery = time.Hour

// UnseenAfter is how much of the practice's working time (WorkingTime) a
// computer may go unseen before it is an alert: a day.
const UnseenAfter = 24 * time.Hour

// beat records, at most every BeatEvery and only while a session runs
// (runSession calls it before its hello, sendLoop while it lasts), that
// this machine was seen: the change reaches the peers like any other. A
// failed write is tried again a minute later.
func (s *Service) beat(ctx context.Context) {
	now := s.cfg.Now()
	s.mu.Lock()
	due := !now.Before(s.nextBeat)
	if due {
		s.nextBeat = now.Add(BeatEvery)
	}
	s.mu.Unlock()
	if !due {
		return
	}
	err := s.db.UpdateWithoutKey(ctx, func(tx *store.Tx) error { return tx.SawDevice(s.id.ID) })
	if err != nil && ctx.Err() == nil {
		s.log.Error("sync: could not record that this machine was seen", "err", err)
		s.mu.Lock()
		s.nextBeat = now.Add(time.Minute)
		s.mu.Unlock()
	}
}

// UnseenAlerts is the alerts.Source that names each computer of the
// practice (office computer or hub) not seen for more than UnseenAfter of
// the practice's working time, as the machine self sees it. Removed
// devices, tablets (never members), self, and machines paired before the
// sighting was recorded that have not synced since are never named; a
// machine that does not sync (self "") or is no longer a member names
// none. The alert goes to the owner (as a failed backup does), names the
// computer and when it was last seen, and goes away when the computer's
// next sighting arrives; its key holds that sighting, so a later absence
// is a new alert (and a new e-mail).
func UnseenAlerts(self string) alerts.Source {
	return func(_ context.Context, tx *store.Tx, now time.Time) ([]alerts.Alert, error) {
		if self == "" {
			return nil, nil
		}
		devices, err := tx.Devices()
		if err != nil {
			return nil, err
		}
		member := false
		for _, d := range devices {
			member = member || d.ID == self && !d.Removed
		}
		if !member {
			return nil, nil
		}
		ps, err := tx.Settings()
		if err != nil {
			return nil, err
		}
		loc := time.UTC
		if z, err := time.LoadLocation(ps.Timezone); err == nil && ps.Timezone != "" {
			loc = z
		}
		var out []alerts.Alert
		for _, d := range devices {
			if d.ID == self || d.Removed || d.SeenAt.IsZero() {
				continue
			}
			missed, err := WorkingTime(tx, d.SeenAt, now, loc, UnseenAfter)
			if err != nil {
				return nil, err
			}
			if missed <= UnseenAfter {
				continue
			}
			name := cmp.Or(d.Name, "A computer of the practice ("+short(d.ID)+")")
			out = append(out, alerts.Alert{
				Key:      "device/unseen/" + d.ID + "/" + d.SeenAt.UTC().Format("20060102T150405"),
				Area:     "devices",
				Severity: alerts.Warning,
				Kind:     "A computer has not been seen for a day",
				Title: name + " has not synced since " + d.SeenAt.In(loc).Format("Monday 2 January 15:04") +
					". Check that it is switched on and connected to the office network; if it is gone for good, remove it in Settings → Devices.",
				Table: "devices",
				ID:    d.ID,
				To:    []alerts.Recipient{{Role: practice.RoleOwner}},
			})
		}
		return out, nil
	}
}

// WorkingTime is how much of [from, to) fell on days the practice saw
// patients: days, midnight to midnight on the practice's clock (loc), with
// at least one appointment that was not cancelled. Weekends, holidays and
// closures have none, so they do not count. It stops counting once the
// total passes enough.
func WorkingTime(tx *store.Tx, from, to time.Time, loc *time.Location, enough time.Duration) (time.Duration, error) {
	var total time.Duration
	end := nextMidnight(to, loc) // sessions later today make today a working day
	for cursor := midnight(from, loc); cursor.Before(to) && total <= enough; {
		first, ok, err := tx.FirstSessionStart(cursor, end)
		if err != nil || !ok {
			return total, err
		}
		day := midnight(first, loc)
		next := nextMidnight(first, loc)
		if lo, hi := later(day, from), earlier(next, to); hi.After(lo) {
			total += hi.Sub(lo)
		}
		cursor = next
	}
	return total, nil
}

// midnight is the start of t's day on the clock of loc; nextMidnight the
// start of the day after (a day of 23 or 25 hours across a clock change).
func midnight(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

func nextMidnight(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
