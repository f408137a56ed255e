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
	policy Policy   // how machines' changes of the group merge (policy.go)
	order  []string // ForwardOnly: the states of the first plain column, first to last
	// unique names a plain column no two live rows may share. When a merge
	// brings a clash, the row with the smallest id keeps the value, the
	// others lose it (NULL), and a "duplicate-<column>" conflict names
	// the pair, on every machine alike whatever the arrival order.
	unique string
}

// schema is the allowlist of replicated tables and their field groups. The
// mutation path refuses any table or group not listed here, and a change
// received from another machine is applied only through it. A group
// without a policy merges last-writer-wins; appointments are CreateOnce
// because a series' occurrences are made under name-based ids.
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
		"login":   {plain: []string{"login", "slot"}, binary: []string{"slot"}, unique: "login"},
		"mail":    {sealed: true},
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
		"horizon": {plain: []string{"materialized_until", "ended"}, policy: Bookkeeping},
	},
	"appointments": {
		"booking": {plain: []string{"patient_id", "type_id", "series_id", "occurrence"}, policy: CreateOnce},
		"slot":    {plain: []string{"clinician_id", "location_id", "room_id", "telehealth", "start_at", "end_at"}, policy: CreateOnce},
		"state":   {plain: []string{"status", "actual_start", "actual_end", "cancelled_by", "late_cancel", "fee_cents"}, policy: CreateOnce},
		"details": {sealed: true, policy: CreateOnce},
	},
	"waitlist": {
		"state": {plain: []string{"patient_id", "priority", "status", "added_at"}},
		"prefs": {sealed: true},
	},
	// Authorizations (0006): usage is derived from appointments, never
	// stored, so nothing here counts sessions.
	"authorizations": {
		"link": {plain: []string{"patient_id", "payer_id", "renews_id"}},
		"terms": {plain: []string{"kind", "status", "unit", "requested", "authorized", "start_on", "end_on", "requested_on",
			"codes", "warn_remaining", "warn_days", "count_missed"}},
		"numbers": {sealed: true},
		"contact": {sealed: true},
		"notes":   {sealed: true},
	},
	"payer_auth_rules":      {"rules": {plain: []string{"requires_auth", "enforcement", "count_missed", "count_upcoming"}}},
	"authorization_choices": {"choice": {plain: []string{"authorization_id"}}},
	"audit_log": {
		"entry": {plain: []string{"device", "seq", "at", "account_id", "action", "tbl", "record_id", "prev_hash", "hash"}, policy: AppendOnly},
	},
	"audit_heads": {"head": {plain: []string{"seq", "mac"}}},
	"devices": {
		"member": {plain: []string{"name", "cert"}, binary: []string{"cert"}, policy: Bookkeeping},
		"status": {plain: []string{"removed"}, policy: Bookkeeping},
		// When the machine was last seen (migration 18): written when it is
		// paired, then by the machine itself while it syncs, so the latest
		// write is the latest sighting.
		"seen": {plain: []string{"seen_at"}, policy: Bookkeeping},
	},
	// A document's content is written once (documents.go); its name may change.
	"documents": {
		"file": {plain: []string{"owner_tbl", "owner_id", "content_type", "size", "chunks"}, policy: AppendOnly},
		"info": {sealed: true},
	},
	"document_chunks": {"data": {sealed: true, policy: AppendOnly}},
	// Automation (internal/notify). An outbox row is created under a
	// name-based id by whichever machine queues it first; creations on
	// other machines are the same message, and the sender's state edits
	// win over any of them, so a late copy can never make a sent message
	// queued again.
	"mail_settings": {"relay": {sealed: true}, "reminders": {sealed: true}, "sender": {plain: []string{"sender"}}},
	"mail_agents":   {"beat": {plain: []string{"name", "hub", "unlocked", "seen_at"}, policy: Bookkeeping}},
	// Nightly backups (internal/backups): plain, since the machine that
	// backs up may hold no key. The result is written by that machine
	// alone, so it is bookkeeping; the folder is a person's choice.
	"backup_settings": {
		"target": {plain: []string{"folder", "device"}},
		"last":   {plain: []string{"last_at", "last_ok", "last_message", "last_file", "last_good_at"}, policy: Bookkeeping},
	},
	"outbox": {
		"message": {plain: []string{"purpose", "subject_id", "due_at"}, policy: CreateOnce},
		"content": {sealed: true, policy: CreateOnce},
		"state":   {plain: []string{"state", "send_after", "attempts", "error", "device", "changed_at"}, policy: CreateOnce},
	},
	// Credentialing (migration 7). An enrollment's id is name-based
	// (EnrollmentID), so two machines starting it offline make one row;
	// its history is append-only, so every machine's notes are kept.
	"credentials": {
		"item": {plain: []string{"clinician_id", "kind", "state", "issued_on", "expires_on"}},
		"info": {sealed: true},
	},
	"enrollments": {
		"link":  {plain: []string{"clinician_id", "payer_id"}, policy: CreateOnce},
		"state": {plain: []string{"status", "effective_on", "follow_up_on", "assignee_id"}, policy: CreateOnce},
		"ids":   {sealed: true, policy: CreateOnce},
	},
	"enrollment_events": {
		"entry": {plain: []string{"enrollment_id", "at", "account_id", "status"}, policy: AppendOnly},
		"note":  {sealed: true, policy: AppendOnly},
	},
	"credentialing_settings": {"info": {sealed: true}},
	// An intake submission's content is written once where it arrives;
	// staff review is added to it, and its status only moves forward.
	"intake_submissions": {
		"link":    {plain: []string{"patient_id", "appointment_id", "packet_id", "submitted_at"}, policy: AppendOnly},
		"answers": {sealed: true, policy: AppendOnly},
		"scores":  {sealed: true, policy: AppendOnly},
		"review":  {sealed: true},
		"status":  {plain: []string{"status"}, policy: ForwardOnly, order: []string{"needs-review", "reviewed"}},
	},
	// The owner's versions of the intake forms (migration 19): written
	// once, so every version a submission names stays readable.
	"intake_forms": {
		"version": {plain: []string{"form_id", "version", "edited_at", "account_id"}, policy: AppendOnly},
		"content": {sealed: true, policy: AppendOnly},
	},
	// Check-in tablets: known by certificate, never members (sync refuses
	// them replication); the intake key pair; what tablets delivered,
	// sealed to that key, until a machine with the practice key files it.
	"tablets": {
		"member": {plain: []string{"name", "cert"}, binary: []string{"cert"}, policy: Bookkeeping},
		"status": {plain: []string{"removed"}, policy: Bookkeeping},
	},
	"intake_keys": {
		"public":  {plain: []string{"public_key"}, binary: []string{"public_key"}, policy: AppendOnly},
		"private": {sealed: true, policy: AppendOnly},
	},
	// Check-in codes (migration 16): derived, never stored; what the
	// machines must agree on (new codes issued, wrong tries) adds up.
	"checkin_events": {
		"event": {plain: []string{"appointment_id", "kind", "generation", "at", "source"}, policy: AppendOnly},
	},
	"intake_inbox": {
		"envelope": {plain: []string{"tablet_id", "key_id", "received_at", "envelope"}, binary: []string{"envelope"}, policy: AppendOnly},
		"state":    {plain: []string{"state"}, policy: ForwardOnly, order: []string{"waiting", "filed", "refused"}},
	},
	// Billing (migration 12). Balances are derived from the ledger, never
	// stored; ledger entries and what an exported claim said are
	// append-only; a claim's status only moves forward.
	"billing_settings": {"info": {sealed: true}},
	"payer_billing":    {"rules": {plain: []string{"filing_indicator", "timely_days", "rules"}}},
	"diagnoses":        {"list": {sealed: true}},
	"claims": {
		"claim":   {plain: []string{"number", "patient_id", "payer_id", "clinician_id", "frequency", "replaces_id", "created_at", "appointment_ids"}, policy: AppendOnly},
		"content": {sealed: true},
		"status": {plain: []string{"status"}, policy: ForwardOnly,
			order: []string{"draft", "ready", "exported", "rejected", "accepted", "denied", "partially_paid", "paid", "appealed"}},
	},
	"claim_submissions": {
		"entry":   {plain: []string{"claim_id", "at", "account_id", "control", "charge_cents", "service_from", "service_to"}, policy: AppendOnly},
		"content": {sealed: true, policy: AppendOnly},
	},
	"ledger": {
		"entry": {plain: []string{"kind", "party", "claim_id", "line", "patient_id", "payer_id", "appointment_id", "amount_cents", "expected_cents",
			"on_date", "posted_at", "account_id", "method", "group_code", "reason_code", "remarks"}, policy: AppendOnly},
		"note": {sealed: true, policy: AppendOnly},
	},
	"conflicts": {
		"subject":    {plain: []string{"kind", "tbl", "row_ids", "detail"}, policy: CreateOnce},
		"resolution": {plain: []string{"state", "resolved_by", "choice", "resolved_at"}, policy: Bookkeeping},
	},
}
