package app_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// unmarkedReviewed are text fields of the records the canary writes that
// hold no marker, each with the reason it identifies and describes no one.
// A text field added to a record the canary writes fails
// TestCanaryMarksEveryTextField until the canary writes a marker into it
// (and so scans for it everywhere) or it is reviewed here.
var unmarkedReviewed = map[string]string{
	"AppointmentType.Color":              "a display colour (#rrggbb) of the practice's appointment type",
	"AppointmentType.ServiceCode":        "the CPT code the practice bills the type under (90837…)",
	"Credential[].Issued":                "a date of a clinician's licence, practice data (plain issued_on, reviewed)",
	"Credential[].Expires":               "a date of a clinician's licence, practice data (plain expires_on, reviewed)",
	"Credential[].State":                 "the two-letter state that issued a clinician's licence",
	"Enrollment.EffectiveOn":             "a date of the practice's enrollment with a payer (plain effective_on, reviewed)",
	"Enrollment.FollowUpOn":              "a follow-up date of the practice's enrollment with a payer (plain follow_up_on, reviewed)",
	"Location.Address.State":             "the practice's two-letter state",
	"Settings.Address.State":             "the practice's two-letter state",
	"Settings.Timezone":                  "the practice's IANA time zone",
	"Patient[].Contact.Address.State":    "a two-letter state from a fixed list: it cannot carry a unique marker; sealed with the contact group",
	"Patient[].Contact.Language":         "a language code from a fixed list (en, es); sealed with the contact group",
	"Patient[].Identity.Sex":             "administrative sex for claims from a fixed list (F, M, U); sealed with the identity group",
	"Policy[][].Subscriber.Relationship": "the subscriber's relationship from a fixed list (self, spouse, child…); sealed with the policy",
	"Waitlist.EarliestTime":              "a time of day (HH:MM); sealed with the waitlist preferences",
	"Waitlist.LatestTime":                "a time of day (HH:MM); sealed with the waitlist preferences",
	"Waitlist.Telehealth":                "a choice from a fixed list (any, only, never); sealed with the waitlist preferences",
}

// textFields walks v and calls fn with the path ("Patient.Identity.FirstName")
// and value of every field of kind string whose type is plain string:
// named string types (statuses, roles, kinds) are fixed lists of words, and
// fields named ID or ending in ID or IDs are random ids.
func textFields(path string, v reflect.Value, fn func(path, value string)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			textFields(path, v.Elem(), fn)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			return
		}
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() || f.Name == "ID" || strings.HasSuffix(f.Name, "ID") || strings.HasSuffix(f.Name, "IDs") {
				continue
			}
			textFields(path+"."+f.Name, v.Field(i), fn)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			textFields(path+"[]", v.Index(i), fn)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			textFields(path+"[]", v.MapIndex(k), fn)
		}
	case reflect.String:
		if v.Type() == reflect.TypeFor[string]() {
			fn(path, v.String())
		}
	}
}

// unmarkedFields lists the text fields of the written records that never
// held a marker, not even in one of several records of a kind.
func unmarkedFields(mk *markers, records map[string]any) []string {
	marked := map[string]bool{}
	for name, r := range records {
		textFields(name, reflect.ValueOf(r), func(path, value string) {
			has := marked[path]
			for _, m := range mk.list {
				if value != "" && strings.Contains(value, m.value) {
					has = true
				}
			}
			marked[path] = has
		})
	}
	var out []string
	for path, ok := range marked {
		if !ok {
			if _, reviewed := unmarkedReviewed[path]; !reviewed {
				out = append(out, path)
			}
		}
	}
	slices.Sort(out)
	return out
}

// The check itself: a text field that held no marker is named; ids, named
// string types and fields that held one are not.
func TestUnmarkedFieldsNamesANewField(t *testing.T) {
	mk := &markers{t: t}
	type status string
	type record struct {
		Name, Added, PatientID string
		Status                 status
		When                   time.Time
	}
	got := unmarkedFields(mk, map[string]any{"Record": []record{{Name: mk.text("record.name"), Added: "", PatientID: "p1", Status: "open"}}})
	if !slices.Equal(got, []string{"Record[].Added"}) {
		t.Fatalf("unmarked fields %q, want Record[].Added", got)
	}
}
