package recoverykit_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/recoverykit"
	"quietdesk/internal/vault"
)

// TestRenderParsesBack renders a kit and reads its text back with
// poppler's pdftotext (installed by scripts/install-deps.sh): the key must
// be there exactly, with the non-ASCII practice name intact.
func TestRenderParsesBack(t *testing.T) {
	key, err := vault.NewRecoveryKey()
	if err != nil {
		t.Fatal(err)
	}
	name := "Søndergård & Nguyễn Counseling"
	pdf, err := recoverykit.Render(name, "olivia.owner", key, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "kit.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v (run scripts/install-deps.sh)", err)
	}
	text := string(out)
	for _, want := range []string{"Quietdesk Recovery Kit", name, string(key), "Created November 23, 2026", "Forgot every password?",
		`owner's username ("olivia.owner" when this kit was made)`} {
		if !strings.Contains(text, want) {
			t.Errorf("kit text lacks %q:\n%s", want, text)
		}
	}
	info, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(info), "Pages:           1") {
		t.Errorf("kit is not one page:\n%s", info)
	}
}
