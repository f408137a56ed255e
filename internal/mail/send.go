package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Step is where a delivery stopped.
type Step string

const (
	StepDNS       Step = "dns"       // the relay's name did not resolve
	StepConnect   Step = "connect"   // no TCP connection, or no greeting
	StepTLS       Step = "tls"       // the handshake or STARTTLS failed
	StepAuth      Step = "auth"      // the user name or password was refused
	StepSender    Step = "sender"    // MAIL FROM was refused
	StepRecipient Step = "recipient" // RCPT TO was refused
	StepData      Step = "data"      // the message was refused, or cut off before its end
	StepReply     Step = "reply"     // the whole message went out and no answer came back
)

// Failure says why a message was not handed over. Message names the step
// and the relay's reply code, never the recipient or the message's text,
// so it may be stored and shown to any staff member.
type Failure struct {
	Step Step
	// Permanent: the relay refused with a 5xx reply; trying again will not
	// help. Everything else (a 4xx, a network or TLS problem, a wrong
	// password the practice may fix) may succeed later.
	Permanent bool
	// Unknown: the whole message reached the relay but its answer did not
	// reach us, so it may have been delivered. It must not be resent
	// without a person deciding.
	Unknown bool
	Code    int    // the relay's reply code, 0 when it gave none
	Message string // for people
	err     error
}

func (f *Failure) Error() string { return f.Message }
func (f *Failure) Unwrap() error { return f.err }

// Dialer hands messages to a relay.
type Dialer struct {
	// RootCAs verifies the relay's certificate; nil means the system's.
	RootCAs *x509.CertPool
	// Timeout bounds each step (connecting, each command, the answer to
	// the message); 0 means one minute.
	Timeout time.Duration
	// LocalName is said in EHLO; empty means "localhost".
	LocalName string
}

// Envelope is who a message is from and to, as the relay sees it.
type Envelope struct {
	From string // a bare address
	To   string // a bare address
}

// Send hands one message to the relay. It returns nil once the relay has
// accepted the message, or a *Failure.
func (d Dialer) Send(ctx context.Context, r Relay, env Envelope, data []byte) error {
	timeout := d.Timeout
	if timeout <= 0 {
		timeout = time.Minute
	}
	addr := net.JoinHostPort(r.Host, strconv.Itoa(r.Port))
	if net.ParseIP(r.Host) == nil {
		lookup, cancel := context.WithTimeout(ctx, timeout)
		_, err := net.DefaultResolver.LookupHost(lookup, r.Host)
		cancel()
		if err != nil {
			return &Failure{Step: StepDNS, err: err,
				Message: fmt.Sprintf("The relay's name %q could not be found (DNS): check the host name and this computer's network.", r.Host)}
		}
	}
	conn, err := (&net.Dialer{Timeout: timeout}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return &Failure{Step: StepConnect, err: err, Message: fmt.Sprintf("Could not connect to %s: %v.", addr, netReason(err))}
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	tlsConfig := &tls.Config{ServerName: r.Host, RootCAs: d.RootCAs, MinVersion: tls.VersionTLS12}
	if r.Certificate != "" {
		pool, err := r.pinned()
		if err != nil {
			conn.Close()
			return &Failure{Step: StepTLS, err: err, Message: "The relay certificate in the settings cannot be read; paste it again as PEM."}
		}
		tlsConfig.RootCAs = pool
	}
	var c *smtp.Client
	if r.Security == ImplicitTLS {
		tc := tls.Client(conn, tlsConfig)
		hs, cancel := context.WithTimeout(ctx, timeout)
		err := tc.HandshakeContext(hs)
		cancel()
		if err != nil {
			conn.Close()
			return tlsFailure(addr, err)
		}
		c = smtp.NewClient(tc)
	} else {
		// The client waits five minutes for a greeting; a relay that
		// expects TLS first never sends one, so the wait is bounded here.
		b := &boundedConn{Conn: conn, limit: time.Now().Add(timeout)}
		var err error
		if c, err = smtp.NewClientStartTLS(b, tlsConfig); err != nil {
			conn.Close()
			return startTLSFailure(addr, err)
		}
		b.limit = time.Time{}
	}
	defer c.Close()
	c.CommandTimeout, c.SubmissionTimeout = timeout, timeout
	// After STARTTLS the handshake happens here, on the first command.
	if err := c.Hello(d.localName()); err != nil {
		if isTLS(err) {
			return tlsFailure(addr, err)
		}
		return greetingFailure(addr, err)
	}
	if r.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return &Failure{Step: StepAuth, Message: "The relay does not offer AUTH on this connection: check the port and the security setting, or leave the user name empty."}
		}
		if err := c.Auth(sasl.NewPlainClient("", r.Username, r.Password)); err != nil {
			return refused(StepAuth, err, "The relay refused the user name or password", true)
		}
	}
	if err := c.Mail(env.From, nil); err != nil {
		return refused(StepSender, err, fmt.Sprintf("The relay refused the sender address %s", env.From), true)
	}
	if err := c.Rcpt(env.To, nil); err != nil {
		return refused(StepRecipient, err, "The relay refused the recipient address", false)
	}
	w, err := c.Data()
	if err != nil {
		return refused(StepData, err, "The relay refused to take the message", false)
	}
	if _, err := w.Write(data); err != nil {
		// The message's end (a lone ".") was never sent, so the relay
		// discards what it got.
		return &Failure{Step: StepData, err: err, Message: "The connection broke while the message was being sent; it was not delivered."}
	}
	if err := w.Close(); err != nil {
		var se *smtp.SMTPError
		if errors.As(err, &se) {
			return refused(StepData, err, "The relay refused the message", false)
		}
		return &Failure{Step: StepReply, Unknown: true, err: err,
			Message: "The relay received the whole message but its answer never came: it may or may not have been delivered."}
	}
	c.Quit() // the message is accepted; a failed goodbye changes nothing
	return nil
}

