package app

import (
	"slices"

	"quietdesk/internal/practice"
)

// Short names for the permission table.
const (
	owner     = practice.RoleOwner
	frontDesk = practice.RoleFrontDesk
	clinician = practice.RoleClinician
	biller    = practice.RoleBiller
)

var everyone = []practice.Role{owner, frontDesk, clinician, biller}

// permissions is the single table of which role may call which bound
// method. The only methods not listed are the ones that run without a
// login because they are how one logs in (Session.Status, CheckPassword,
// CreatePractice, OpenDemo, Discovered, Join, Login, Logout, Lock, Unlock,
// Recover, RestoreDamaged (only over a database that cannot be read),
// and Active, which checks the lock itself); the role-matrix test (permissions_test.go) names them and walks every facade
// by reflection, checking each method for each role.
var permissions = map[string][]practice.Role{
	"Session.ChangePassword":  everyone,
	"Session.MyMail":          everyone, // each their own address and choices
	"Session.SaveMyMail":      everyone,
	"Session.SaveRecoveryKit": {owner},
	"Session.NewRecoveryKey":  {owner},

	"Patients.Search":       {owner, frontDesk, clinician, biller},
	"Patients.Get":          {owner, frontDesk, clinician, biller},
	"Patients.Create":       {owner, frontDesk},
	"Patients.Update":       {owner, frontDesk},
	"Patients.SavePolicy":   {owner, frontDesk, biller},
	"Patients.DeletePolicy": {owner, frontDesk, biller},

	"Practice.Settings":      everyone,
	"Practice.SaveSettings":  {owner},
	"Practice.Locations":     everyone,
	"Practice.SaveLocation":  {owner},
	"Practice.Rooms":         everyone,
	"Practice.SaveRoom":      {owner},
	"Practice.Clinicians":    everyone,
	"Practice.SaveClinician": {owner},
	"Practice.Payers":        everyone,
	"Practice.SavePayer":     {owner, biller},

	"Calendar.Setup":               everyone,
	"Calendar.Range":               everyone, // clinicians: their own schedule only (ownCaseloadOnly)
	"Calendar.Appointment":         everyone,
	"Calendar.CheckBooking":        {owner, frontDesk},
	"Calendar.PatientAppointments": everyone,
	"Calendar.Book":                {owner, frontDesk},
	"Calendar.CheckMove":           {owner, frontDesk},
	"Calendar.Move":                {owner, frontDesk},
	"Calendar.SetStatus":           {owner, frontDesk},
	"Calendar.RemoveBooking":       {owner, frontDesk},
	"Calendar.FirstAvailable":      {owner, frontDesk},
	"Calendar.MatchClinicians":     {owner, frontDesk},
	"Calendar.SaveType":            {owner},
	"Calendar.SetHours":            {owner, frontDesk},
	"Calendar.TimeOff":             {owner, frontDesk}, // whoever schedules around it; a reason may be personal
	"Calendar.SaveTimeOff":         {owner, frontDesk},
	"Calendar.CheckTimeOff":        {owner, frontDesk},
	"Calendar.DeleteTimeOff":       {owner, frontDesk},
	"Calendar.Waitlist":            {owner, frontDesk},
	"Calendar.SaveWaitlist":        {owner, frontDesk},
	"Calendar.ExportFeed":          {owner, frontDesk, clinician},
	"Calendar.PrintDay":            {owner, frontDesk, clinician},

	"Staff.Accounts":      {owner},
	"Staff.Create":        {owner},
	"Staff.Update":        {owner},
	"Staff.ResetPassword": {owner},

	"Devices.Status":          everyone,
	"Devices.Conflicts":       everyone,
	"Devices.ResolveConflict": {owner, frontDesk},
	"Devices.OpenPairing":     {owner},
	"Devices.ClosePairing":    {owner},
	"Devices.ConnectAddress":  {owner},
	"Devices.Remove":          {owner},
	"Devices.UnlockHub":       {owner},

	"Backups.Backup":       {owner},
	"Backups.Restore":      {owner},
	"Backups.Nightly":      {owner},
	"Backups.ChooseFolder": {owner},
	"Backups.BackUpNow":    {owner},

	"Audit.Query":  {owner},
	"Audit.Export": {owner},

	// Clinicians: their own patients' authorizations only (ownCaseloadOnly).
	"Authorizations.List":            everyone,
	"Authorizations.Overview":        everyone,
	"Authorizations.Save":            {owner, frontDesk, biller},
	"Authorizations.Renew":           {owner, frontDesk, biller},
	"Authorizations.Choose":          {owner, frontDesk, biller},
	"Authorizations.ForBooking":      {owner, frontDesk},
	"Authorizations.PayerRules":      everyone,
	"Authorizations.SavePayerRules":  {owner, biller},
	"Authorizations.ExportReport":    {owner, biller},
	"Authorizations.AttachLetter":    {owner, frontDesk, biller},
	"Authorizations.Letters":         everyone, // clinicians: their own patients' only
	"Authorizations.SaveLetter":      everyone, // clinicians: their own patients' only
	"Credentialing.Overview":         everyone, // clinicians: their own credentials and deadlines only
	"Credentialing.History":          everyone, // clinicians: their own enrollments only
	"Credentialing.SaveCredential":   {owner},
	"Credentialing.DeleteCredential": {owner},
	"Credentialing.RecordEnrollment": {owner},
	"Credentialing.SaveSettings":     {owner},
	"Credentialing.AttachScan":       {owner},
	"Credentialing.Scans":            {owner, clinician}, // clinicians: their own only
	"Credentialing.SaveScan":         {owner, clinician}, // clinicians: their own only

	// Intake: the front desk sees completion and hands a patient the
	// computer; answers and scores are for the clinician and the owner.
	"Intake.Forms":         {owner, frontDesk, clinician},
	"Intake.FormEditions":  {owner},
	"Intake.EditForm":      {owner},
	"Intake.Submit":        {owner, frontDesk, clinician},
	"Intake.List":          {owner, frontDesk, clinician},
	"Intake.Submission":    {owner, clinician},
	"Intake.Acknowledge":   {owner, clinician},
	"Intake.Trend":         {owner, clinician},
	"Intake.Changes":       {owner, frontDesk},
	"Intake.Decide":        {owner, frontDesk},
	"Intake.ExportPDF":     {owner, clinician},
	"Intake.SendToTablet":  {owner, frontDesk},
	"Intake.HandToPatient": {owner, frontDesk, clinician},
	"Intake.BlankPacket":   {owner, frontDesk, clinician},
	// Check-in codes are the front desk's to read out, replace, and to
	// open on this computer for a patient to type theirs.
	"Intake.CheckinCodes":   {owner, frontDesk},
	"Intake.NewCheckinCode": {owner, frontDesk},
	"Intake.CheckIn":        {owner, frontDesk},

	// Billing: billers and the owner bill; the front desk takes copays and
	// sees balances, never diagnoses; clinicians enter their own patients'
	// diagnoses (ownCaseloadOnly).
	"Billing.Setup":            {owner, biller},
	"Billing.SaveSettings":     {owner, biller},
	"Billing.SavePayer":        {owner, biller},
	"Billing.CommonDiagnoses":  {owner, clinician, biller},
	"Billing.Diagnoses":        {owner, clinician, biller},
	"Billing.SaveDiagnoses":    {owner, clinician, biller},
	"Billing.Unbilled":         {owner, biller},
	"Billing.CreateBatch":      {owner, biller},
	"Billing.Claims":           {owner, biller},
	"Billing.Claim":            {owner, biller},
	"Billing.EditClaim":        {owner, biller},
	"Billing.RefreshDiagnoses": {owner, biller},
	"Billing.Scrub":            {owner, biller},
	"Billing.SetStatus":        {owner, biller},
	"Billing.Correct":          {owner, biller},
	"Billing.Post":             {owner, biller},
	"Billing.TakeCopay":        {owner, frontDesk, biller},
	"Billing.Account":          {owner, frontDesk, biller},
	"Billing.PostFees":         {owner, frontDesk, biller},
	"Billing.Dashboard":        {owner, biller},
	"Billing.Export837":        {owner, biller},
	"Billing.ExportCSV":        {owner, biller},
	"Billing.Document":         {owner, biller},

	"Alerts.Mine":  everyone, // each sees only the alerts addressed to them (alerts.Who)
	"Audit.Verify": {owner},

	"Mail.Status":        everyone, // no names: whether the sender runs and how much waits
	"Mail.Settings":      {owner},
	"Mail.SaveRelay":     {owner},
	"Mail.TestRelay":     {owner},
	"Mail.SaveReminders": {owner},
	"Mail.Preview":       {owner},
	"Mail.SetSender":     {owner},
	"Mail.Outbox":        {owner, frontDesk}, // recipients and times, never the text
	"Mail.Decide":        {owner, frontDesk},
}

// ownCaseloadOnly says which roles act on their own caseload only: a
// clinician sees and exports their own schedule. The areas' services
// enforce it through practice.Actor.OwnCaseload.
func ownCaseloadOnly(role practice.Role) bool { return role == clinician }

// actor is who a service acts for in this session.
func (s session) actor() practice.Actor {
	a := s.account
	return practice.Actor{AccountID: a.ID, ClinicianID: a.ClinicianID, OwnCaseload: ownCaseloadOnly(a.Role)}
}

// allowed reports whether role may call method. With role "" it reports
// whether method is in the table at all.
func allowed(method string, role practice.Role) bool {
	roles, ok := permissions[method]
	if !ok {
		return false
	}
	return role == "" || slices.Contains(roles, role)
}

// permittedMethods lists what role may call, for the frontend to hide what
// it cannot use.
func permittedMethods(role practice.Role) []string {
	var out []string
	for m, roles := range permissions {
		if slices.Contains(roles, role) {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return out
}
