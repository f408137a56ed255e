package app

// Facades returns every facade the window binds, built on core. main.go
// hands this list to Wails, and the permission test walks the same list,
// so a facade added here without rows in the permission table fails it.
func Facades(c *Core) []any {
	// One facade per line: areas added side by side do not collide here.
	return []any{
		NewSession(c),
		NewPatients(c),
		NewPractice(c),
		NewStaff(c),
		NewAudit(c),
		NewCalendar(c),
		NewDevices(c),
		NewAlerts(c),
		NewIntake(c),
		NewCredentialing(c),
		NewBackups(c),
		NewAuthorizations(c),
		NewMail(c),
		NewBilling(c),
	}
}
