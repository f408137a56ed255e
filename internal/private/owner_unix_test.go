//go:build !windows

package private_test

import (
	"testing"

	"quietdesk/internal/private"
)

func assertOwnerOnly(t *testing.T, path string) {
	t.Helper()
	if err := private.Check(path); err != nil {
		t.Error(err)
	}
}
