// Package vault holds Quietdesk's keys: the practice data key (DEK), the key
// slots that wrap it under each staff password and under the recovery key,
// and the sealing of individual fields with XChaCha20-Poly1305.
//
// A slot binds its Argon2id parameters into the wrap's associated data, so a
// slot whose parameters were lowered on disk (to make guessing cheaper)
// fails to open instead of unlocking faster.
package vault

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// KeySize is the size of the data key and of every derived key.
const KeySize = 32

// Key is a 256-bit symmetric key.
type Key [KeySize]byte

// Wipe overwrites the key in memory.
func (k *Key) Wipe() { clear(k[:]) }

// NewKey returns a fresh random key.
func NewKey() (Key, error) {
	var k Key
	if _, err := rand.Read(k[:]); err != nil {
		return Key{}, fmt.Errorf("vault: random key: %w", err)
	}
	return k, nil
}

// Params are Argon2id parameters. Memory is in KiB.
type Params struct {
	Memory  uint32 `json:"m"`
	Time    uint32 `json:"t"`
	Threads uint8  `json:"p"`
}

// Floor is the weakest parameter set a slot may use: 64 MiB, t=3, p=4.
var Floor = Params{Memory: 64 * 1024, Time: 3, Threads: 4}

func (p Params) atLeastFloor() bool {
	return p.Memory >= Floor.Memory && p.Time >= Floor.Time && p.Threads >= Floor.Threads
}

// Calibrate returns parameters at or above Floor whose derivation takes
// about target on this machine; it only ever raises the time cost, so a slow
// machine still gets the floor. The first derivation (which pays for
// faulting in the 64 MiB) is not timed, and the chosen cost is measured
// once more and corrected, since the cost per pass is not quite linear.
func Calibrate(target time.Duration) Params {
	p := Floor
	if target <= 0 {
		return p
	}
	salt := make([]byte, 16)
	derive := func(p Params) time.Duration {
		start := time.Now()
		argon2.IDKey([]byte("calibration"), salt, p.Time, p.Memory, p.Threads, KeySize)
		return time.Since(start)
	}
	derive(p) // warm-up
	for range 2 {
		took := derive(p)
		if took <= 0 || took >= target*9/10 {
			break
		}
		scaled := uint32(float64(p.Time) * float64(target) / float64(took))
		p.Time = max(p.Time, min(scaled, 64))
	}
	return p
}

// Slot is one wrapping of the data key: under a staff password or under the
// recovery key. It is safe to store as is.
type Slot struct {
	Salt    []byte `json:"salt"`
	Params  Params `json:"params"`
	Wrapped []byte `json:"wrapped"` // nonce || ciphertext of the DEK
}

// ErrWrongSecret means the password or recovery key did not open the slot.
var ErrWrongSecret = errors.New("vault: wrong password or recovery key")

// ErrWeakParams means a slot's parameters are below Floor: the slot was
// tampered with or written by something that is not Quietdesk.
var ErrWeakParams = errors.New("vault: key slot parameters below the floor")

func slotAD(p Params) []byte {
	ad := []byte("quietdesk/slot/v1")
	ad = binary.BigEndian.AppendUint32(ad, p.Memory)
	ad = binary.BigEndian.AppendUint32(ad, p.Time)
	return append(ad, p.Threads)
}

func deriveKEK(secret, salt []byte, p Params) []byte {
	return argon2.IDKey(secret, salt, p.Time, p.Memory, p.Threads, KeySize)
}

// Wrap seals dek under a key derived from secret with params p.
func Wrap(secret []byte, dek Key, p Params) (Slot, error) {
	w, err := NewWrapper(secret, p)
	if err != nil {
		return Slot{}, err
	}
	defer w.Wipe()
	return w.Wrap(dek)
}

// A Wrapper holds the key derived from one secret with one salt, to seal
// several slots under it while paying for Argon2id once. Slots it seals
// share their salt, which says only that their secrets are equal: use it
// for a secret that is public anyway (the demo practice's password), never
// for people's own passwords.
type Wrapper struct {
	salt []byte
	p    Params
	kek  []byte
}

