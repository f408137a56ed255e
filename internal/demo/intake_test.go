package demo_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"quietdesk/internal/intake"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// TestDemoIntake: the small demo's patients in care have the packets they
// filled in, with PHQ-9 and GAD-7 scores, a few safety flags (the older
// acknowledged), packets still to review, and today's appointments still
// have packets to do.
func TestDemoIntake(t *testing.T) {
	_, db, _ := newDemo(t, 3)
	var subs []practice.Submission
	var codes []intake.CheckinCode
	var owner practice.Actor
	err := db.Update(context.Background(), func(tx *store.Tx) (err error) {
		if subs, err = tx.SubmissionsSince(time.Time{}); err != nil {
			return err
		}
		for i, s := range subs {
			if subs[i], err = tx.Submission(s.ID); err != nil {
				return err
			}
		}
		accounts, err := tx.Accounts()
		if err != nil {
			return err
		}
		for _, a := range accounts {
			if a.Role == practice.RoleOwner {
				owner = practice.Actor{AccountID: a.ID}
				codes, err = intake.Codes(tx, owner)
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	patients := map[string]int{}
	var scored, flagged, acknowledged, toReview, yearly, progress int
	for _, s := range subs {
		patients[s.PatientID]++
		if len(s.Scores) == 2 && s.Scores[0].FormID == "phq9" && s.Scores[1].FormID == "gad7" {
			scored++
		}
		if s.Flagged() {
			flagged++
			if s.Review.FlagAckBy != "" {
				acknowledged++
			}
		}
		if s.Status == practice.NeedsReview {
			toReview++
		}
		switch s.PacketID {
		case "annual":
			yearly++
		case "progress":
			progress++
		}
	}
	t.Logf("%d submissions of %d patients: %d scored, %d flagged (%d acknowledged), %d to review, %d yearly updates, %d progress checks; %d check-in codes today",
		len(subs), len(patients), scored, flagged, acknowledged, toReview, yearly, progress, len(codes))
	for name, n := range map[string]int{"submissions": len(subs), "with both scores": scored, "flagged": flagged,
		"acknowledged flags": acknowledged, "to review": toReview, "check-in codes today": len(codes)} {
		if n == 0 {
			t.Errorf("the demo has no %s", name)
		}
	}
	if scored != len(subs) {
		t.Errorf("%d of %d submissions have both scores", scored, len(subs))
	}
	// Between the yearly packets, progress checks: a clinician sees a trend.
	if progress < len(patients) {
		t.Errorf("%d progress checks for %d patients", progress, len(patients))
	}
	// A history packet's PDF is made when it is first exported, then kept.
	var first, again bytes.Buffer
	err = db.Update(context.Background(), func(tx *store.Tx) error {
		if err := intake.ExportPDF(tx, owner, subs[0].ID, &first); err != nil {
			return err
		}
		return intake.ExportPDF(tx, owner, subs[0].ID, &again)
	})
	if err != nil || !bytes.HasPrefix(first.Bytes(), []byte("%PDF-")) || !bytes.Equal(first.Bytes(), again.Bytes()) {
		t.Fatalf("a history packet's PDF: %d then %d bytes, %v", first.Len(), again.Len(), err)
	}
}