func (d Dialer) localName() string {
	if d.LocalName != "" {
		return d.LocalName
	}
	return "localhost"
}

// refused turns an error at a command into a Failure. The relay's own text
// is kept only where it cannot hold the recipient (AUTH, MAIL FROM).
func refused(step Step, err error, what string, withText bool) *Failure {
	var se *smtp.SMTPError
	if !errors.As(err, &se) {
		return &Failure{Step: step, err: err, Message: what + ": the connection failed (" + netReason(err) + ")."}
	}
	msg := fmt.Sprintf("%s (%s).", what, replyCode(se))
	if withText && se.Message != "" {
		msg = fmt.Sprintf("%s (%s: %s).", what, replyCode(se), clip(se.Message, 120))
	}
	return &Failure{Step: step, Permanent: se.Code/100 == 5, Code: se.Code, err: err, Message: msg}
}

func greetingFailure(addr string, err error) *Failure {
	f := refused(StepConnect, err, "The relay at "+addr+" did not greet us", true)
	f.Permanent = false // a relay that turns us away now may greet us later
	if f.Code == 0 {
		f.Message += " If the relay speaks TLS from the start (usually port 465), choose TLS."
	}
	return f
}

// startTLSFailure classifies a failure before the TLS upgrade: no greeting,
// no STARTTLS on offer, or STARTTLS refused.
func startTLSFailure(addr string, err error) *Failure {
	var se *smtp.SMTPError
	if !errors.As(err, &se) && strings.Contains(err.Error(), "STARTTLS") {
		return &Failure{Step: StepTLS, err: err, Message: fmt.Sprintf("The relay at %s does not offer STARTTLS: choose TLS (usually port 465) or use the relay's STARTTLS port (usually 587).", addr)}
	}
	if isTLS(err) || errors.Is(err, io.EOF) {
		// A relay that speaks TLS from the first byte answers a plain
		// greeting with a handshake record or hangs up.
		return tlsFailure(addr, err)
	}
	return greetingFailure(addr, err)
}

// isTLS reports whether err came from the TLS layer.
func isTLS(err error) bool {
	var rec tls.RecordHeaderError
	var alert tls.AlertError
	var verify *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	return errors.As(err, &rec) || errors.As(err, &alert) || errors.As(err, &verify) ||
		errors.As(err, &unknownCA) || errors.As(err, &hostErr) || strings.HasPrefix(err.Error(), "tls:")
}

func tlsFailure(addr string, err error) *Failure {
	reason := err.Error()
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var se *smtp.SMTPError
	switch {
	case errors.As(err, &unknownCA):
		reason = "its certificate is not signed by an authority this computer trusts"
	case errors.As(err, &hostErr):
		reason = "its certificate is for another name"
	case errors.As(err, &se):
		reason = "it refused STARTTLS (" + replyCode(se) + ")"
	}
	return &Failure{Step: StepTLS, err: err,
		Message: fmt.Sprintf("The secure connection (TLS) to %s failed: %s. Check the port and the security setting (STARTTLS or TLS).", addr, reason)}
}

func replyCode(se *smtp.SMTPError) string {
	if se.EnhancedCode == smtp.NoEnhancedCode || se.EnhancedCode == smtp.EnhancedCodeNotSet {
		return strconv.Itoa(se.Code)
	}
	e := se.EnhancedCode
	return fmt.Sprintf("%d %d.%d.%d", se.Code, e[0], e[1], e[2])
}

// netReason is the short cause of a network error ("connection refused").
func netReason(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	return err.Error()
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// Test sends a short message to one address through r, so the person
// setting the relay up learns now, not on the first reminder, whether it
// works and, if not, which step failed.
func (d Dialer) Test(ctx context.Context, r Relay, to string, now time.Time) error {
	var rnd [8]byte
	rand.Read(rnd[:])
	m, err := Compose(r, to, "test-"+hex.EncodeToString(rnd[:]), now, Content{
		Subject: "Quietdesk test message",
		Text:    "This message was sent from Quietdesk to check the practice's e-mail settings. It worked; nothing else needs doing.",
	})
	if err != nil {
		return err
	}
	return d.Send(ctx, r, m.Envelope, m.Data)
}

// boundedConn caps every deadline set on it at limit, while limit is set.
type boundedConn struct {
	net.Conn
	limit time.Time
}

func (b *boundedConn) SetDeadline(t time.Time) error {
	if !b.limit.IsZero() && (t.IsZero() || t.After(b.limit)) {
		t = b.limit
	}
	return b.Conn.SetDeadline(t)
}
