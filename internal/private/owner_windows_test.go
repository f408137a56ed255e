//go:build windows

package private_test

import (
	"strings"
	"testing"

	"golang.org/x/sys/windows"

	"quietdesk/internal/private"
)

// underWine: Wine's ntdll exports wine_get_version; Windows' does not.
var underWine = windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil

func assertOwnerOnly(t *testing.T, path string) {
	t.Helper()
	err := private.Check(path)
	if !underWine {
		if err != nil {
			t.Error(err)
		}
		return
	}
	// Wine 8 keeps no access lists on files: it derives one from the Unix
	// mode and always adds SYSTEM (S-1-5-18). Setting the list must still
	// succeed, and Check must read the list Wine reports and name SYSTEM.
	if err == nil || !strings.Contains(err.Error(), "S-1-5-18") {
		t.Errorf("under Wine Check should name SYSTEM (S-1-5-18), got %v", err)
	}
	t.Logf("Wine stores no file access lists; owner-only is proven on Windows itself (%v)", err)
}
