// Package mail talks to the practice's own SMTP relay: it checks the relay
// settings, builds the MIME message (text and HTML parts, an optional
// iCalendar attachment) and hands one message to the relay, saying exactly
// which step failed (DNS, connection, TLS, AUTH, sender, recipient, the
// message) and whether the relay may have taken it all the same. It knows
// nothing of the outbox: internal/notify decides what to send and when.
package mail

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/mail"
	"strings"

	"quietdesk/internal/practice"
)

// Security is how the connection to the relay is encrypted. There is no
// plain-text option: reminders carry a patient's first name and a time.
type Security string

const (
	// StartTLS connects in plain text and upgrades before anything else is
	// said (usually port 587).
	StartTLS Security = "starttls"
	// ImplicitTLS speaks TLS from the first byte (usually port 465).
	ImplicitTLS Security = "tls"
)

// Relay is the practice's SMTP relay and the addresses its mail comes from.
// It is stored sealed (the password above all).
type Relay struct {
	Host     string   `json:"host"`
	Port     int      `json:"port"`
	Security Security `json:"security"`
	Username string   `json:"username"` // empty: the relay takes mail without AUTH
	Password string   `json:"password"`
	From     string   `json:"from"`    // e.g. "Lakeside Counseling <office@lakeside.example>"
	ReplyTo  string   `json:"replyTo"` // optional
	// Certificate, when set, is the only certificate the relay may show
	// (PEM): for a relay in the office (a NAS) with a certificate of its
	// own that no public authority signed. Empty: the system's authorities.
	Certificate string `json:"certificate"`
}

// Normalize trims the fields a person types.
func (r *Relay) Normalize() {
	practice.Trim(&r.Host, &r.Username, &r.From, &r.ReplyTo, &r.Certificate)
	r.Host = strings.TrimSuffix(strings.ToLower(r.Host), ".")
}

// Configured reports whether the practice has set a relay up at all.
func (r Relay) Configured() bool { return r.Host != "" }

// Validate returns an EInvalid error naming every bad field.
func (r Relay) Validate() error {
	p := practice.Problems{}
	switch {
	case r.Host == "":
		p.Add("host", "Enter the relay's host name, e.g. smtp.example.com.")
	case strings.ContainsAny(r.Host, " /:@\r\n\t") || len(r.Host) > 253:
		p.Add("host", "Enter only the host name, without a port or a scheme.")
	}
	if r.Port < 1 || r.Port > 65535 {
		p.Add("port", "Enter a port between 1 and 65535 (usually 587 for STARTTLS, 465 for TLS).")
	}
	if r.Security != StartTLS && r.Security != ImplicitTLS {
		p.Add("security", "Choose STARTTLS or TLS.")
	}
	if r.Username != "" && r.Password == "" {
		p.Add("password", "Enter the password for this user name.")
	}
	if strings.ContainsAny(r.Username+r.Password, "\r\n") {
		p.Add("username", "The user name and password cannot hold line breaks.")
	}
	if _, err := parseAddress(r.From); err != nil {
		p.Add("from", "Enter the address mail comes from, e.g. Lakeside Counseling <office@lakeside.example>.")
	}
	if r.ReplyTo != "" {
		if _, err := parseAddress(r.ReplyTo); err != nil {
			p.Add("replyTo", "Enter one e-mail address, or leave this empty.")
		}
	}
	if r.Certificate != "" {
		if _, err := r.pinned(); err != nil {
			p.Add("certificate", "Paste the relay's certificate as PEM (-----BEGIN CERTIFICATE----- …), or leave this empty.")
		}
	}
	return p.Err()
}

// parseAddress accepts one address, with or without a display name, and
// refuses anything that could smuggle a header (a line break).
func parseAddress(s string) (*mail.Address, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, practice.Errorf(practice.EInvalid, "An e-mail address cannot hold a line break.")
	}
	return mail.ParseAddress(s)
}

// ValidAddress reports whether s is one e-mail address.
func ValidAddress(s string) bool {
	_, err := parseAddress(s)
	return err == nil
}

// pinned is a pool holding only the relay's own certificate.
func (r Relay) pinned() (*x509.CertPool, error) {
	block, _ := pem.Decode([]byte(r.Certificate))
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, errors.New("mail: no PEM certificate")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return pool, nil
}
