// Package mailtest runs a real SMTP server (emersion/go-smtp's server side)
// on loopback for tests: STARTTLS or implicit TLS with a certificate of its
// own, AUTH PLAIN, replies a test chooses at each step, and a hook that
// holds a step so a test can kill the sender there. Production code never
// imports it.
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"quietdesk/internal/mail"
)

// Received is one message the server accepted (or, held at StepData,
// read to its end).
type Received struct {
	From, To string
	Data     []byte
}

// Server is a loopback SMTP relay.
type Server struct {
	Host     string // "localhost": a name, so the client's DNS step runs
	Port     int
	Security mail.Security
	User     string
	Password string
	// RootCAs trusts the server's certificate; CertPEM is that
	// certificate, for a child process to trust.
	RootCAs *x509.CertPool
	CertPEM []byte

	// Reply, when set, is asked at each step (mail.StepAuth, StepSender,
	// StepRecipient, StepData) with how many times that step was reached
	// before (0 the first time); a non-nil *smtp.SMTPError is sent back.
	Reply func(step mail.Step, n int) error
	// Reached, when set, is told each step as it is reached, before the
	// reply; at StepData after the whole message was read.
	Reached func(step mail.Step)
	// Hold, when set, keeps the server from answering at that step until
	// Release (the client is killed while it waits).
	Hold mail.Step

	srv      *smtp.Server
	release  chan struct{}
	mu       sync.Mutex
	counts   map[mail.Step]int
	received []Received
}

// Options choose the server's security and login.
type Options struct {
	Security mail.Security // StartTLS (default) or ImplicitTLS
	User     string        // default "practice"
	Password string        // default "relay-secret"
}

// Start runs a server until Close.
func Start(o Options) (*Server, error) {
	if o.Security == "" {
		o.Security = mail.StartTLS
	}
	if o.User == "" {
		o.User, o.Password = "practice", "relay-secret"
	}
	cert, pool, err := selfSigned()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{Host: "localhost", Port: ln.Addr().(*net.TCPAddr).Port, Security: o.Security, User: o.User, Password: o.Password,
		RootCAs: pool, CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), release: make(chan struct{}), counts: map[mail.Step]int{}}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.ErrorLog = log.New(io.Discard, "", 0) // clients killed mid-send are the point of some tests
	s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.srv.ReadTimeout, s.srv.WriteTimeout = time.Minute, time.Minute
	if o.Security == mail.ImplicitTLS {
		ln = tls.NewListener(ln, s.srv.TLSConfig)
	}
	go s.srv.Serve(ln)
	return s, nil
}

// Relay is a relay setting that reaches this server as from.
func (s *Server) Relay(from string) mail.Relay {
	return mail.Relay{Host: s.Host, Port: s.Port, Security: s.Security, Username: s.User, Password: s.Password, From: from}
}

// Dialer trusts the server's certificate.
func (s *Server) Dialer() mail.Dialer {
	return mail.Dialer{RootCAs: s.RootCAs, Timeout: 10 * time.Second}
}

// Addr is host:port.
func (s *Server) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port)) }

// Received lists the messages taken so far.
func (s *Server) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// Release lets held steps answer.
func (s *Server) Release() {
	select {
	case <-s.release:
	default:
		close(s.release)
	}
}

// Close stops the server.
func (s *Server) Close() {
	s.Release()
	s.srv.Close()
}

// step runs the test's hooks for one step.
func (s *Server) step(step mail.Step) error {
	s.mu.Lock()
	n := s.counts[step]
	s.counts[step]++
	s.mu.Unlock()
	if s.Reached != nil {
		s.Reached(step)
	}
	if s.Hold == step {
		<-s.release
	}
	if s.Reply != nil {
		return s.Reply(step, n)
	}
	return nil
}

type session struct {
	s        *Server
	from, to string
	authed   bool
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if err := ss.s.step(mail.StepAuth); err != nil {
			return err
		}
		if user != ss.s.User || pass != ss.s.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return ss.s.step(mail.StepSender)
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = to
	return ss.s.step(mail.StepRecipient)
}

func (ss *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	// Read to its end, the message could be delivered: counted before the
	// reply, which a held step may never send.
	ss.s.mu.Lock()
	ss.s.received = append(ss.s.received, Received{From: ss.from, To: ss.to, Data: data})
	ss.s.mu.Unlock()
	if err := ss.s.step(mail.StepData); err != nil {
		ss.s.mu.Lock()
		ss.s.received = ss.s.received[:len(ss.s.received)-1] // refused: not delivered
		ss.s.mu.Unlock()
		return err
	}
	return nil
}

func (ss *session) Reset()        {}
func (ss *session) Logout() error { return nil }

// selfSigned makes a certificate for localhost and 127.0.0.1 and a pool
// that trusts it.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool, nil
}

// ErrTemporary is a 451 a test can return from Reply.
var ErrTemporary error = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}

// ErrRejected is a 550 a test can return from Reply.
var ErrRejected error = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
