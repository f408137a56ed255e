package sync

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
)

// errNotMember is the handshake's refusal of a certificate that is not a
// paired, unremoved device (and not a pairing candidate).
var errNotMember = errors.New("sync: peer is not a paired device of this practice")

// peerID checks that the peer sent exactly one certificate and names it.
func peerID(rawCerts [][]byte) (string, error) {
	if len(rawCerts) != 1 {
		return "", fmt.Errorf("sync: peer sent %d certificates, want 1", len(rawCerts))
	}
	return DeviceID(rawCerts[0]), nil
}

// serverTLS accepts only paired devices, or any device while a pairing
// window is open (that connection may then only pair). The check runs in
// the handshake, so a refused device never reaches application data.
func (s *Service) serverTLS() *tls.Config {
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{s.id.Cert},
		ClientAuth:   tls.RequireAnyClientCert,
		VerifyPeerCertificate: func(rawCerts [][]byte, _ [][]*x509.Certificate) error {
			id, err := peerID(rawCerts)
			if err != nil {
				return err
			}
			if s.member(id) || s.tablet(id) || s.pairingOpen() || s.wasRemoved(id) {
				return nil // a removed device gets only the notice (serve)
			}
			s.refuse(id, "an unpaired or removed device", nil)
			return errNotMember
		},
	}
}

// clientTLS dials a paired device: the server must be a member too.
func (s *Service) clientTLS() *tls.Config {
	return dialTLS(s.id, func(id string) error {
		if s.member(id) {
			return nil
		}
		return errNotMember
	})
}

// dialTLS is a client configuration presenting id whose server certificate
// is checked by check (the certificate is pinned by hash, not by a CA).
func dialTLS(id Identity, check func(id string) error) *tls.Config {
	return &tls.Config{
		MinVersion: tls.VersionTLS13,
		// Verification is VerifyPeerCertificate's: certificates are
		// self-signed and pinned by hash, so there is no chain to check.
		InsecureSkipVerify: true,
		GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			return &id.Cert, nil
		},
		VerifyPeerCertificate: func(rawCerts [][]byte, _ [][]*x509.Certificate) error {
			peer, err := peerID(rawCerts)
			if err != nil {
				return err
			}
			return check(peer)
		},
	}
}

// member reports whether id is a paired device that has not been removed.
func (s *Service) member(id string) bool {
	if id == s.id.ID {
		return false
	}
	ok, err := s.db.Member(context.Background(), id)
	if err != nil {
		s.log.Error("membership check failed", "err", err)
	}
	return ok
}

// wasRemoved reports whether id was a member and has been removed.
func (s *Service) wasRemoved(id string) bool {
	removed, err := s.db.Removed(context.Background(), id)
	if err != nil {
		s.log.Error("membership check failed", "err", err)
	}
	return removed
}

// tablet reports whether id is a paired check-in tablet: it may deliver
// and ask for work, never replicate (serveTablet).
func (s *Service) tablet(id string) bool {
	if s.cfg.Desk == nil {
		return false
	}
	ok, err := s.db.Tablet(context.Background(), id)
	if err != nil {
		s.log.Error("tablet check failed", "err", err)
	}
	return ok
}

// short is a device id shortened for logs and labels.
func short(id string) string { return id[:min(len(id), 12)] }
