package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"quietdesk/internal/authorizations"
	"quietdesk/internal/billing"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// exportClaims writes claims for billing services that script their
// uploads: --format 837p sends every claim not sent yet whose sessions fall
// from --from to --to and that the scrubber passes (the rest are counted
// on stdout, never named), moving them to exported exactly as the window
// does; --format csv writes the claims' lines. Authorized like the patient
// export (owners and billers), and audited: the audit entry (and, for the
// 837P, the claims' new state) commits before a byte is written to --out.
func exportClaims(ctx context.Context, args []string, opts store.Options, stdout io.Writer) error {
	fs, dir := newFlags("export claims")
	user := fs.String("user", "", "staff username")
	pwFile := fs.String("password-file", "", "file holding the password")
	format := fs.String("format", "", "837p or csv")
	from := fs.String("from", "", "first date of service, YYYY-MM-DD")
	to := fs.String("to", "", "last date of service, YYYY-MM-DD")
	out := fs.String("out", "", "file to write")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case *user == "":
		return usageError("--user is required")
	case *format != "837p" && *format != "csv":
		return usageError("--format must be 837p or csv")
	case *out == "":
		return usageError("--out is required")
	}
	for _, d := range []string{*from, *to} {
		if _, err := time.Parse(time.DateOnly, d); d != "" && err != nil {
			return usageError("--from and --to are dates, YYYY-MM-DD")
		}
	}
	pw, err := readPassword(*pwFile)
	if err != nil {
		return err
	}
	db, err := openExisting(*dir, opts)
	if err != nil {
		return err
	}
	defer db.Close()
	acct, err := unlock(ctx, db, *user, pw)
	if err != nil {
		return err
	}
	if acct.Role != practice.RoleOwner && acct.Role != practice.RoleBiller {
		return practice.Errorf(practice.EForbidden, "Only an owner or biller may export claims.")
	}
	by := practice.Actor{AccountID: acct.ID}
	svc := billing.NewService(authorizations.NewService(), billing.DefaultRules())
	var data bytes.Buffer
	var sent, held int
	err = db.Update(ctx, func(tx *store.Tx) error {
		if *format == "csv" {
			if err := tx.Audit(acct.ID, "billing.export.claims", "", ""); err != nil {
				return err
			}
			_, err := billing.ClaimsCSV(&data, tx, *from, *to)
			return err
		}
		ids, blocked, err := svc.Exportable(tx, by, *from, *to)
		if err != nil {
			return err
		}
		held = blocked
		if len(ids) == 0 {
			return nil
		}
		res, err := svc.Export837(tx, by, ids)
		if err != nil {
			return err
		}
		sent = len(res.ClaimIDs)
		data.Write(res.Data)
		return nil
	})
	if err != nil {
		return err
	}
	if *format == "837p" && sent == 0 {
		fmt.Fprintf(stdout, "no claims to send (%d held back by the scrubber's errors)\n", held)
		return nil
	}
	if err := writeFileAtomic(*out, data.Bytes()); err != nil {
		return err
	}
	if *format == "837p" {
		fmt.Fprintf(stdout, "%d claims written to %s; %d held back by the scrubber's errors\n", sent, *out, held)
	}
	return nil
}

// writeFileAtomic writes data to path through a temporary file in the same
// folder, so a reader never sees half a claim file.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".quietdesk-export-*")
	if err != nil {
		return fmt.Errorf("cannot write the export there: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
