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

// OnRestoreStep calls fn at each step of a restore, and merges salvaged
// changes n at a time, for one test (a child process that kills itself).
func OnRestoreStep(n int, fn func(step string)) {
	restoreBatch = n
	restorePoint = fn
}
