package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"quietdesk/internal/backups"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/sync"
	"quietdesk/internal/wiring"
)

// The running hub holds its data folder, so `pair open` and `digest` ask
// it instead, over an admin channel only the folder's owner can reach: a
// Unix socket in the folder (control_unix.go), a named pipe whose access
// list names the user alone on Windows (control_windows.go).

// serveControl answers admin commands on the hub's admin channel until ctx
// ends. A hub without the channel (a path too long for a socket) still syncs.
func serveControl(ctx context.Context, dir string, db *store.DB, svc *sync.Service, program *wiring.Program, log *slog.Logger) {
	ln, err := listenControl(dir)
	if err != nil {
		log.Warn("admin socket unavailable; pair and digest need the hub stopped", "err", err)
		return
	}
	context.AfterFunc(ctx, func() { ln.Close() })
	refused := 0
	go func() { // closing the listener removes the socket file
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			if ok, err := peerIsOwner(conn); !ok {
				refused++
				log.Warn("admin socket: refused a connection from another user", "refused", refused, "err", err)
				fmt.Fprintln(conn, "err this socket answers only the user who runs the hub")
				conn.Close()
				continue
			}
			go answer(ctx, conn, db, svc, program)
		}
	}()
}

// answer runs one command: a line in, a line out ("ok …" or "err …").
func answer(ctx context.Context, conn net.Conn, db *store.DB, svc *sync.Service, program *wiring.Program) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return
	}
	reply := func(payload string, err error) {
		if err != nil {
			fmt.Fprintf(conn, "err %s\n", practice.ErrorMessage(err))
			return
		}
		fmt.Fprintf(conn, "ok %s\n", payload)
	}
	if user, password, ok := strings.Cut(strings.TrimSuffix(strings.TrimPrefix(line, "unlock "), "\n"), "\t"); ok && strings.HasPrefix(line, "unlock ") {
		// Not trimmed: a password may end in a space.
		reply("", unlockHub(ctx, db, svc, program, user, password))
		return
	}
	command, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
	switch command {
	case "backup":
		conn.SetDeadline(time.Now().Add(slowCommand))
		reply(arg, writeBackup(ctx, db, arg))
	case "backup-folder":
		reply("", backups.Choose(ctx, db, arg))
	case "backup-now":
		conn.SetDeadline(time.Now().Add(slowCommand))
		reply(backupNowOn(ctx, db))
	case "backup-drill":
		conn.SetDeadline(time.Now().Add(slowCommand))
		reply(drill(ctx, db))
	case "check":
		conn.SetDeadline(time.Now().Add(slowCommand))
		reply(db.IntegrityCheck(ctx))
	case "pair-open":
		p, err := svc.OpenPairing(ctx)
		reply(fmt.Sprintf("%s %s %s", p.Code, svc.Addr(), p.Expires.UTC().Format(time.RFC3339)), err)
	case "digest":
		reply(db.Digest(ctx))
	default:
		reply("", errors.New("unknown command"))
	}
}

// unlockHub loads the practice key into the hub's memory (never onto its
// disk) so it can send the practice's e-mail. Only an owner may: the hub
// then writes sealed rows with nobody at it. The login comes through the
// admin socket or, from an office computer's window, through sync. Errors:
// EWrongPassword, EForbidden.
func unlockHub(ctx context.Context, db *store.DB, svc *sync.Service, program *wiring.Program, user, password string) error {
	wasUnlocked := db.Unlocked()
	acct, err := unlock(ctx, db, user, password)
	if err != nil {
		return err
	}
	if acct.Role != practice.RoleOwner {
		if !wasUnlocked {
			db.Lock()
		}
		return practice.Errorf(practice.EForbidden, "Only an owner or manager may unlock the hub.")
	}
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.Audit(acct.ID, "hub.unlock", "", "") }); err != nil {
		return err
	}
	// Tell the other machines now, not at the next report, and send what
	// waited for the key.
	svc.KeyChanged()
	if err := program.ReportSender(ctx); err != nil {
		return err
	}
	go program.SendNow(context.WithoutCancel(ctx))
	return nil
}

// unlockRunningHub asks the hub running on a folder to load the practice
// key. The password travels over the admin channel, which only the
// folder's owner can open, never on a command line.
func unlockRunningHub(ctx context.Context, args []string, opts store.Options, stdout io.Writer) error {
	fs, dir := newFlags("unlock")
	user := fs.String("user", "", "an owner's username")
	pwFile := fs.String("password-file", "", "file holding the password")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *user == "" || strings.ContainsAny(*user, "\t\r\n") {
		return usageError("--user is required (one line)")
	}
	pw, err := readPassword(*pwFile)
	if err != nil {
		return err
	}
	if strings.ContainsAny(pw, "\r\n") {
		return practice.Errorf(practice.EInvalid, "The password file must hold the password on one line.")
	}
	db, err := openExisting(*dir, opts)
	if err == nil {
		db.Close()
		return practice.Errorf(practice.ENotFound, "No hub runs on %s: start `quietdesk hub` first, then unlock it.", *dir)
	}
	if !busy(err) {
		return err
	}
	if _, err := askHub(*dir, "unlock "+*user+"\t"+pw); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "the hub is unlocked: it holds the practice key in memory until it stops, and sends the practice's e-mail")
	return nil
}

// slowCommand bounds the admin commands that read the whole database
// (a backup or an integrity check of years of appointments).
const slowCommand = 15 * time.Minute

// askHub sends a command to the hub running on dir and returns its answer.
func askHub(dir, command string) (string, error) {
	conn, err := dialControl(dir)
	if err != nil {
		return "", practice.Errorf(practice.EBusy, "Another Quietdesk holds %s and no hub answers there. Close it first.", dir)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(slowCommand))
	fmt.Fprintln(conn, command)
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("cli: hub: %w", err)
	}
	status, payload, _ := strings.Cut(strings.TrimSpace(line), " ")
	if status != "ok" {
		return "", practice.Errorf(practice.EConflict, "The hub says: %s", payload)
	}
	return payload, nil
}

// busy reports a data folder held by another process (the hub).
func busy(err error) bool { return practice.ErrorCode(err) == practice.EBusy }
