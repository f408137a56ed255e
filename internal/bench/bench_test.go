package bench_test

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"quietdesk/internal/demo"
	"quietdesk/internal/patients"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	lansync "quietdesk/internal/sync"
	"quietdesk/internal/vault"
)

// The large demo practice is made once into $QUIETDESK_BENCH_DEMO/data
// with the real calibrated store.KDFTarget (this package never lowers it)
// and reused while $QUIETDESK_BENCH_DEMO/meta.txt says it was completed.
const (
	demoEnv  = "QUIETDESK_BENCH_DEMO"
	demoSeed = 1
	// demoFormat changes when the demo's content changes (2: schedules, 4:
	// credentialing, 5: authorizations, 6: no sessions on closure days, 7:
	// claims over the whole history), so
	// a cached practice from an earlier version is made again.
	demoFormat = "7"
	metaFile   = "meta.txt"
	dataSubdir = "data"

	searchLimit   = 200 // app.searchLimit
	searchQueries = 500
)

var (
	demoOnce  sync.Once
	demoDir   string // this process's copy of the cached demo; TestMain removes it
	demoLogin demo.Login
	demoErr   error
)

// largeDemo returns the data folder of the large demo practice and its
// owner's login, creating the cached practice on first use. Every test
// process works on its own fresh copy: signing in and reading write audit
// entries, and a cache that grew with every run would measure a different
// practice each time.
func largeDemo(b *testing.B) (string, demo.Login) {
	b.Helper()
	cache := os.Getenv(demoEnv)
	if cache == "" {
		b.Skipf("set %s to a cache folder for the large demo practice (scripts/bench.sh does)", demoEnv)
	}
	demoOnce.Do(func() {
		var cached string
		if cached, demoLogin, demoErr = ensureDemo(cache); demoErr != nil {
			return
		}
		if demoDir, demoErr = os.MkdirTemp("", "quietdesk-bench-demo-"); demoErr == nil {
			demoErr = copyData(cached, demoDir)
		}
	})
	if demoErr != nil {
		b.Fatal(demoErr)
	}
	return demoDir, demoLogin
}

// copyData copies the files of a data folder into the folder to, made if
// missing: the database and its WAL, not the sync identity (a copy is
// another machine only when it says so) nor the lock.
func copyData(from, to string) error {
	if err := os.MkdirAll(to, 0o700); err != nil {
		return err
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() || e.Name() == lansync.IdentityFile || strings.HasSuffix(e.Name(), ".lock") {
			continue
		}
		if err := copyFile(filepath.Join(from, e.Name()), filepath.Join(to, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

func ensureDemo(cache string) (string, demo.Login, error) {
	data := filepath.Join(cache, dataSubdir)
	if meta, err := readMeta(filepath.Join(cache, metaFile)); err == nil && meta["username"] != "" &&
		meta["seed"] == strconv.Itoa(demoSeed) && meta["format"] == demoFormat {
		// The store's format changes during development: a cache the
		// current store cannot open is made again.
		db, err := store.Open(data, opts)
		if err == nil && db.Exists() {
			db.Close()
			return data, demo.Login{Username: meta["username"], Password: meta["password"]}, nil
		}
		if err == nil {
			db.Close()
		}
		fmt.Fprintf(os.Stderr, "bench: the cached large demo cannot be opened (%v); making it again\n", err)
	}
	// Missing, incomplete or unreadable: start again from an empty folder.
	os.Remove(filepath.Join(cache, metaFile))
	if err := os.RemoveAll(data); err != nil {
		return "", demo.Login{}, err
	}
	db, err := store.Open(data, opts)
	if err != nil {
		return "", demo.Login{}, err
	}
	start := time.Now()
	login, err := demo.Create(context.Background(), db, demo.Large, demoSeed)
	took := time.Since(start)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", demo.Login{}, fmt.Errorf("large demo: %w", err)
	}
	meta := fmt.Sprintf("seed %d\nformat %s\nsize %s\ncreate_seconds %.1f\ncreated %s\nusername %s\npassword %s\n",
		demoSeed, demoFormat, demo.Large, took.Seconds(), time.Now().UTC().Format(time.RFC3339), login.Username, login.Password)
	if err := os.WriteFile(filepath.Join(cache, metaFile), []byte(meta), 0o600); err != nil {
		return "", demo.Login{}, err
	}
	return data, login, nil
}

func readMeta(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), " "); ok {
			m[k] = v
		}
	}
	return m, sc.Err()
}

// slotParams reads the Argon2id parameters of a staff key slot straight
// from the file (they are stored in plain; the store only writes them).
func slotParams(b *testing.B, dir string) vault.Params {
	b.Helper()
	var js []byte
	if err := rawDemo(b, dir).QueryRow("SELECT slot FROM accounts WHERE slot IS NOT NULL AND deleted = 0 LIMIT 1").Scan(&js); err != nil {
		b.Fatal(err)
	}
	var slot vault.Slot
	if err := json.Unmarshal(js, &slot); err != nil {
		b.Fatal(err)
	}
	return slot.Params
}

// rawDemo opens the demo's database file read-only, without the store,
// for what is stored in plain (ids, key slot parameters).
func rawDemo(b *testing.B, dir string) *sql.DB {
	b.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, store.FileName)+"?mode=ro")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// opts sends the store's error log to stderr, so a failure says why.
