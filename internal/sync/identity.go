// Package sync replicates a practice between its paired office machines
// over the LAN: device identity and mutual TLS, pairing, discovery, and
// the replication sessions that exchange the store's change log.
package sync

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

// IdentityFile holds this device's private key and certificate, in the
// data directory, readable by its owner only.
const IdentityFile = "sync-identity.pem"

// Identity is this device's TLS identity: a self-signed Ed25519
// certificate. Peers pin it by its hash, the device ID.
type Identity struct {
	ID   string // DeviceID of the certificate
	Cert tls.Certificate
}

// DER is the certificate as stored in the devices table.
func (id Identity) DER() []byte { return id.Cert.Certificate[0] }

// DeviceID is the hex SHA-256 of a DER certificate.
func DeviceID(der []byte) string {
	h := sha256.Sum256(der)
	return hex.EncodeToString(h[:])
}

// LoadIdentity reads the device identity from dir, creating it on first use.
func LoadIdentity(dir string) (Identity, error) {
	path := filepath.Join(dir, IdentityFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if data, err = newIdentityPEM(); err != nil {
			return Identity{}, err
		}
		if err := writeNew(path, data); err != nil {
			return Identity{}, fmt.Errorf("sync: identity: %w", err)
		}
	} else if err != nil {
		return Identity{}, fmt.Errorf("sync: identity: %w", err)
	}
	cert, err := tls.X509KeyPair(data, data)
	if err != nil {
		return Identity{}, fmt.Errorf("sync: identity %s is damaged: %w", path, err)
	}
	return Identity{ID: DeviceID(cert.Certificate[0]), Cert: cert}, nil
}

func newIdentityPEM() ([]byte, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("sync: identity: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, fmt.Errorf("sync: identity: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "Quietdesk device"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(100, 0, 0), // pinned by hash, never by expiry
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, priv)
	if err != nil {
		return nil, fmt.Errorf("sync: identity: %w", err)
	}
	key, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("sync: identity: %w", err)
	}
	out := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key})
	return append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...), nil
}

// writeNew writes a file readable by its owner only, atomically.
func writeNew(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
