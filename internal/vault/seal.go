package vault

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"

	"crypto/sha256"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"
)

// Sealer seals and opens field groups with the practice data key.
//
// A sealed value is: key version (4 bytes, big-endian) || nonce (24) ||
// ciphertext. The associated data binds it to the table, field group and row
// it was written for, and to the key version, so a ciphertext copied to
// another row or column fails to open.
type Sealer struct {
	version uint32
	aead    cipher.AEAD
}

// ErrTampered means a sealed value did not open: it was altered, moved to
// another row or column, or sealed with another key.
var ErrTampered = errors.New("vault: sealed value failed authentication")

// NewSealer returns a Sealer for dek at key version. The sealing key is
// derived with HKDF so the data key itself is never used directly.
func NewSealer(dek Key, version uint32) (*Sealer, error) {
	seal := make([]byte, KeySize)
	if _, err := hkdf.New(sha256.New, dek[:], nil, []byte("quietdesk/seal/v1")).Read(seal); err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.NewX(seal)
	clear(seal)
	if err != nil {
		return nil, err
	}
	return &Sealer{version: version, aead: aead}, nil
}

func sealAD(version uint32, table, group, rowID string) []byte {
	ad := make([]byte, 0, 64)
	ad = append(ad, "quietdesk/field/v1"...)
	for _, s := range []string{table, group, rowID} {
		ad = binary.BigEndian.AppendUint16(ad, uint16(len(s)))
		ad = append(ad, s...)
	}
	return binary.BigEndian.AppendUint32(ad, version)
}

// Seal encrypts plaintext for (table, group, rowID).
func (s *Sealer) Seal(plaintext []byte, table, group, rowID string) ([]byte, error) {
	out := make([]byte, 4+s.aead.NonceSize(), 4+s.aead.NonceSize()+len(plaintext)+s.aead.Overhead())
	binary.BigEndian.PutUint32(out, s.version)
	if _, err := rand.Read(out[4:]); err != nil {
		return nil, fmt.Errorf("vault: nonce: %w", err)
	}
	return s.aead.Seal(out, out[4:], plaintext, sealAD(s.version, table, group, rowID)), nil
}

// Open decrypts a value sealed for (table, group, rowID), or returns
// ErrTampered.
func (s *Sealer) Open(sealed []byte, table, group, rowID string) ([]byte, error) {
	ns := s.aead.NonceSize()
	if len(sealed) < 4+ns+s.aead.Overhead() {
		return nil, ErrTampered
	}
	version := binary.BigEndian.Uint32(sealed)
	if version != s.version {
		return nil, ErrTampered
	}
	pt, err := s.aead.Open(nil, sealed[4:4+ns], sealed[4+ns:], sealAD(version, table, group, rowID))
	if err != nil {
		return nil, ErrTampered
	}
	return pt, nil
}