var opts = store.Options{AppVersion: "bench", Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// BenchmarkUnlock is what a login costs on the large practice: open the
// database, derive the key from the password (Argon2id at the parameters
// calibrated when the practice was made), decrypt every patient and build
// the search index, sorted (the patient list shows it at once).
func BenchmarkUnlock(b *testing.B) {
	dir, login := largeDemo(b)
	params := slotParams(b, dir)
	ctx := context.Background()
	var open, unlock, decrypt, index time.Duration
	var count int
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		db, err := store.Open(dir, opts)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := db.Unlock(ctx, login.Username, login.Password); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		var list []practice.Patient
		if err := db.View(ctx, func(tx *store.Tx) error {
			list, err = tx.Patients()
			return err
		}); err != nil {
			b.Fatal(err)
		}
		t3 := time.Now()
		ix := patients.NewIndex(list)
		ix.Search("", searchLimit)
		t4 := time.Now()
		open, unlock, decrypt, index = open+t1.Sub(t0), unlock+t2.Sub(t1), decrypt+t3.Sub(t2), index+t4.Sub(t3)
		count = ix.Len()
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	n := float64(b.N)
	b.ReportMetric(ms(open)/n, "open-ms")
	b.ReportMetric(ms(unlock)/n, "argon2-unlock-ms")
	b.ReportMetric(ms(decrypt)/n, "decrypt-ms")
	b.ReportMetric(ms(index)/n, "index-ms")
	b.ReportMetric(ms(open+unlock+decrypt+index)/n, "total-ms")
	b.ReportMetric(float64(count), "patients")
	b.ReportMetric(float64(params.Memory)/1024, "argon2-MiB")
	b.ReportMetric(float64(params.Time), "argon2-t")
	b.ReportMetric(float64(params.Threads), "argon2-p")
	b.ReportMetric(ms(store.KDFTarget), "kdf-target-ms")
}

type query struct{ kind, text string }

var queryKinds = []string{"last", "first+last", "phone", "dob", "miss"}

// makeQueries draws realistic queries from the practice's own patients:
// last-name prefixes as typed (1-5 letters), first name and last-name
// prefix, phone fragments (last four digits, area code and exchange, the
// whole number), dates of birth in both accepted forms, and a few queries
// that match no one (which scan the whole index).
func makeQueries(list []practice.Patient, n int) []query {
	r := rand.New(rand.NewPCG(demoSeed, 7))
	prefix := func(s string, k int) string {
		rs := []rune(s)
		return string(rs[:min(k, len(rs))])
	}
	out := make([]query, 0, n)
	for len(out) < n {
		p := list[r.IntN(len(list))]
		id := p.Identity
		var q query
		switch x := r.IntN(100); {
		case x < 30:
			q = query{"last", prefix(id.LastName, 1+r.IntN(5))}
		case x < 55:
			q = query{"first+last", id.FirstName + " " + prefix(id.LastName, 2+r.IntN(6))}
		case x < 75:
			d := strings.Map(func(c rune) rune {
				if c >= '0' && c <= '9' {
					return c
				}
				return -1
			}, p.Contact.Phone)
			if len(d) < 10 {
				continue
			}
			switch r.IntN(3) {
			case 0:
				q = query{"phone", d[len(d)-4:]}
			case 1:
				q = query{"phone", "(" + d[:3] + ") " + d[3:6]}
			default:
				q = query{"phone", p.Contact.Phone}
			}
		case x < 95:
			t, err := time.Parse(time.DateOnly, id.DOB)
			if err != nil {
				continue
			}
			if r.IntN(2) == 0 {
				q = query{"dob", id.DOB}
			} else {
				q = query{"dob", fmt.Sprintf("%d/%d/%d", t.Month(), t.Day(), t.Year())}
			}
		default:
			q = query{"miss", "qz" + prefix(strings.ToLower(id.LastName), 3)}
		}
		out = append(out, q)
	}
	return out
}

func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

// BenchmarkSearch times each of a few hundred queries against the index
// of the large practice (built and sorted before the timer starts) and
// reports the latency distribution; an op is the whole query set.
func BenchmarkSearch(b *testing.B) {
	dir, login := largeDemo(b)
	ctx := context.Background()
	db, err := store.Open(dir, opts)
	if err != nil {
		b.Fatal(err)
	}
	var list []practice.Patient
	_, err = db.Unlock(ctx, login.Username, login.Password)
	if err == nil {
		err = db.View(ctx, func(tx *store.Tx) error {
			list, err = tx.Patients()
			return err
		})
	}
	db.Close()
	if err != nil {
		b.Fatal(err)
	}
	ix := patients.NewIndex(list)
	ix.Search("", 1)
	queries := makeQueries(list, searchQueries)

	all := make([]time.Duration, 0, b.N*len(queries))
	byKind := map[string][]time.Duration{}
	results := 0
	b.ResetTimer()
	for range b.N {
		for _, q := range queries {
			t := time.Now()
			found, _ := ix.Search(q.text, searchLimit)
			d := time.Since(t)
			all = append(all, d)
			byKind[q.kind] = append(byKind[q.kind], d)
			results += len(found)
		}
	}
	b.StopTimer()
	slices.Sort(all)
	b.ReportMetric(float64(len(queries)), "queries/op")
	b.ReportMetric(float64(ix.Len()), "patients")
	b.ReportMetric(float64(results)/float64(len(all)), "results/query")
	b.ReportMetric(ms(percentile(all, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(all, 95)), "p95-ms")
	b.ReportMetric(ms(all[len(all)-1]), "max-ms")
	for _, k := range queryKinds {
		d := byKind[k]
		slices.Sort(d)
		b.ReportMetric(ms(percentile(d, 95)), "p95-"+k+"-ms")
	}
}