// NewWrapper derives the key of secret under a fresh salt with params p.
func NewWrapper(secret []byte, p Params) (*Wrapper, error) {
	if !p.atLeastFloor() {
		return nil, ErrWeakParams
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return nil, fmt.Errorf("vault: salt: %w", err)
	}
	return &Wrapper{salt: salt, p: p, kek: deriveKEK(secret, salt, p)}, nil
}

// Wrap seals dek into a new slot, under a fresh nonce.
func (w *Wrapper) Wrap(dek Key) (Slot, error) {
	aead, err := chacha20poly1305.NewX(w.kek)
	if err != nil {
		return Slot{}, err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+KeySize+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return Slot{}, fmt.Errorf("vault: nonce: %w", err)
	}
	return Slot{Salt: w.salt, Params: w.p, Wrapped: aead.Seal(nonce, nonce, dek[:], slotAD(w.p))}, nil
}

// Wipe overwrites the derived key; the Wrapper cannot seal after.
func (w *Wrapper) Wipe() { clear(w.kek) }

// Unwrap opens the slot with secret. It returns ErrWrongSecret when the
// secret is wrong or the slot was altered, ErrWeakParams when the slot's
// parameters are below Floor.
func (s Slot) Unwrap(secret []byte) (Key, error) {
	if !s.Params.atLeastFloor() {
		return Key{}, ErrWeakParams
	}
	kek := deriveKEK(secret, s.Salt, s.Params)
	defer clear(kek)
	aead, err := chacha20poly1305.NewX(kek)
	if err != nil {
		return Key{}, err
	}
	if len(s.Wrapped) < aead.NonceSize() {
		return Key{}, ErrWrongSecret
	}
	pt, err := aead.Open(nil, s.Wrapped[:aead.NonceSize()], s.Wrapped[aead.NonceSize():], slotAD(s.Params))
	if err != nil || len(pt) != KeySize {
		return Key{}, ErrWrongSecret
	}
	var k Key
	copy(k[:], pt)
	clear(pt)
	return k, nil
}

// recoveryEncoding is Crockford-style base32 without padding: no I, L, O or
// U, so a printed key cannot be misread.
var recoveryEncoding = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// RecoveryKey is the printable secret of the Recovery Kit: 160 random bits
// (32 characters) shown in groups of four.
type RecoveryKey string

// NewRecoveryKey returns a fresh random recovery key in display form.
func NewRecoveryKey() (RecoveryKey, error) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("vault: recovery key: %w", err)
	}
	s := recoveryEncoding.EncodeToString(b)
	var groups []string
	for i := 0; i < len(s); i += 4 {
		groups = append(groups, s[i:i+4])
	}
	return RecoveryKey(strings.Join(groups, "-")), nil
}

// ParseRecoveryKey accepts a typed recovery key with any spacing, dashes or
// case, and the look-alike letters O, I and L, and returns the secret bytes
// used to wrap the data key.
func ParseRecoveryKey(typed string) ([]byte, error) {
	r := strings.NewReplacer(" ", "", "-", "", "\t", "", "O", "0", "I", "1", "L", "1")
	s := r.Replace(strings.ToUpper(typed))
	b, err := recoveryEncoding.DecodeString(s)
	if err != nil || len(b) != 20 {
		return nil, errors.New("vault: a recovery key is 32 letters and digits in groups of four")
	}
	return b, nil
}

// Secret returns the bytes this key wraps the data key with.
func (k RecoveryKey) Secret() []byte {
	b, err := ParseRecoveryKey(string(k))
	if err != nil {
		panic("vault: malformed RecoveryKey: " + err.Error())
	}
	return b
}

// Equal compares two keys in constant time.
func (k *Key) Equal(o *Key) bool { return subtle.ConstantTimeCompare(k[:], o[:]) == 1 }
