package intake

import (
	"strconv"

	"quietdesk/internal/practice"
)

// band is a severity band: totals from min upward, up to the next band.
type band struct {
	min  int
	name string
}

// The published bands (Kroenke, Spitzer et al.): PHQ-9 0–4, 5–9, 10–14,
// 15–19, 20–27; GAD-7 0–4, 5–9, 10–14, 15–21.
var (
	phq9Bands = []band{{0, practice.BandMinimal}, {5, practice.BandMild}, {10, practice.BandModerate},
		{15, practice.BandModeratelySevere}, {20, practice.BandSevere}}
	gad7Bands = []band{{0, practice.BandMinimal}, {5, practice.BandMild}, {10, practice.BandModerate}, {15, practice.BandSevere}}
)

func bandOf(bands []band, total int) string {
	name := bands[0].name
	for _, b := range bands {
		if total >= b.min {
			name = b.name
		}
	}
	return name
}

// items sums a questionnaire's items "1".."n", each scored 0–3. The
// response has been checked against the form, so every item holds one of
// the scale's values.
func items(r *practice.FormResponse, n int) (total int, each []int) {
	each = make([]int, n)
	for i := range n {
		v, _ := strconv.Atoi(r.Value(strconv.Itoa(i + 1)))
		each[i] = v
		total += v
	}
	return total, each
}

// ScorePHQ9 scores a PHQ-9: the sum of its nine items (0–27), its band,
// the difficulty answer as given, and the safety flag, raised by item 9
// ("thoughts that you would be better off dead or of hurting yourself")
// above 0 whatever the total.
func ScorePHQ9(r *practice.FormResponse) practice.Score {
	total, each := items(r, 9)
	return practice.Score{FormID: "phq9", Total: total, Max: 27, Band: bandOf(phq9Bands, total),
		Difficulty: r.Value("difficulty"), SafetyFlag: each[8] > 0}
}

// ScoreGAD7 scores a GAD-7: the sum of its seven items (0–21) and its band.
func ScoreGAD7(r *practice.FormResponse) practice.Score {
	total, _ := items(r, 7)
	return practice.Score{FormID: "gad7", Total: total, Max: 21, Band: bandOf(gad7Bands, total)}
}

// scorers are the questionnaires Quietdesk scores, by form id.
var scorers = map[string]func(*practice.FormResponse) practice.Score{"phq9": ScorePHQ9, "gad7": ScoreGAD7}

// Score scores every questionnaire of a submission that was not skipped.
func Score(forms []practice.FormResponse) []practice.Score {
	var out []practice.Score
	for i := range forms {
		if score, ok := scorers[forms[i].FormID]; ok && !forms[i].Skipped {
			out = append(out, score(&forms[i]))
		}
	}
	return out
}
