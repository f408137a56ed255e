// Package patients keeps the in-memory patient search index. Names, phones
// and dates of birth are sealed on disk, so search cannot use SQL; the index
// is built from the decrypted records at unlock and kept current on every
// write. A practice of 10,000 patients fits in a few megabytes.
package patients

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"quietdesk/internal/practice"
)

// Entry is what the index returns: enough for a result row.
type Entry struct {
	ID            string
	FirstName     string
	LastName      string
	PreferredName string
	DOB           string
	Phone         string
	Active        bool

	names   []string // folded name words
	digits  string   // phone digits
	sortKey string
}

// Index is safe for concurrent use.
type Index struct {
	mu      sync.RWMutex
	entries map[string]*Entry
	sorted  []*Entry // by last name, first name; rebuilt lazily
	dirty   bool
}

// NewIndex builds an index of patients.
func NewIndex(list []practice.Patient) *Index {
	ix := &Index{entries: make(map[string]*Entry, len(list)), dirty: true}
	for i := range list {
		ix.entries[list[i].ID] = newEntry(&list[i])
	}
	return ix
}

// fold lower-cases and strips accents, so "José" matches "jose". Most
// names are ASCII and skip the (allocating) Unicode transform.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, strings.ToLower(s))
	if err != nil {
		return strings.ToLower(s)
	}
	return out
}

func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// nameWords splits a folded name where a person may type it in parts:
// "young-jones" and "o'brien" are found by "jones" and "brien" too.
func nameWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' || r == '\'' })
}

func newEntry(p *practice.Patient) *Entry {
	id := p.Identity
	e := &Entry{ID: p.ID, FirstName: id.FirstName, LastName: id.LastName, PreferredName: id.PreferredName,
		DOB: id.DOB, Phone: p.Contact.Phone, Active: p.Active, digits: digitsOf(p.Contact.Phone)}
	for _, n := range []string{id.FirstName, id.LastName, id.PreferredName} {
		e.names = append(e.names, nameWords(fold(n))...)
	}
	e.sortKey = fold(id.LastName + "\x00" + id.FirstName)
	return e
}

// Put adds or replaces a patient.
func (ix *Index) Put(p *practice.Patient) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.entries[p.ID] = newEntry(p)
	ix.dirty = true
}

// Get returns the entry of one patient.
func (ix *Index) Get(id string) (Entry, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	e, ok := ix.entries[id]
	if !ok {
		return Entry{}, false
	}
	return *e, true
}

// Len is the number of patients indexed.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.entries)
}

// Search returns up to limit patients matching query, sorted by name, and
// how many match in all. A query matches when every word of it matches: a
// name word prefix, a run of 3+ phone digits, or a date of birth
// (YYYY-MM-DD, or MM/DD/YYYY). An empty query lists patients alphabetically.
func (ix *Index) Search(query string, limit int) ([]Entry, int) {
	terms := strings.Fields(fold(query))
	ix.mu.Lock()
	if ix.dirty {
		ix.sorted = ix.sorted[:0]
		for _, e := range ix.entries {
			ix.sorted = append(ix.sorted, e)
		}
		sort.Slice(ix.sorted, func(i, j int) bool {
			if ix.sorted[i].sortKey != ix.sorted[j].sortKey {
				return ix.sorted[i].sortKey < ix.sorted[j].sortKey
			}
			return ix.sorted[i].ID < ix.sorted[j].ID
		})
		ix.dirty = false
	}
	ix.mu.Unlock()

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var out []Entry
	total := 0
	for _, e := range ix.sorted {
		if matches(e, terms) {
			if total < limit {
				out = append(out, *e)
			}
			total++
		}
	}
	return out, total
}

func matches(e *Entry, terms []string) bool {
	for _, t := range terms {
		if !matchTerm(e, t) {
			return false
		}
	}
	return true
}

func matchTerm(e *Entry, t string) bool {
	if dob := normalizeDate(t); dob != "" {
		return e.DOB == dob
	}
	if d := digitsOf(t); len(d) >= 3 && strings.Trim(t, "0123456789()-. +") == "" {
		return strings.Contains(e.digits, d)
	}
	// A hyphenated or apostrophed word, typed whole ("young-jones"),
	// matches when each of its parts does, as the index holds them apart.
	for _, part := range nameWords(strings.Trim(t, ",")) {
		if !slices.ContainsFunc(e.names, func(n string) bool { return strings.HasPrefix(n, part) }) {
			return false
		}
	}
	return true
}

// normalizeDate turns 1984-03-27 or 3/27/1984 into 1984-03-27; "" if t is
// not a full date.
func normalizeDate(t string) string {
	if len(t) == 10 && t[4] == '-' && t[7] == '-' && digitsOf(t) == t[:4]+t[5:7]+t[8:] {
		return t
	}
	parts := strings.Split(t, "/")
	if len(parts) == 3 && len(parts[2]) == 4 && digitsOf(t) == strings.Join(parts, "") && len(parts[0]) <= 2 && len(parts[1]) <= 2 && parts[0] != "" && parts[1] != "" {
		pad := func(s string) string {
			if len(s) == 1 {
				return "0" + s
			}
			return s
		}
		return parts[2] + "-" + pad(parts[0]) + "-" + pad(parts[1])
	}
	return ""
}
