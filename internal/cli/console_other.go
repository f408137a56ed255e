//go:build !windows

package cli

// UseParentConsole matters only on Windows (console_windows.go): Unix
// programs always have their terminal's standard handles.
func UseParentConsole() {}
