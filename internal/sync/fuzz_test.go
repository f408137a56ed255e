package sync

import (
	"bytes"
	"encoding/gob"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"
)

// The seeds run in every `go test`; `make fuzz` explores further.

func FuzzParseBeacon(f *testing.F) {
	f.Add([]byte(`{"v":1,"device":"` + deviceN(7) + `","port":28810}`))
	f.Add([]byte(`{"v":1,"device":"abc","port":1}`))
	f.Add([]byte(`{"v":1,"device":"` + deviceN(7) + `","port":-1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, ok := parseBeacon(b)
		if ok && (len(m.Device) != 64 || m.Port < 1 || m.Port > 65535 || m.V != 1) {
			t.Fatalf("accepted %q as %+v", b, m)
		}
	})
}

// encodeFrames is what a peer sends: frames gob-encoded back to back.
func encodeFrames(t testing.TB, fs ...frame) []byte {
	var buf bytes.Buffer
	enc := gob.NewEncoder(&buf)
	for _, f := range fs {
		if err := enc.Encode(f); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// FuzzFrameDecoder feeds arbitrary bytes to the receiving side of a
// connection, as an unpaired device could: it must never panic, hang or
// accept a frame over the pairing limit.
func FuzzFrameDecoder(f *testing.F) {
	f.Add(encodeFrames(f, frame{PairRequest: &pairRequest{Name: "Front desk", Proof: bytes.Repeat([]byte{1}, 32)}}))
	f.Add(encodeFrames(f, frame{Hello: &hello{DeviceID: deviceN(1), ClockMS: 1}}, frame{Ack: &ack{Error: "refused"}}))
	f.Add(encodeFrames(f, frame{PairRequest: &pairRequest{Name: string(bytes.Repeat([]byte("x"), 20_000))}}))
	f.Add([]byte{0xFB, 0x01, 0xC0, 0x00, 0x00, 0x00})
	f.Add([]byte{0xF7, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})
	f.Fuzz(func(t *testing.T, b []byte) {
		server, client := net.Pipe()
		defer server.Close()
		go func() {
			client.Write(b)
			client.Close()
		}()
		w := newWire(server, nil)
		w.limit.max = maxPairingFrame
		for range 4 {
			f, err := w.recv(2 * time.Second)
			if err != nil {
				return
			}
			if f.PairRequest != nil && len(f.PairRequest.Name)+len(f.PairRequest.Proof) > maxPairingFrame {
				t.Fatalf("a %d-byte pairing request passed the %d-byte limit", len(f.PairRequest.Name)+len(f.PairRequest.Proof), maxPairingFrame)
			}
		}
	})
}

// FuzzPairingRequest is the host's side of the pairing exchange as an
// unpaired device drives it: arbitrary bytes through the pairing-limited
// decoder, and whatever pairing request comes out checked against an open
// window. Only the proof of the window's code bound to this connection's
// exporter may open it; anything else counts as a wrong try, and three
// close the window.
func FuzzPairingRequest(f *testing.F) {
	const code = "7QX2MK9D4B1TZ8C"
	exporter := bytes.Repeat([]byte{0x5A}, 32)
	right := pairingProof(code, proofJoin, exporter)
	f.Add(encodeFrames(f, frame{PairRequest: &pairRequest{Name: "Front desk", Proof: right, WantSnapshot: true}}))
	f.Add(encodeFrames(f, frame{PairRequest: &pairRequest{Name: "Front desk", Proof: pairingProof(code, proofHost, exporter)}}))
	f.Add(encodeFrames(f, frame{PairRequest: &pairRequest{Name: "x", Proof: right[:31]}}))
	f.Add(encodeFrames(f, frame{PairRequest: &pairRequest{}}))
	f.Add(encodeFrames(f, frame{PairDone: &pairDone{PracticeID: "p"}}, frame{PairRequest: &pairRequest{Proof: right}}))
	f.Add(encodeFrames(f, frame{TabletPair: &tabletPair{}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		server, client := net.Pipe()
		defer server.Close()
		go func() {
			client.Write(b)
			client.Close()
		}()
		w := newWire(server, nil)
		w.limit.max = maxPairingFrame
		now := time.Unix(1_800_000_000, 0)
		s := &Service{cfg: Config{Now: func() time.Time { return now }}, log: slog.New(slog.DiscardHandler),
			pairing: &pairingWindow{code: code, expires: now.Add(PairingTTL)}}
		wrong := 0
		for range 4 {
			fr, err := w.recv(2 * time.Second)
			if err != nil {
				return
			}
			if fr.PairRequest == nil {
				continue
			}
			got, problem := s.proveCode("fuzz", fr.PairRequest.Proof, exporter)
			isRight := bytes.Equal(fr.PairRequest.Proof, right)
			switch {
			case problem == "" && (!isRight || got != code):
				t.Fatalf("proof %x opened the window (want only %x)", fr.PairRequest.Proof, right)
			case problem != "" && isRight && wrong < maxPairingTries:
				t.Fatalf("the right proof was refused: %s", problem)
			case problem == "":
				if s.pairing != nil {
					t.Fatal("the window stayed open after its code was used")
				}
				return
			}
			wrong++
			if wrong >= maxPairingTries && s.pairing != nil {
				t.Fatalf("the window is open after %d wrong proofs", wrong)
			}
		}
	})
}

// FuzzNormalizeCode: whatever is typed, a code that is accepted is 15
// characters of the code alphabet and normalizes to itself.
func FuzzNormalizeCode(f *testing.F) {
	for _, s := range []string{"7QX2M-K9D4B-1TZ8C", "7qx2m k9d4b 1tz8c", "OIL00-00000-00000", "7QX2M-K9D4B-1TZ8", "ÅÅÅÅÅ-ÅÅÅÅÅ-ÅÅÅÅÅ", "\t7QX2MK9D4B1TZ8C\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		norm, err := normalizeCode(typed)
		if err != nil {
			return
		}
		if len(norm) != codeLen || strings.Trim(norm, "0123456789ABCDEFGHJKMNPQRSTVWXYZ") != "" {
			t.Fatalf("%q normalized to %q", typed, norm)
		}
		if again, err := normalizeCode(norm); err != nil || again != norm {
			t.Fatalf("%q: normalizing %q again gave %q, %v", typed, norm, again, err)
		}
	})
}
