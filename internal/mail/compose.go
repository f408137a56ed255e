package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
)

// Content is what one message says.
type Content struct {
	Subject string
	Text    string // the plain-text part
	HTML    string // the HTML part; empty: text only
	// Calendar is an iCalendar file attached as invite.ics; nil: none.
	Calendar []byte
}

// Message is a composed message and its envelope.
type Message struct {
	Envelope Envelope
	Data     []byte
}

// Compose builds the MIME message from the relay's From and Reply-To to one
// recipient. id becomes the Message-ID's local part: the outbox passes its
// row id, so a message handed over twice (it never is, but a relay that
// received it twice) carries one Message-ID that mail systems deduplicate.
func Compose(r Relay, to, id string, date time.Time, c Content) (Message, error) {
	from, err := parseAddress(r.From)
	if err != nil {
		return Message{}, fmt.Errorf("mail: from: %w", err)
	}
	rcpt, err := parseAddress(to)
	if err != nil {
		return Message{}, fmt.Errorf("mail: recipient address is not valid")
	}
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", from.String())
	if r.ReplyTo != "" {
		rt, err := parseAddress(r.ReplyTo)
		if err != nil {
			return Message{}, fmt.Errorf("mail: reply-to: %w", err)
		}
		h("Reply-To", rt.String())
	}
	h("To", rcpt.String())
	h("Subject", mime.QEncoding.Encode("utf-8", oneLine(c.Subject)))
	h("Date", date.Format(time.RFC1123Z))
	domain := from.Address[strings.LastIndex(from.Address, "@")+1:]
	h("Message-ID", "<"+id+"@"+domain+">")
	h("MIME-Version", "1.0")
	h("Auto-Submitted", "auto-generated")

	text := part{"text/plain; charset=utf-8", "quoted-printable", "", []byte(c.Text)}
	body := text
	if c.HTML != "" {
		body = multi("alternative", text, part{"text/html; charset=utf-8", "quoted-printable", "", []byte(c.HTML)})
	}
	if c.Calendar != nil {
		body = multi("mixed", body, part{"text/calendar; charset=utf-8; method=PUBLISH; name=\"invite.ics\"", "base64",
			"attachment; filename=\"invite.ics\"", c.Calendar})
	}
	body.write(&b)
	return Message{Envelope: Envelope{From: from.Address, To: rcpt.Address}, Data: b.Bytes()}, nil
}

// part is one MIME entity: a leaf (body set) or a multipart (its body
// already holds the encoded children).
type part struct {
	contentType, encoding, disposition string
	body                               []byte
}

func (p part) write(b *bytes.Buffer) {
	hdr := textproto.MIMEHeader{}
	hdr.Set("Content-Type", p.contentType)
	if p.encoding != "" {
		hdr.Set("Content-Transfer-Encoding", p.encoding)
	}
	if p.disposition != "" {
		hdr.Set("Content-Disposition", p.disposition)
	}
	for _, k := range []string{"Content-Type", "Content-Transfer-Encoding", "Content-Disposition"} {
		if v := hdr.Get(k); v != "" {
			fmt.Fprintf(b, "%s: %s\r\n", k, v)
		}
	}
	b.WriteString("\r\n")
	switch p.encoding {
	case "quoted-printable":
		w := quotedprintable.NewWriter(b)
		w.Write(crlf(p.body))
		w.Close()
		b.WriteString("\r\n")
	case "base64":
		enc := base64.StdEncoding.EncodeToString(p.body)
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n")
	default:
		b.Write(p.body)
	}
}

// multi wraps parts in a multipart entity with a fresh boundary.
func multi(kind string, parts ...part) part {
	var rnd [12]byte
	rand.Read(rnd[:])
	boundary := "qd-" + hex.EncodeToString(rnd[:])
	var b bytes.Buffer
	for _, p := range parts {
		b.WriteString("--" + boundary + "\r\n")
		p.write(&b)
	}
	b.WriteString("--" + boundary + "--\r\n")
	return part{contentType: "multipart/" + kind + "; boundary=\"" + boundary + "\"", body: b.Bytes()}
}

// crlf makes every line end in CRLF, as SMTP requires.
func crlf(b []byte) []byte {
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	return []byte(strings.ReplaceAll(s, "\n", "\r\n"))
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Address formats a display name and address for a To header.
func Address(name, addr string) string { return (&mail.Address{Name: name, Address: addr}).String() }
