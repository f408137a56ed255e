package vault

import (
	"crypto/hpke"
	"fmt"
)

// The intake key: check-in tablets seal each submission to the practice's
// intake public key with HPKE (RFC 9180), so a tablet can write answers it
// can never read back, nor anyone who takes the tablet. The private half
// is kept sealed under the practice data key, so only a machine where
// someone logged in can open what tablets delivered.
//
// The suite is ML-KEM-768 + X25519 (hybrid: a recording of today's
// traffic stays closed to a future quantum computer), HKDF-SHA256 and
// ChaCha20-Poly1305.
var (
	intakeKEM  = hpke.MLKEM768X25519()
	intakeKDF  = hpke.HKDFSHA256()
	intakeAEAD = hpke.ChaCha20Poly1305()
)

// NewIntakeKey makes an intake key pair, serialized.
func NewIntakeKey() (public, private []byte, err error) {
	k, err := intakeKEM.GenerateKey()
	if err != nil {
		return nil, nil, fmt.Errorf("vault: intake key: %w", err)
	}
	private, err = k.Bytes()
	if err != nil {
		return nil, nil, fmt.Errorf("vault: intake key: %w", err)
	}
	return k.PublicKey().Bytes(), private, nil
}

// intakeInfo binds a sealed submission to its practice and its id: an
// envelope moved to another id, or delivered to another practice, fails
// to open.
func intakeInfo(practiceID, id string) []byte {
	return []byte("quietdesk/intake/v1\x00" + practiceID + "\x00" + id)
}

// SealToIntake seals plaintext to the intake public key as submission id
// of practiceID.
func SealToIntake(public []byte, practiceID, id string, plaintext []byte) ([]byte, error) {
	pk, err := intakeKEM.NewPublicKey(public)
	if err != nil {
		return nil, fmt.Errorf("vault: intake public key: %w", err)
	}
	return hpke.Seal(pk, intakeKDF, intakeAEAD, intakeInfo(practiceID, id), plaintext)
}

// OpenIntake opens what SealToIntake sealed.
func OpenIntake(private []byte, practiceID, id string, sealed []byte) ([]byte, error) {
	k, err := intakeKEM.NewPrivateKey(private)
	if err != nil {
		return nil, fmt.Errorf("vault: intake private key: %w", err)
	}
	return hpke.Open(k, intakeKDF, intakeAEAD, intakeInfo(practiceID, id), sealed)
}
