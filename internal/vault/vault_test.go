package vault_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/vault"
)

func TestWrapUnwrap(t *testing.T) {
	dek, _ := vault.NewKey()
	slot, err := vault.Wrap([]byte("pw one two three"), dek, vault.Floor)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		got, err := slot.Unwrap([]byte("pw one two three"))
		if err != nil || !got.Equal(&dek) {
			t.Fatalf("unwrap: %v", err)
		}
	})
	t.Run("ErrWrongSecret", func(t *testing.T) {
		if _, err := slot.Unwrap([]byte("pw one two four")); !errors.Is(err, vault.ErrWrongSecret) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrWeakParams", func(t *testing.T) {
		weak := slot
		weak.Params.Time = 1
		if _, err := weak.Unwrap([]byte("pw one two three")); !errors.Is(err, vault.ErrWeakParams) {
			t.Fatalf("err = %v", err)
		}
		if _, err := vault.Wrap([]byte("x"), dek, vault.Params{Memory: 1024, Time: 1, Threads: 1}); !errors.Is(err, vault.ErrWeakParams) {
			t.Fatalf("wrap below floor: %v", err)
		}
	})
	t.Run("ErrRaisedParamsDoNotHelp", func(t *testing.T) {
		// Parameters are bound into the wrap: changing them in either
		// direction breaks the slot rather than silently re-deriving.
		other := slot
		other.Params.Time++
		if _, err := other.Unwrap([]byte("pw one two three")); !errors.Is(err, vault.ErrWrongSecret) {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestSealBindsLocation(t *testing.T) {
	dek, _ := vault.NewKey()
	s, _ := vault.NewSealer(dek, 1)
	ct, err := s.Seal([]byte("Zoë"), "patients", "identity", "row-1")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(ct, []byte("Zoë")) {
		t.Fatal("plaintext visible in ciphertext")
	}
	if pt, err := s.Open(ct, "patients", "identity", "row-1"); err != nil || string(pt) != "Zoë" {
		t.Fatalf("open: %q %v", pt, err)
	}
	for _, where := range [][3]string{{"patients", "identity", "row-2"}, {"patients", "contact", "row-1"}, {"clinicians", "identity", "row-1"}} {
		if _, err := s.Open(ct, where[0], where[1], where[2]); !errors.Is(err, vault.ErrTampered) {
			t.Fatalf("opened at %v: %v", where, err)
		}
	}
	flipped := bytes.Clone(ct)
	flipped[len(flipped)-1] ^= 1
	if _, err := s.Open(flipped, "patients", "identity", "row-1"); !errors.Is(err, vault.ErrTampered) {
		t.Fatalf("bit flip opened: %v", err)
	}
	other, _ := vault.NewKey()
	s2, _ := vault.NewSealer(other, 1)
	if _, err := s2.Open(ct, "patients", "identity", "row-1"); !errors.Is(err, vault.ErrTampered) {
		t.Fatal("opened with another key")
	}
}

func TestRecoveryKeyParsing(t *testing.T) {
	k, err := vault.NewRecoveryKey()
	if err != nil {
		t.Fatal(err)
	}
	if len(strings.Split(string(k), "-")) != 8 {
		t.Fatalf("key %q is not eight groups", k)
	}
	typed := strings.ToLower(strings.ReplaceAll(string(k), "-", " "))
	typed = strings.ReplaceAll(strings.ReplaceAll(typed, "0", "o"), "1", "l")
	got, err := vault.ParseRecoveryKey(typed)
	if err != nil || !bytes.Equal(got, k.Secret()) {
		t.Fatalf("typed variant %q: %v", typed, err)
	}
	for _, bad := range []string{"", "ABCD", strings.Repeat("U", 32)} {
		if _, err := vault.ParseRecoveryKey(bad); err == nil {
			t.Fatalf("accepted %q", bad)
		}
	}
}

func TestCalibrate(t *testing.T) {
	if p := vault.Calibrate(0); p != vault.Floor {
		t.Fatalf("zero target: %+v, want the floor", p)
	}
	p := vault.Calibrate(50 * time.Millisecond)
	if p.Memory != vault.Floor.Memory || p.Threads != vault.Floor.Threads || p.Time < vault.Floor.Time || p.Time > 64 {
		t.Fatalf("calibrated %+v: must keep the floor's memory and lanes and t in [3, 64]", p)
	}
}

// TestWrapperSealsManySlotsUnderOneDerivation: every slot a Wrapper seals
// opens with its secret and no other, under the one salt, each with its
// own nonce; a wiped Wrapper's key is gone.
func TestWrapperSealsManySlotsUnderOneDerivation(t *testing.T) {
	dek, _ := vault.NewKey()
	w, err := vault.NewWrapper([]byte("published demo password"), vault.Floor)
	if err != nil {
		t.Fatal(err)
	}
	a, errA := w.Wrap(dek)
	b, errB := w.Wrap(dek)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if !bytes.Equal(a.Salt, b.Salt) || bytes.Equal(a.Wrapped, b.Wrapped) {
		t.Errorf("two slots of one Wrapper: salts equal %v (want true), sealed equal %v (want false)",
			bytes.Equal(a.Salt, b.Salt), bytes.Equal(a.Wrapped, b.Wrapped))
	}
	for _, s := range []vault.Slot{a, b} {
		if got, err := s.Unwrap([]byte("published demo password")); err != nil || !got.Equal(&dek) {
			t.Errorf("unwrap with the secret: %v", err)
		}
		if _, err := s.Unwrap([]byte("another password")); !errors.Is(err, vault.ErrWrongSecret) {
			t.Errorf("unwrap with another secret: %v", err)
		}
	}
	w.Wipe()
	c, err := w.Wrap(dek)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Unwrap([]byte("published demo password")); !errors.Is(err, vault.ErrWrongSecret) {
		t.Errorf("a slot sealed after Wipe opened with the secret: %v", err)
	}
	if _, err := vault.NewWrapper([]byte("x"), vault.Params{Memory: 1024, Time: 1, Threads: 1}); !errors.Is(err, vault.ErrWeakParams) {
		t.Errorf("a Wrapper below the floor: %v", err)
	}
}
