package store

import (
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"quietdesk/internal/practice"
)

// settingsID is the one settings row of a practice.
const settingsID = "practice"

// Settings returns the practice settings (defaults before the first save).
func (tx *Tx) Settings() (practice.Settings, error) {
	s := practice.Settings{LockMinutes: 10, Policy: practice.DefaultCalendarPolicy}
	var blob []byte
	err := tx.sql.QueryRow("SELECT info FROM settings WHERE id = ? AND deleted = 0", settingsID).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("store: settings: %w", err)
	}
	return s, tx.open("settings", "info", settingsID, blob, &s)
}

// SaveSettings validates and stores the practice settings. Errors: EInvalid.
func (tx *Tx) SaveSettings(s *practice.Settings) error {
	s.Normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	if s.DefaultTypeID != "" {
		t, err := tx.AppointmentType(s.DefaultTypeID)
		if err != nil && practice.ErrorCode(err) != practice.ENotFound {
			return err
		}
		if err != nil || !t.Active {
			return practice.FieldProblem("defaultTypeId", "Choose an active appointment type as the default.")
		}
	}
	old, err := tx.Settings()
	if err != nil {
		return err
	}
	return tx.save("settings", settingsID, []write{{grp: "info", sealed: *s}}, []write{{grp: "info", sealed: old}})
}

