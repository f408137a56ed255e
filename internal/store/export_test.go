package store

// KnowTable adds a replicated table to the schema for one test, as a newer
// version would, and returns the function that removes it.
func KnowTable(table string, groups map[string][]string) func() {
	g := map[string]group{}
	for name, cols := range groups {
		g[name] = group{plain: cols}
	}
	schema[table] = g
	return func() { delete(schema, table) }
}

// Decryptions is how many sealed groups the database has opened.
func (db *DB) Decryptions() int64 { return db.opened.Load() }

// TestGroup declares a field group of a table a test adds.
type TestGroup struct {
	Plain  []string
	Policy Policy
	Order  []string
}

// KnowGroups adds a replicated table with declared merge policies for one
// test and returns the function that removes it.
func KnowGroups(table string, groups map[string]TestGroup) func() {
	g := map[string]group{}
	for name, tg := range groups {
		g[name] = group{plain: tg.Plain, policy: tg.Policy, order: tg.Order}
	}
	schema[table] = g
	return func() { delete(schema, table) }
}

// Create, Put and Tombstone expose the write path to tests of tables the
// store has no methods for yet.
func (tx *Tx) Create(table, rowID string, groups map[string][]any) error {
	var ws []write
	for grp, plain := range groups {
		ws = append(ws, write{grp: grp, plain: plain})
	}
	return tx.create(table, rowID, ws)
}

func (tx *Tx) Put(table, rowID, grp string, plain ...any) error {
	return tx.put(table, rowID, grp, plain, nil)
}

func (tx *Tx) Tombstone(table, rowID string) error { return tx.tombstone(table, rowID) }

// OnRestoreStep calls fn at each step of a restore, and merges salvaged
// changes n at a time, for one test (a child process that kills itself).
func OnRestoreStep(n int, fn func(step string)) {
	restoreBatch = n
	restorePoint = fn
}

// SealedColumns lists every sealed group's column as "table.column": the
// columns whose values the store seals before they reach SQLite.
func SealedColumns() map[string]bool {
	out := map[string]bool{}
	for table, groups := range schema {
		for name, g := range groups {
			if g.sealed {
				out[table+"."+name] = true
			}
		}
	}
	return out
}

// PauseCheckpoints holds off the background checkpointer until resume.
func (db *DB) PauseCheckpoints() (resume func(live bool)) { return db.pauseCheckpoints() }
