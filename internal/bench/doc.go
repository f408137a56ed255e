// Package bench holds the benchmarks that need the large demo practice
// (~10,000 patients): unlock with the calibrated Argon2id parameters plus
// building the search index, and search latency. It has no code of its
// own; the benchmarks are in bench_test.go and run only with -bench and
// QUIETDESK_BENCH_DEMO set to a cache folder (scripts/bench.sh sets both).
package bench
