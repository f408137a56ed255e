package store

// group describes one field group of a replicated table: the unit that is
// written, logged in the change log and merged as a whole.
type group struct {
	plain  []string // plain columns, in order
	sealed bool     // the group is one sealed BLOB column named after the group
	// binary names the plain columns that hold bytes: the change log keeps
	// a plain group as a JSON array, where bytes become base64 text, so a
	// received change must turn them back into bytes.
	binary []string
}

// schema is the allowlist of replicated tables and their field groups. The
// mutation path refuses any table or group not listed here, and a change
// received from another machine is applied only through it.
var schema = map[string]map[string]group{
	"practice_keys": {"slot": {plain: []string{"kind", "slot"}, binary: []string{"slot"}}},
	"settings":      {"info": {sealed: true}},
	"locations":     {"info": {sealed: true}, "status": {plain: []string{"active"}}},
	"rooms":         {"info": {sealed: true}, "place": {plain: []string{"location_id", "active"}}},
	"clinicians":    {"profile": {sealed: true}, "status": {plain: []string{"active", "accepting_new"}}},
	"payers":        {"info": {sealed: true}, "status": {plain: []string{"kind", "active"}}},
	"accounts": {
		"profile": {sealed: true},
		"access":  {plain: []string{"role", "disabled", "clinician_id"}},
		"login":   {plain: []string{"login", "slot"}, binary: []string{"slot"}},
	},
	"patients": {
		"identity":  {sealed: true},
		"contact":   {sealed: true},
		"emergency": {sealed: true},
		"guardian":  {sealed: true},
		"status":    {plain: []string{"active"}},
	},
	"policies": {
		"link": {plain: []string{"patient_id", "payer_id", "rank"}},
		"info": {sealed: true},
	},
	"appointment_types": {"info": {sealed: true}, "status": {plain: []string{"active"}}},
	"working_hours": {
		"block": {plain: []string{"clinician_id", "location_id", "weekday", "start_time", "end_time"}},
	},
	"time_off": {
		"span":   {plain: []string{"clinician_id", "room_id", "kind", "start_at", "end_at"}},
		"reason": {sealed: true},
	},
	"series": {
		"plan":    {plain: []string{"patient_id", "clinician_id", "type_id", "location_id", "room_id", "telehealth", "first_at", "duration_min", "rule"}},
		"horizon": {plain: []string{"materialized_until", "ended"}},
	},
	"appointments": {
		"booking": {plain: []string{"patient_id", "type_id", "series_id", "occurrence"}},
		"slot":    {plain: []string{"clinician_id", "location_id", "room_id", "telehealth", "start_at", "end_at"}},
		"state":   {plain: []string{"status", "actual_start", "actual_end", "cancelled_by", "late_cancel", "fee_cents"}},
		"details": {sealed: true},
	},
	"waitlist": {
		"state": {plain: []string{"patient_id", "priority", "status", "added_at"}},
		"prefs": {sealed: true},
	},
	"audit_log": {
		"entry": {plain: []string{"device", "seq", "at", "account_id", "action", "tbl", "record_id", "prev_hash", "hash"}},
	},
	"audit_heads": {"head": {plain: []string{"seq", "mac"}}},
	"devices": {
		"member": {plain: []string{"name", "cert"}, binary: []string{"cert"}},
		"status": {plain: []string{"removed"}},
	},
	"conflicts": {
		"subject":    {plain: []string{"kind", "tbl", "row_ids", "detail"}},
		"resolution": {plain: []string{"state", "resolved_by", "choice", "resolved_at"}},
	},
}
