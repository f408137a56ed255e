package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"slices"
	"time"

	"quietdesk/internal/intake"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// streamIntake draws the demo's intake history.
const streamIntake uint64 = 0x51d3_0014

// intakeCaps is how many patients of each size get an intake history:
// each packet makes its PDF (about 50 ms), and opening the demo waits.
var intakeCaps = map[int]int{600: 40, 10000: 250}

// makeIntake gives patients in care the packets they filled in: the
// new-patient packet (adult or minor by date of birth) before their first
// session, the yearly update on each anniversary since, and a progress
// check (PHQ-9 and GAD-7) every three months of the last year between, with
// scores that mostly ease as care goes on. A few answered PHQ-9
// item 9 above 0: the older flags acknowledged by the owner and reviewed,
// the newest left for a person to acknowledge. Answers repeat what is on
// file, so no review waits on a record change; the newest few packets
// still wait for review. Patients with an appointment today are left without a
// history, so today's check-in codes stay to be used.
func makeIntake(ctx context.Context, db *store.DB, g gen, ownerID string, patientIDs []string) error {
	limit := intakeCaps[len(patientIDs)]
	if limit == 0 {
		limit = intakeCaps[600]
	}
	owner := practice.Actor{AccountID: ownerID}
	ink := signatureInk()
	return db.Update(ctx, func(tx *store.Tx) error {
		settings, err := tx.Settings()
		if err != nil {
			return err
		}
		zone, now := settings.Zone(), tx.Now()
		y, m, d := now.In(zone).Date()
		midnight := time.Date(y, m, d, 0, 0, 0, 0, zone)
		today, err := tx.AppointmentsBetween(midnight, midnight.AddDate(0, 0, 1), store.AppointmentFilter{})
		if err != nil {
			return err
		}
		seenToday := map[string]bool{}
		for _, a := range today {
			seenToday[a.PatientID] = true
		}
		histories := 0
		var filed []practice.Submission
		for _, pid := range patientIDs {
			if histories >= limit {
				break
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if seenToday[pid] || !g.chance(0.5) {
				continue
			}
			visits, err := tx.AppointmentsBetween(now.AddDate(-6, 0, 0), now, store.AppointmentFilter{PatientID: pid})
			if err != nil {
				return err
			}
			first := firstKept(visits)
			if first.ID == "" {
				continue
			}
			pt, err := tx.Patient(pid)
			if err != nil {
				return err
			}
			// The packet asks for an emergency contact; one typed in new
			// would wait on a person's review, which the history does not.
			if pt.Emergency.Name == "" || pt.Emergency.Phone == "" {
				continue
			}
			phq, gad := 6+g.r.IntN(17), 5+g.r.IntN(14)
			flagged := histories%9 == 4 // about one history in nine
			start := first.Start.Add(-20 * time.Minute)
			for n, at := 0, start; !at.After(now); n, at = n+1, start.AddDate(0, 3*(n+1), 0) {
				packetID, appointmentID := "", first.ID // the new-patient packet by date of birth
				switch {
				case n%4 == 0 && n > 0:
					packetID, appointmentID = "annual", ""
				case n > 0 && at.Before(now.AddDate(-1, 0, 0)):
					continue // progress checks of the last year only: each makes its PDF
				case n > 0:
					packetID, appointmentID = "progress", ""
				}
				v, err := intake.PrepareVisit(tx, owner, pid, appointmentID, packetID)
				if err != nil {
					return fmt.Errorf("intake: %w", err)
				}
				item9 := 0
				if flagged && n == 0 {
					item9 = 1 + g.r.IntN(2)
				}
				s := answered(g, v, pt, phq, gad, item9, ink, at)
				if s, _, err = intake.FileAt(tx, owner, s, at); err != nil {
					return fmt.Errorf("intake: %w", err)
				}
				filed = append(filed, s)
				phq, gad = easing(g, phq, 6), easing(g, gad, 5)
			}
			histories++
		}
		return review(tx, ownerID, filed)
	})
}

// easing is a questionnaire total three months on in care: mostly lower,
// sometimes a little higher (care is not a straight line), never below 1.
func easing(g gen, total, most int) int {
	return max(1, total-g.r.IntN(most)+1)
}

// openInDemo is how many of the newest packets still wait for review.
const openInDemo = 3

// review marks every packet reviewed the day it came, its flag
// acknowledged by the owner, except the newest few and the newest flagged
// one, which wait for a person.
func review(tx *store.Tx, ownerID string, filed []practice.Submission) error {
	slices.SortFunc(filed, func(a, b practice.Submission) int { return b.SubmittedAt.Compare(a.SubmittedAt) })
	newestFlag := slices.IndexFunc(filed, func(s practice.Submission) bool { return s.Flagged() })
	for i, s := range filed {
		if i < openInDemo || i == newestFlag {
			continue
		}
		if s.Flagged() {
			s.Review.FlagAckBy, s.Review.FlagAckAt = ownerID, s.SubmittedAt.Add(30*time.Minute)
		}
		s.Status, s.Review.ReviewedBy, s.Review.ReviewedAt = practice.Reviewed, ownerID, s.SubmittedAt.Add(2*time.Hour)
		if err := tx.SaveSubmissionReview(&s); err != nil {
			return fmt.Errorf("intake review: %w", err)
		}
	}
	return nil
}

// firstKept is the first completed session of a patient's list, or none.
func firstKept(list []practice.Appointment) practice.Appointment {
	var first practice.Appointment
	for _, a := range list {
		if a.Status == practice.Completed && (first.ID == "" || a.Start.Before(first.Start)) {
			first = a
		}
	}
	return first
}

// answered fills in visit v as patient pt would: demographics as on file,
// the first choice of every other question, PHQ-9 items summing to phq with
// item 9 set to item9, GAD-7 items summing to gad, every consent signed by
// its signers at at.
func answered(g gen, v intake.Visit, pt practice.Patient, phq, gad, item9 int, ink []byte, at time.Time) practice.Submission {
	s := practice.Submission{ID: v.SubmissionID, PatientID: v.PatientID, AppointmentID: v.AppointmentID, PacketID: v.PacketID,
		Language: practice.English}
	if practice.Language(pt.Contact.Language) == practice.Spanish {
		s.Language = practice.Spanish
	}
	for _, f := range v.Forms {
		r := practice.FormResponse{FormID: f.ID, Version: f.Version, TextHash: v.Hashes[f.ID][s.Language], Answers: map[string][]string{}}
		var items []string
		total := 0
		switch f.ID {
		case "phq9":
			items, total = make([]string, 0, 9), phq
		case "gad7":
			items, total = make([]string, 0, 7), gad
		}
		for _, q := range f.Questions {
			if onFile, ok := intake.OnFile(pt, q.Field); ok {
				if onFile != "" {
					r.Answers[q.ID] = []string{onFile}
				}
				continue
			}
			switch {
			case items != nil && q.ID != "difficulty":
				items = append(items, q.ID)
			case q.ID == "difficulty":
				r.Answers[q.ID] = []string{[]string{"not", "somewhat", "very", "extremely"}[min(3, phq/7)]}
			case q.Kind == practice.Single:
				r.Answers[q.ID] = []string{q.Options[0].Value}
			case q.Kind == practice.YesNo:
				r.Answers[q.ID] = []string{"yes"}
			case q.Required:
				r.Answers[q.ID] = []string{"Primary care physician"}
			}
		}
		if items != nil {
			spread(g, r.Answers, items, total, f.ID == "phq9", item9)
		}
		if f.Kind == practice.Consent {
			for _, sg := range v.Signers {
				r.Signatures = append(r.Signatures, practice.Signature{Role: sg.Role, Index: sg.Index, Name: sg.Name, Image: ink, SignedAt: at})
			}
		}
		s.Forms = append(s.Forms, r)
	}
	return s
}

// spread answers a questionnaire's items (0–3 each) so they sum to total;
// for the PHQ-9, item 9 is item9 and counts toward the total.
func spread(g gen, answers map[string][]string, items []string, total int, phq bool, item9 int) {
	values := make([]int, len(items))
	open := len(items)
	if phq {
		values[8], open = item9, 8
		total -= item9
	}
	for total = min(max(0, total), 3*open); total > 0; {
		if i := g.r.IntN(open); values[i] < 3 {
			values[i]++
			total--
		}
	}
	for i, id := range items {
		answers[id] = []string{fmt.Sprint(values[i])}
	}
}

// signatureInk is a drawn stroke: the demo's signatures are all the same.
func signatureInk() []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 240, 80))
	for x := 12; x < 228; x++ {
		y := 40 + int(18*math.Sin(float64(x)/17)*math.Cos(float64(x)/53))
		for dy := range 2 {
			img.Set(x, y+dy, color.NRGBA{20, 30, 90, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err) // an in-memory encode of a valid image cannot fail
	}
	return b.Bytes()
}
