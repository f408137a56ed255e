package app

import (
	"quietdesk/internal/alerts"
	"quietdesk/internal/store"
)

// Alerts is the facade for what needs the logged-in person's action,
// gathered from every area.
type Alerts struct{ c *Core }

// NewAlerts binds the alerts facade to core.
func NewAlerts(c *Core) *Alerts { return &Alerts{c: c} }

// Mine returns the alerts addressed to the logged-in person (their role,
// their account, or the clinician they are), most severe first. Showing
// them is audited, since their titles name patients.
func (a *Alerts) Mine() ([]alerts.Alert, error) {
	const m = "Alerts.Mine"
	sess, err := a.c.begin(m)
	if err != nil {
		return nil, a.c.fail(m, err)
	}
	acct := sess.account
	who := alerts.Who{Role: acct.Role, AccountID: acct.ID, ClinicianID: acct.ClinicianID}
	var out []alerts.Alert
	err = a.c.update(func(tx *store.Tx) (err error) {
		out, err = a.c.alerts.Show(a.c.ctx(), tx, a.c.now(), who)
		return err
	})
	if err != nil {
		return nil, a.c.fail(m, err)
	}
	if out == nil {
		out = []alerts.Alert{} // the window gets [] rather than null
	}
	return out, nil
}
