package app

import (
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Practice is the facade for practice settings and the records every area
// shares: locations, rooms, clinicians, payers.
type Practice struct{ c *Core }

// NewPractice binds the practice facade to core.
func NewPractice(c *Core) *Practice { return &Practice{c: c} }

// read runs a gated read transaction returning one value.
func read[T any](c *Core, m string, get func(tx *store.Tx) (T, error)) (T, error) {
	var out T
	if _, err := c.begin(m); err != nil {
		return out, c.fail(m, err)
	}
	err := c.view(func(tx *store.Tx) error {
		var err error
		out, err = get(tx)
		return err
	})
	return out, c.fail(m, err)
}

// save runs a gated, audited write of one record and returns it as saved.
func save[T any](c *Core, m, table string, rec *T, id func() string, put func(tx *store.Tx) error) (T, error) {
	sess, err := c.begin(m)
	if err != nil {
		return *rec, c.fail(m, err)
	}
	err = c.update(func(tx *store.Tx) error {
		if err := put(tx); err != nil {
			return err
		}
		return tx.Audit(sess.account.ID, table+".save", table, id())
	})
	return *rec, c.fail(m, err)
}

// Settings returns the practice settings.
func (p *Practice) Settings() (practice.Settings, error) {
	return read(p.c, "Practice.Settings", func(tx *store.Tx) (practice.Settings, error) { return tx.Settings() })
}

// SaveSettings stores the practice settings; a new lock time applies at once.
func (p *Practice) SaveSettings(s practice.Settings) (practice.Settings, error) {
	out, err := save(p.c, "Practice.SaveSettings", "settings", &s, func() string { return "" },
		func(tx *store.Tx) error { return tx.SaveSettings(&s) })
	if err == nil {
		p.c.mu.Lock()
		p.c.lockMinutes = s.LockMinutes
		p.c.mu.Unlock()
	}
	return out, err
}

// Locations lists the offices.
func (p *Practice) Locations() ([]practice.Location, error) {
	return read(p.c, "Practice.Locations", func(tx *store.Tx) ([]practice.Location, error) { return nonNil(tx.Locations()) })
}

// SaveLocation creates (empty id) or updates an office.
func (p *Practice) SaveLocation(l practice.Location) (practice.Location, error) {
	return save(p.c, "Practice.SaveLocation", "locations", &l, func() string { return l.ID },
		func(tx *store.Tx) error { return tx.SaveLocation(&l) })
}

// Rooms lists every room.
func (p *Practice) Rooms() ([]practice.Room, error) {
	return read(p.c, "Practice.Rooms", func(tx *store.Tx) ([]practice.Room, error) { return nonNil(tx.Rooms()) })
}

// SaveRoom creates or updates a room.
func (p *Practice) SaveRoom(r practice.Room) (practice.Room, error) {
	return save(p.c, "Practice.SaveRoom", "rooms", &r, func() string { return r.ID },
		func(tx *store.Tx) error { return tx.SaveRoom(&r) })
}

// Clinicians lists the clinicians.
func (p *Practice) Clinicians() ([]practice.Clinician, error) {
	return read(p.c, "Practice.Clinicians", func(tx *store.Tx) ([]practice.Clinician, error) { return nonNil(tx.Clinicians()) })
}

// SaveClinician creates or updates a clinician.
func (p *Practice) SaveClinician(cl practice.Clinician) (practice.Clinician, error) {
	return save(p.c, "Practice.SaveClinician", "clinicians", &cl, func() string { return cl.ID },
		func(tx *store.Tx) error { return tx.SaveClinician(&cl) })
}

// Payers lists insurers and EAPs.
func (p *Practice) Payers() ([]practice.Payer, error) {
	return read(p.c, "Practice.Payers", func(tx *store.Tx) ([]practice.Payer, error) { return nonNil(tx.Payers()) })
}

// SavePayer creates or updates a payer.
func (p *Practice) SavePayer(y practice.Payer) (practice.Payer, error) {
	return save(p.c, "Practice.SavePayer", "payers", &y, func() string { return y.ID },
		func(tx *store.Tx) error { return tx.SavePayer(&y) })
}

// nonNil makes an empty list [] rather than null for the frontend.
func nonNil[T any](list []T, err error) ([]T, error) {
	if list == nil {
		list = []T{}
	}
	return list, err
}
