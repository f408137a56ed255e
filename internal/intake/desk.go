package intake

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	gosync "sync"
	"time"

	"github.com/google/uuid"

	"quietdesk/internal/calendar"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/vault"
)

// Visit is what a tablet is given for one patient's session: the packet's
// forms, the patient's first name to greet them, and who signs. Nothing
// else of the patient, and nothing of anyone else; the tablet keeps it in
// memory only and forgets it when the session ends.
type Visit struct {
	SubmissionID  string            `json:"submissionId"` // the id the tablet submits under
	PatientID     string            `json:"patientId"`
	AppointmentID string            `json:"appointmentId"`
	PacketID      string            `json:"packetId"`
	FirstName     string            `json:"firstName"`
	Signers       []SignerName      `json:"signers"`
	Forms         []practice.Form   `json:"forms"`
	Hashes        map[string]Hashes `json:"hashes"` // form id → language → text hash
}

// Hashes are one form's text hashes by language.
type Hashes map[practice.Language]string

// SignerName is one signer of a visit's consents, named when the record
// knows them (a guardian on file).
type SignerName struct {
	practice.Signer
	Name string `json:"name"`
}

// PrepareVisit gets a patient's packet ready for a tablet or for handing
// this computer to the patient. The packet is the one given, or for an
// empty packetID the new-patient packet by date of birth (minor under 18).
// Errors: ENotFound, EInvalid, EForbidden.
func PrepareVisit(tx Store, by practice.Actor, patientID, appointmentID, packetID string) (Visit, error) {
	pt, err := tx.Patient(patientID)
	if err != nil {
		return Visit{}, err
	}
	if err := mayOpen(tx, by, patientID); err != nil {
		return Visit{}, err
	}
	v, err := visitFor(tx, pt, appointmentID, packetID)
	if err != nil {
		return Visit{}, err
	}
	return v, tx.Audit(by.AccountID, "intake.prepare", "patients", patientID)
}

// visitFor gets patient pt's packet ready: the one given, or for an empty
// packetID the new-patient packet by date of birth. Errors: EInvalid.
func visitFor(tx Store, pt practice.Patient, appointmentID, packetID string) (Visit, error) {
	if appointmentID != "" {
		if a, err := tx.AppointmentSlot(appointmentID); err != nil || a.PatientID != pt.ID {
			return Visit{}, practice.FieldProblem("appointmentId", "This appointment is not the patient's.")
		}
	}
	if packetID == "" {
		packetID = "new-adult"
		if minor(pt.Identity.DOB, tx) {
			packetID = "new-minor"
		}
	}
	packet, err := Packet(packetID)
	if err != nil {
		return Visit{}, err
	}
	all, err := CurrentForms(tx)
	if err != nil {
		return Visit{}, err
	}
	v := Visit{SubmissionID: uuid.NewString(), PatientID: pt.ID, AppointmentID: appointmentID, PacketID: packetID,
		FirstName: pt.Identity.FirstName, Hashes: map[string]Hashes{}}
	for _, f := range all {
		if slices.Contains(packet.FormIDs, f.ID) {
			v.Forms = append(v.Forms, f)
			v.Hashes[f.ID] = Hashes{}
			for _, lang := range practice.Languages {
				v.Hashes[f.ID][lang] = TextHash(f, lang)
			}
		}
	}
	for _, s := range packet.Signers {
		n := SignerName{Signer: s}
		switch s.Role {
		case practice.SignerPatient:
			n.Name = pt.Identity.FirstName + " " + pt.Identity.LastName
		case practice.SignerGuardian:
			n.Name = pt.Guardian.Name
		}
		v.Signers = append(v.Signers, n)
	}
	return v, nil
}

// minor reports whether a date of birth is less than 18 years before today.
func minor(dob string, tx Store) bool {
	return dob != "" && dob > tx.Now().AddDate(-18, 0, 0).Format("2006-01-02")
}

// Desk serves check-in tablets on an office machine (sync.TabletDesk):
// the intake key for pairing, the inbox for deliveries, and the visits
// staff sent to a tablet. It files deliveries as submissions whenever the
// practice key is loaded here.
type Desk struct {
	db  *store.DB
	log *slog.Logger
	cal *calendar.Service // checks an arrival's appointment in (CheckInOnIntake)

	mu     gosync.Mutex
	queued []queuedVisit
	tries  map[string][]time.Time // each tablet's check-in and exit tries in the last minute
	wrong  map[string]int         // each tablet's wrong staff logins since its last right one
}

