package sync

import (
	"bytes"
	"encoding/gob"
	"net"
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