// rowsOf runs a query whose first column is the row id and calls scan for
// each row; it is the shared loop of every list reader.
func (tx *Tx) rowsOf(query string, args []any, scan func(rows *sql.Rows) error) error {
	rows, err := tx.sql.Query(query, args...)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func sortBy[T any](list []T, key func(T) string) {
	sort.SliceStable(list, func(i, j int) bool { return strings.ToLower(key(list[i])) < strings.ToLower(key(list[j])) })
}

// errNotFound is returned for an id that names no live record.
var errNotFound = practice.Errorf(practice.ENotFound, "That record does not exist (it may have been removed on another machine).")

// one returns the single element of list or ENotFound.
func one[T any](list []T, err error) (T, error) {
	var zero T
	if err != nil {
		return zero, err
	}
	if len(list) == 0 {
		return zero, errNotFound
	}
	return list[0], nil
}

// --- locations

type locationInfo struct {
	Name    string           `json:"name"`
	Phone   string           `json:"phone"`
	Address practice.Address `json:"address"`
}

func locationWrites(l *practice.Location) []write {
	return []write{
		{grp: "info", sealed: locationInfo{Name: l.Name, Phone: l.Phone, Address: l.Address}},
		{grp: "status", plain: []any{boolInt(l.Active)}},
	}
}

// Locations lists the practice's offices by name.
func (tx *Tx) Locations() ([]practice.Location, error) { return tx.locations("") }

func (tx *Tx) locations(where string, args ...any) ([]practice.Location, error) {
	var out []practice.Location
	err := tx.rowsOf("SELECT id, active, info FROM locations WHERE deleted = 0 "+where, args, func(rows *sql.Rows) error {
		var l practice.Location
		var blob []byte
		if err := rows.Scan(&l.ID, &l.Active, &blob); err != nil {
			return err
		}
		var info locationInfo
		if err := tx.open("locations", "info", l.ID, blob, &info); err != nil {
			return err
		}
		l.Name, l.Phone, l.Address = info.Name, info.Phone, info.Address
		out = append(out, l)
		return nil
	})
	sortBy(out, func(l practice.Location) string { return l.Name })
	return out, err
}

// SaveLocation creates (empty ID) or updates a location. Errors: EInvalid, ENotFound.
func (tx *Tx) SaveLocation(l *practice.Location) error {
	l.Normalize()
	if err := l.Validate(); err != nil {
		return err
	}
	return upsert(tx, "locations", &l.ID, l, locationWrites, func() (practice.Location, error) { return one(tx.locations("AND id = ?", l.ID)) })
}

// --- rooms

type roomInfo struct {
	Name string `json:"name"`
}

func roomWrites(r *practice.Room) []write {
	return []write{
		{grp: "info", sealed: roomInfo{Name: r.Name}},
		{grp: "place", plain: []any{r.LocationID, boolInt(r.Active)}},
	}
}

// Rooms lists every room, by name.
func (tx *Tx) Rooms() ([]practice.Room, error) { return tx.rooms("") }

func (tx *Tx) rooms(where string, args ...any) ([]practice.Room, error) {
	var out []practice.Room
	err := tx.rowsOf("SELECT id, location_id, active, info FROM rooms WHERE deleted = 0 "+where, args, func(rows *sql.Rows) error {
		var r practice.Room
		var blob []byte
		if err := rows.Scan(&r.ID, &r.LocationID, &r.Active, &blob); err != nil {
			return err
		}
		var info roomInfo
		if err := tx.open("rooms", "info", r.ID, blob, &info); err != nil {
			return err
		}
		r.Name = info.Name
		out = append(out, r)
		return nil
	})
	sortBy(out, func(r practice.Room) string { return r.Name })
	return out, err
}

// SaveRoom creates or updates a room. Errors: EInvalid, ENotFound.
func (tx *Tx) SaveRoom(r *practice.Room) error {
	r.Normalize()
	if err := r.Validate(); err != nil {
		return err
	}
	if _, err := one(tx.locations("AND id = ?", r.LocationID)); err != nil {
		return practice.FieldProblem("locationId", "Choose an existing location.")
	}
	return upsert(tx, "rooms", &r.ID, r, roomWrites, func() (practice.Room, error) { return one(tx.rooms("AND id = ?", r.ID)) })
}

// --- clinicians

// clinicianProfile is the sealed part of a clinician: everything but the
// flags that scheduling queries filter on.
type clinicianProfile struct {
	FirstName   string   `json:"firstName"`
	LastName    string   `json:"lastName"`
	Credentials string   `json:"credentials"`
	NPI         string   `json:"npi"`
	Taxonomy    string   `json:"taxonomy"`
	Specialties []string `json:"specialties"`
	Languages   []string `json:"languages"`
	Email       string   `json:"email"`
	Phone       string   `json:"phone"`
	Prescriber  bool     `json:"prescriber"`
	VideoLink   string   `json:"videoLink"`
}

func clinicianWrites(c *practice.Clinician) []write {
	return []write{
		{grp: "profile", sealed: clinicianProfile{c.FirstName, c.LastName, c.Credentials, c.NPI, c.Taxonomy,
			c.Specialties, c.Languages, c.Email, c.Phone, c.Prescriber, c.VideoLink}},
		{grp: "status", plain: []any{boolInt(c.Active), boolInt(c.AcceptingNew)}},
	}
}

// Clinicians lists every clinician by last name.
func (tx *Tx) Clinicians() ([]practice.Clinician, error) { return tx.clinicians("") }

// Clinician returns one clinician. Errors: ENotFound.
func (tx *Tx) Clinician(id string) (practice.Clinician, error) {
	return one(tx.clinicians("AND id = ?", id))
}

func (tx *Tx) clinicians(where string, args ...any) ([]practice.Clinician, error) {
	var out []practice.Clinician
	err := tx.rowsOf("SELECT id, active, accepting_new, profile FROM clinicians WHERE deleted = 0 "+where, args, func(rows *sql.Rows) error {
		var c practice.Clinician
		var blob []byte
		if err := rows.Scan(&c.ID, &c.Active, &c.AcceptingNew, &blob); err != nil {
			return err
		}
		var p clinicianProfile
		if err := tx.open("clinicians", "profile", c.ID, blob, &p); err != nil {
			return err
		}
		c.FirstName, c.LastName, c.Credentials, c.NPI, c.Taxonomy = p.FirstName, p.LastName, p.Credentials, p.NPI, p.Taxonomy
		c.Specialties, c.Languages, c.Email, c.Phone, c.Prescriber = p.Specialties, p.Languages, p.Email, p.Phone, p.Prescriber
		c.VideoLink = p.VideoLink
		out = append(out, c)
		return nil
	})
	sortBy(out, func(c practice.Clinician) string { return c.LastName + " " + c.FirstName })
	return out, err
}

// SaveClinician creates or updates a clinician. Errors: EInvalid, ENotFound.
func (tx *Tx) SaveClinician(c *practice.Clinician) error {
	c.Normalize()
	if err := c.Validate(); err != nil {
		return err
	}
	return upsert(tx, "clinicians", &c.ID, c, clinicianWrites, func() (practice.Clinician, error) { return tx.Clinician(c.ID) })
}

// --- payers

type payerInfo struct {
	Name    string `json:"name"`
	PayerID string `json:"payerId"`
}

func payerWrites(y *practice.Payer) []write {
	return []write{
		{grp: "info", sealed: payerInfo{Name: y.Name, PayerID: y.PayerID}},
		{grp: "status", plain: []any{string(y.Kind), boolInt(y.Active)}},
	}
}

// Payers lists every payer by name.
func (tx *Tx) Payers() ([]practice.Payer, error) { return tx.payers("") }

func (tx *Tx) payers(where string, args ...any) ([]practice.Payer, error) {
	var out []practice.Payer
	err := tx.rowsOf("SELECT id, kind, active, info FROM payers WHERE deleted = 0 "+where, args, func(rows *sql.Rows) error {
		var y practice.Payer
		var blob []byte
		if err := rows.Scan(&y.ID, &y.Kind, &y.Active, &blob); err != nil {
			return err
		}
		var info payerInfo
		if err := tx.open("payers", "info", y.ID, blob, &info); err != nil {
			return err
		}
		y.Name, y.PayerID = info.Name, info.PayerID
		out = append(out, y)
		return nil
	})
	sortBy(out, func(y practice.Payer) string { return y.Name })
	return out, err
}

// SavePayer creates or updates a payer. Errors: EInvalid, ENotFound.
func (tx *Tx) SavePayer(y *practice.Payer) error {
	y.Normalize()
	if err := y.Validate(); err != nil {
		return err
	}
	return upsert(tx, "payers", &y.ID, y, payerWrites, func() (practice.Payer, error) { return one(tx.payers("AND id = ?", y.ID)) })
}
