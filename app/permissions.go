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

// public methods run without a login (they are how one logs in).
var public = []string{
	"Session.Status", "Session.CheckPassword", "Session.CreatePractice", "Session.OpenDemo",
	"Session.Login", "Session.Logout", "Session.Lock", "Session.Unlock", "Session.Recover",
}

// permissions is the single table of which role may call which bound
// method. Every bound method must appear here or in public; a test walks
// every facade by reflection and checks each method for each role.
var permissions = map[string][]practice.Role{
	"Session.ChangePassword":  everyone,
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

	"Staff.Accounts":      {owner},
	"Staff.Create":        {owner},
	"Staff.Update":        {owner},
	"Staff.ResetPassword": {owner},

	"Audit.Query":  {owner},
	"Audit.Export": {owner},
	"Audit.Verify": {owner},
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
