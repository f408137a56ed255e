package store

// The digest: one hash of all replicated data, equal on two machines
// exactly when their data is.

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"

	"quietdesk/internal/practice"
)

// Digest is a hash of every replicated row, column by column with its
// SQLite type: two machines' digests are equal exactly when their
// replicated data is. It needs no key (sealed columns are hashed sealed).
func (db *DB) Digest(ctx context.Context) (string, error) {
	_, d, err := db.VectorAndDigest(ctx)
	return d, err
}

// VectorAndDigest reads the vector and the digest in one transaction. A
// comparison with a peer needs both from the same moment: a write that
// commits between reading one and the other makes machines holding the
// same changes look different.
func (db *DB) VectorAndDigest(ctx context.Context) (Vector, string, error) {
	if db.sql == nil {
		return nil, "", practice.Errorf(practice.ENotFound, "There is no practice in this data folder.")
	}
	tables := make([]string, 0, len(schema))
	for t := range schema {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	var v Vector
	var digest string
	err := db.run(ctx, false, false, func(tx *Tx) error {
		var err error
		if v, err = vectorOf(ctx, tx.sql); err != nil {
			return err
		}
		h := sha256.New()
		for _, t := range tables {
			if err := hashTable(ctx, tx.sql, t, h); err != nil {
				return err
			}
		}
		digest = hex.EncodeToString(h.Sum(nil))
		return nil
	})
	return v, digest, err
}

func hashTable(ctx context.Context, q querier, table string, h interface{ Write([]byte) (int, error) }) error {
	rows, err := q.QueryContext(ctx, "SELECT * FROM "+table+" ORDER BY id")
	if err != nil {
		return fmt.Errorf("store: digest %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	field := func(tag byte, b []byte) {
		var n [9]byte
		n[0] = tag
		binary.BigEndian.PutUint64(n[1:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	field('T', []byte(table))
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("store: digest %s: %w", table, err)
		}
		for _, v := range vals {
			switch v := v.(type) {
			case nil:
				field('N', nil)
			case int64:
				field('I', strconv.AppendInt(nil, v, 10))
			case float64:
				field('F', strconv.AppendFloat(nil, v, 'g', -1, 64))
			case []byte:
				field('B', v)
			case string:
				field('S', []byte(v))
			default:
				field('?', fmt.Append(nil, v))
			}
		}
	}
	return rows.Err()
}