type queuedVisit struct {
	tabletID string // "" for whichever tablet asks first
	visit    []byte
}

// NewDesk returns the desk of db; cal checks in the appointment a
// delivered packet was for, when the practice wants that (nil: never).
func NewDesk(db *store.DB, log *slog.Logger, cal *calendar.Service) *Desk {
	return &Desk{db: db, log: log, cal: cal}
}

// IntakeKey returns the newest intake public key, making the pair when the
// practice has none. Making it needs the practice key; giving it does not.
func (d *Desk) IntakeKey(ctx context.Context) (id string, public []byte, err error) {
	err = d.db.UpdateWithoutKey(ctx, func(tx *store.Tx) error {
		var found bool
		if id, public, found, err = tx.IntakePublicKey(); err != nil || found {
			return err
		}
		var private []byte
		if public, private, err = vault.NewIntakeKey(); err != nil {
			return err
		}
		defer clear(private)
		id, err = tx.AddIntakeKey(public, private)
		return err
	})
	return id, public, err
}

// Deliver keeps a tablet's sealed submission in the inbox (no key needed;
// a redelivery changes nothing), then files it at once if the key is here.
func (d *Desk) Deliver(ctx context.Context, e store.Envelope) error {
	if _, err := uuid.Parse(e.ID); err != nil || len(e.Sealed) == 0 {
		return practice.Errorf(practice.EInvalid, "The delivery is not a submission.")
	}
	err := d.db.UpdateWithoutKey(ctx, func(tx *store.Tx) error {
		_, err := tx.AddToInbox(e)
		return err
	})
	if err != nil {
		return err
	}
	if d.db.Unlocked() {
		if err := FileInbox(ctx, d.db, d.log, d.cal); err != nil {
			d.log.Error("filing tablet deliveries", "err", err)
		}
	}
	return nil
}

// Send queues a visit for a tablet ("" for the first that asks).
func (d *Desk) Send(tabletID string, v Visit) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.queued = append(d.queued, queuedVisit{tabletID: tabletID, visit: b})
	return nil
}

// Work hands the tablet the oldest visit queued for it, once.
func (d *Desk) Work(_ context.Context, tabletID string) ([]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i, q := range d.queued {
		if q.tabletID == "" || q.tabletID == tabletID {
			d.queued = slices.Delete(d.queued, i, i+1)
			return q.visit, nil
		}
	}
	return nil, nil
}

// FileInbox opens every waiting delivery with the intake private key and
// files it as a submission, each in its own transaction: one that cannot
// be opened or does not check out is marked refused (and logged without
// its content) and does not hold up the others. Needs the practice key.
func FileInbox(ctx context.Context, db *store.DB, log *slog.Logger, cal *calendar.Service) error {
	var waiting []store.Envelope
	if err := db.View(ctx, func(tx *store.Tx) (err error) {
		waiting, err = tx.WaitingInbox()
		return err
	}); err != nil {
		return err
	}
	for _, e := range waiting {
		err := db.Update(ctx, func(tx *store.Tx) error {
			state := store.InboxFiled
			if err := fileEnvelope(tx, db.PracticeID(), e, cal); err != nil {
				if practice.ErrorCode(err) != practice.EInvalid {
					return err
				}
				// The message may quote what the patient typed: not logged.
				log.Warn("a tablet delivery was refused", "submission", e.ID)
				state = store.InboxRefused
			}
			return tx.SetInboxState(e.ID, state)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func fileEnvelope(tx *store.Tx, practiceID string, e store.Envelope, cal *calendar.Service) error {
	private, err := tx.IntakePrivateKey(e.KeyID)
	if practice.ErrorCode(err) == practice.ENotFound {
		return practice.Errorf(practice.EInvalid, "Sealed to a key this practice does not have.")
	} else if err != nil {
		return err
	}
	plain, err := vault.OpenIntake(private, practiceID, e.ID, e.Sealed)
	clear(private)
	if err != nil {
		return practice.Errorf(practice.EInvalid, "The delivery does not open with the practice's intake key.")
	}
	defer clear(plain)
	var s practice.Submission
	if err := json.Unmarshal(plain, &s); err != nil || s.ID != e.ID {
		return practice.Errorf(practice.EInvalid, "The delivery is not a submission.")
	}
	_, _, err = Submit(tx, practice.Actor{}, s, cal)
	return err
}
