package sync

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"strings"
)

// codeEncoding is Crockford-style base32, as the recovery key: no I, L, O
// or U, so a code read off one screen is typed right on another.
var codeEncoding = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// codeLen is 15 characters: 75 bits, shown as three groups of five.
const codeLen = 15

// newPairingCode returns a fresh single-use pairing code in display form.
func newPairingCode() (string, error) {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	s := codeEncoding.EncodeToString(b)[:codeLen]
	return s[:5] + "-" + s[5:10] + "-" + s[10:], nil
}

// normalizeCode accepts a typed code with any spacing, dashes or case and
// the look-alikes O, I and L.
func normalizeCode(typed string) (string, error) {
	s := strings.NewReplacer(" ", "", "-", "", "\t", "", "\n", "", "\r", "", "O", "0", "I", "1", "L", "1").Replace(strings.ToUpper(typed))
	if len(s) != codeLen {
		return "", errors.New("a pairing code is 15 letters and digits")
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789ABCDEFGHJKMNPQRSTVWXYZ", r) {
			return "", errors.New("a pairing code is 15 letters and digits")
		}
	}
	return s, nil
}

// Roles in the pairing proof, so one side's proof cannot be replayed as
// the other's.
const (
	proofJoin = "quietdesk/pair/v1/join"
	proofHost = "quietdesk/pair/v1/host"
)

// pairingProof proves knowledge of the code, bound to one TLS connection
// by its exporter: a relaying attacker holds two different connections, so
// a proof it forwards fails on the other one.
func pairingProof(code, role string, exporter []byte) []byte {
	m := hmac.New(sha256.New, []byte(code))
	m.Write([]byte(role))
	m.Write(exporter)
	return m.Sum(nil)
}

// exporterLabel is the TLS exporter label for pairing proofs.
const exporterLabel = "EXPORTER-quietdesk-pairing"
