package intake_test

import (
	"strconv"
	"testing"

	"quietdesk/internal/intake"
	"quietdesk/internal/practice"
)

// response answers items "1".."n" with the given item scores.
func response(form string, items []int, extra map[string]string) practice.FormResponse {
	r := practice.FormResponse{FormID: form, Answers: map[string][]string{}}
	for i, v := range items {
		r.Answers[strconv.Itoa(i+1)] = []string{strconv.Itoa(v)}
	}
	for k, v := range extra {
		r.Answers[k] = []string{v}
	}
	return r
}

// The published PHQ-9 scoring (Kroenke, Spitzer & Williams 2001): the sum
// of nine items scored 0–3; 0–4 minimal, 5–9 mild, 10–14 moderate, 15–19
// moderately severe, 20–27 severe. Totals below are added up by hand.
func TestPHQ9ScoringAtEveryBandBoundary(t *testing.T) {
	cases := []struct {
		items []int
		total int
		band  string
		flag  bool
	}{
		{[]int{0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, "minimal", false},
		{[]int{1, 1, 1, 1, 0, 0, 0, 0, 0}, 4, "minimal", false},
		{[]int{1, 1, 1, 1, 1, 0, 0, 0, 0}, 5, "mild", false},
		{[]int{3, 3, 3, 0, 0, 0, 0, 0, 0}, 9, "mild", false},
		{[]int{3, 3, 3, 1, 0, 0, 0, 0, 0}, 10, "moderate", false},
		{[]int{2, 2, 2, 2, 2, 2, 2, 0, 0}, 14, "moderate", false},
		{[]int{2, 2, 2, 2, 2, 2, 2, 1, 0}, 15, "moderately severe", false},
		{[]int{3, 3, 3, 3, 3, 3, 1, 0, 0}, 19, "moderately severe", false},
		{[]int{3, 3, 3, 3, 3, 3, 2, 0, 0}, 20, "severe", false},
		{[]int{3, 3, 3, 3, 3, 3, 3, 3, 3}, 27, "severe", true},
		// Item 9 above 0 is a safety flag whatever the total.
		{[]int{0, 0, 0, 0, 0, 0, 0, 0, 1}, 1, "minimal", true},
		{[]int{0, 0, 0, 0, 0, 0, 0, 0, 2}, 2, "minimal", true},
		{[]int{1, 0, 0, 0, 0, 0, 0, 0, 3}, 4, "minimal", true},
		{[]int{2, 2, 2, 2, 2, 2, 2, 3, 0}, 17, "moderately severe", false}, // item 8 high, item 9 zero: no flag
	}
	for _, c := range cases {
		r := response("phq9", c.items, map[string]string{"difficulty": "very"})
		got := intake.ScorePHQ9(&r)
		want := practice.Score{FormID: "phq9", Total: c.total, Max: 27, Band: c.band, Difficulty: "very", SafetyFlag: c.flag}
		if got != want {
			t.Errorf("PHQ-9 %v: got %+v, want %+v", c.items, got, want)
		}
	}
}

// GAD-7 (Spitzer et al. 2006): seven items 0–3, 0–21; 0–4 minimal, 5–9
// mild, 10–14 moderate, 15–21 severe. It has no safety item.
func TestGAD7ScoringAtEveryBandBoundary(t *testing.T) {
	cases := []struct {
		items []int
		total int
		band  string
	}{
		{[]int{0, 0, 0, 0, 0, 0, 0}, 0, "minimal"},
		{[]int{1, 1, 1, 1, 0, 0, 0}, 4, "minimal"},
		{[]int{1, 1, 1, 1, 1, 0, 0}, 5, "mild"},
		{[]int{3, 3, 3, 0, 0, 0, 0}, 9, "mild"},
		{[]int{3, 3, 3, 1, 0, 0, 0}, 10, "moderate"},
		{[]int{2, 2, 2, 2, 2, 2, 2}, 14, "moderate"},
		{[]int{3, 2, 2, 2, 2, 2, 2}, 15, "severe"},
		{[]int{3, 3, 3, 3, 3, 3, 3}, 21, "severe"},
	}
	for _, c := range cases {
		r := response("gad7", c.items, nil)
		got := intake.ScoreGAD7(&r)
		want := practice.Score{FormID: "gad7", Total: c.total, Max: 21, Band: c.band}
		if got != want {
			t.Errorf("GAD-7 %v: got %+v, want %+v", c.items, got, want)
		}
	}
}

func TestScoreSkipsWhatIsNotAQuestionnaireOrWasSkipped(t *testing.T) {
	phq := response("phq9", []int{1, 1, 1, 1, 1, 1, 1, 1, 1}, nil)
	gad := response("gad7", []int{1, 1, 1, 1, 1, 1, 1}, nil)
	gad.Skipped = true
	other := practice.FormResponse{FormID: "demographics"}
	got := intake.Score([]practice.FormResponse{other, phq, gad})
	if len(got) != 1 || got[0].FormID != "phq9" || got[0].Total != 9 || !got[0].SafetyFlag {
		t.Fatalf("got %+v, want the PHQ-9 alone, total 9, flagged", got)
	}
}
