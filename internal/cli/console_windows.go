//go:build windows

package cli

import (
	"os"

	"golang.org/x/sys/windows"
)

var attachConsole = windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")

// UseParentConsole lets a subcommand typed in cmd.exe or PowerShell print
// there. Quietdesk.exe is a GUI program (no console window flashes when the
// window opens), and Windows starts GUI programs without standard handles,
// so without this `quietdesk check` would print nothing. Attaching to the
// parent's console also brings its Ctrl-C to the hub as os.Interrupt.
// Handles that are already set (redirected to a file or a pipe, as in the
// Wine test, a script or the scheduled task's log) are left alone.
func UseParentConsole() {
	const attachParentProcess = ^uintptr(0) // ATTACH_PARENT_PROCESS, (DWORD)-1
	missing := func(std uint32) bool {
		h, err := windows.GetStdHandle(std)
		return err != nil || h == 0 || h == windows.InvalidHandle
	}
	out, errOut := missing(windows.STD_OUTPUT_HANDLE), missing(windows.STD_ERROR_HANDLE)
	if !out && !errOut {
		return
	}
	if ok, _, _ := attachConsole.Call(attachParentProcess); ok == 0 {
		return // started from Explorer or a shortcut: nowhere to print
	}
	con, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0)
	if err != nil {
		return
	}
	if out {
		os.Stdout = con
		windows.SetStdHandle(windows.STD_OUTPUT_HANDLE, windows.Handle(con.Fd()))
	}
	if errOut {
		os.Stderr = con
		windows.SetStdHandle(windows.STD_ERROR_HANDLE, windows.Handle(con.Fd()))
	}
}
