package mail_test

import (
	"context"
	"errors"
	"mime"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"quietdesk/internal/mail"
	"quietdesk/internal/mail/mailtest"
	"quietdesk/internal/practice"
)

func startServer(t *testing.T, o mailtest.Options) *mailtest.Server {
	t.Helper()
	s, err := mailtest.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

const calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Quietdesk//test//EN\r\nBEGIN:VEVENT\r\nUID:a1@quietdesk\r\nDTSTAMP:20261201T120000Z\r\nDTSTART:20261203T150000Z\r\nDTEND:20261203T155000Z\r\nSUMMARY:Appointment\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

// A message over STARTTLS with AUTH arrives whole: headers, both parts and
// the calendar attachment read back with independent parsers.
func TestSendArrivesWhole(t *testing.T) {
	for _, sec := range []mail.Security{mail.StartTLS, mail.ImplicitTLS} {
		t.Run(string(sec), func(t *testing.T) {
			s := startServer(t, mailtest.Options{Security: sec})
			relay := s.Relay("Lakeside Counseling <office@lakeside.example>")
			relay.ReplyTo = "front@lakeside.example"
			when := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
			m, err := mail.Compose(relay, "Ana <ana@example.org>", "0193abc", when, mail.Content{
				Subject:  "Your appointment on Thursday — see you soon",
				Text:     "Hi Ana,\nsee you Thursday at 9:00.\n",
				HTML:     "<p>Hi Ana,<br>see you Thursday at 9:00.</p>",
				Calendar: []byte(calendar),
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Dialer().Send(context.Background(), relay, m.Envelope, m.Data); err != nil {
				t.Fatalf("send: %v", err)
			}
			got := s.Received()
			if len(got) != 1 || got[0].From != "office@lakeside.example" || got[0].To != "ana@example.org" {
				t.Fatalf("received %+v", got)
			}
			header, parts, err := mailtest.Parse(got[0].Data)
			if err != nil {
				t.Fatal(err)
			}
			subject, _ := new(mime.WordDecoder).DecodeHeader(header.Get("Subject"))
			for k, want := range map[string]string{
				"From": `"Lakeside Counseling" <office@lakeside.example>`, "To": `"Ana" <ana@example.org>`,
				"Reply-To": "<front@lakeside.example>", "Message-ID": "<0193abc@lakeside.example>",
				"Date": "Tue, 01 Dec 2026 12:00:00 +0000",
			} {
				if v := header.Get(k); v != want {
					t.Errorf("%s = %q, want %q", k, v, want)
				}
			}
			if subject != "Your appointment on Thursday — see you soon" {
				t.Errorf("subject %q", subject)
			}
			if len(parts) != 3 {
				t.Fatalf("%d parts, want text, html, calendar", len(parts))
			}
			if parts["text/plain"] != "Hi Ana,\r\nsee you Thursday at 9:00.\r\n" {
				t.Errorf("text part %q", parts["text/plain"])
			}
			if parts["text/html"] != "<p>Hi Ana,<br>see you Thursday at 9:00.</p>" {
				t.Errorf("html part %q", parts["text/html"])
			}
			cal, err := ical.NewDecoder(strings.NewReader(parts["text/calendar"])).Decode()
			if err != nil {
				t.Fatal(err)
			}
			ev := cal.Events()
			if len(ev) != 1 {
				t.Fatalf("%d events", len(ev))
			}
			if start, err := ev[0].DateTimeStart(time.UTC); err != nil || !start.Equal(time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC)) {
				t.Errorf("event start %v %v", start, err)
			}
		})
	}
}

// Each failure a person setting up the relay can meet is produced for
// real and named: the step, whether it is worth retrying, and a message
// that says what to check.
func TestSendSaysWhatFailed(t *testing.T) {
	s := startServer(t, mailtest.Options{})
	implicit := startServer(t, mailtest.Options{Security: mail.ImplicitTLS})
	if n := len(s.Received()); n != 0 {
		t.Fatal(n)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	from := "office@lakeside.example"
	type tc struct {
		name      string
		relay     func() mail.Relay
		dialer    mail.Dialer
		reply     func(mail.Step, int) error
		step      mail.Step
		permanent bool
		says      string
	}
	cases := []tc{
		{name: "DNS", relay: func() mail.Relay { r := s.Relay(from); r.Host = "relay.quietdesk-test.invalid"; return r },
			dialer: s.Dialer(), step: mail.StepDNS, says: `The relay's name "relay.quietdesk-test.invalid" could not be found (DNS)`},
		{name: "Connect", relay: func() mail.Relay { r := s.Relay(from); r.Port = closedPort; return r }, dialer: s.Dialer(),
			step: mail.StepConnect, says: "connection refused"},
		{name: "TLSUntrusted", relay: func() mail.Relay { return s.Relay(from) }, dialer: mail.Dialer{Timeout: 5 * time.Second},
			step: mail.StepTLS, says: "its certificate is not signed by an authority this computer trusts"},
		{name: "TLSImplicitToStartTLSPort", relay: func() mail.Relay { r := s.Relay(from); r.Security = mail.ImplicitTLS; return r },
			dialer: s.Dialer(), step: mail.StepTLS, says: "The secure connection (TLS) to localhost:"},
		{name: "TLSStartTLSToImplicitPort", relay: func() mail.Relay { r := implicit.Relay(from); r.Security = mail.StartTLS; return r }, dialer: mail.Dialer{RootCAs: implicit.RootCAs, Timeout: time.Second},
			step: mail.StepConnect, says: "If the relay speaks TLS from the start (usually port 465), choose TLS."},
		{name: "Auth", relay: func() mail.Relay { r := s.Relay(from); r.Password = "wrong"; return r }, dialer: s.Dialer(),
			step: mail.StepAuth, permanent: true, says: "The relay refused the user name or password (535 5.7.8: Authentication credentials invalid)."},
		{name: "SenderRefused", relay: func() mail.Relay { return s.Relay(from) }, dialer: s.Dialer(),
			reply: func(st mail.Step, _ int) error {
				if st == mail.StepSender {
					return mailtest.ErrRejected
				}
				return nil
			},
			step: mail.StepSender, permanent: true, says: "The relay refused the sender address office@lakeside.example (550 5.1.1: No such user here)."},
		{name: "RecipientRefused", relay: func() mail.Relay { return s.Relay(from) }, dialer: s.Dialer(),
			reply: func(st mail.Step, _ int) error {
				if st == mail.StepRecipient {
					return mailtest.ErrRejected
				}
				return nil
			},
			step: mail.StepRecipient, permanent: true, says: "The relay refused the recipient address (550 5.1.1)."},
		{name: "DataTemporary", relay: func() mail.Relay { return s.Relay(from) }, dialer: s.Dialer(),
			reply: func(st mail.Step, _ int) error {
				if st == mail.StepData {
					return mailtest.ErrTemporary
				}
				return nil
			},
			step: mail.StepData, says: "The relay refused the message (451 4.3.0)."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s.Reply = c.reply
			defer func() { s.Reply = nil }()
			err := c.dialer.Test(context.Background(), c.relay(), "ana@example.org", time.Now())
			var f *mail.Failure
			if !errors.As(err, &f) {
				t.Fatalf("got %v, want a *mail.Failure", err)
			}
			if f.Step != c.step || f.Permanent != c.permanent || f.Unknown {
				t.Errorf("step %s permanent %v unknown %v, want %s %v false", f.Step, f.Permanent, f.Unknown, c.step, c.permanent)
			}
			if !strings.Contains(f.Message, c.says) {
				t.Errorf("message %q lacks %q", f.Message, c.says)
			}
			if strings.Contains(f.Message, "ana@example.org") {
				t.Errorf("message names the recipient: %q", f.Message)
			}
		})
	}
	if n := len(s.Received()); n != 0 {
		t.Errorf("%d messages delivered by failing sends", n)
	}
}

func TestRelayValidate(t *testing.T) {
	ok := mail.Relay{Host: "smtp.example.com", Port: 587, Security: mail.StartTLS, Username: "u", Password: "p", From: "office@example.com"}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid relay refused: %v", err)
	}
	bad := mail.Relay{Host: "smtp.example.com:587", Port: 0, Security: "none", Username: "u", From: "not an address", ReplyTo: "x\r\nBcc: y@z"}
	err := bad.Validate()
	var pe *practice.Error
	if !errors.As(err, &pe) || pe.Code != practice.EInvalid {
		t.Fatalf("got %v, want EInvalid", err)
	}
	for _, f := range []string{"host", "port", "security", "password", "from", "replyTo"} {
		if pe.Fields[f] == "" {
			t.Errorf("no problem named for %s: %v", f, pe.Fields)
		}
	}
}

// A relay with its own certificate (a NAS in the office) is trusted by
// pasting that certificate, and only that one: another relay's fails TLS.
func TestPinnedCertificate(t *testing.T) {
	s := startServer(t, mailtest.Options{})
	other := startServer(t, mailtest.Options{})
	relay := s.Relay("office@lakeside.example")
	relay.Certificate = string(s.CertPEM)
	if err := (mail.Dialer{Timeout: 5 * time.Second}).Test(context.Background(), relay, "ana@example.org", time.Now()); err != nil {
		t.Fatalf("pinned certificate refused: %v", err)
	}
	relay.Certificate = string(other.CertPEM)
	var f *mail.Failure
	if err := (mail.Dialer{Timeout: 5 * time.Second}).Test(context.Background(), relay, "ana@example.org", time.Now()); !errors.As(err, &f) || f.Step != mail.StepTLS {
		t.Fatalf("another relay's certificate: %v", err)
	}
	if len(s.Received()) != 1 {
		t.Fatalf("received %d", len(s.Received()))
	}
}
