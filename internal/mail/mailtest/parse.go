package mailtest

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
)

// Parse reads a received message back with the standard library's own
// parsers, independent of how it was composed: its header, and each leaf
// part's decoded body by media type ("text/plain", "text/html",
// "text/calendar"). Quoted-printable is decoded by multipart, base64 here.
func Parse(data []byte) (mail.Header, map[string]string, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return nil, nil, err
	}
	parts := map[string]string{}
	return msg.Header, parts, leaves(msg.Header.Get("Content-Type"), msg.Body, parts)
}

func leaves(contentType string, body io.Reader, out map[string]string) error {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(mt, "multipart/") {
		b, err := io.ReadAll(body)
		out[mt] = string(b)
		return err
	}
	r := multipart.NewReader(body, params["boundary"])
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		var sub io.Reader = p
		if p.Header.Get("Content-Transfer-Encoding") == "base64" {
			sub = base64.NewDecoder(base64.StdEncoding, p)
		}
		if err := leaves(p.Header.Get("Content-Type"), sub, out); err != nil {
			return err
		}
	}
}
