package calendar

import (
	"cmp"
	"slices"
	"sort"
	"time"
)

// span is a busy span in Unix nanoseconds: plain integers sort and compare
// several times faster than time.Time, and hold no pointers for the
// garbage collector to scan.
type span struct{ start, end int64 }

// overlaps reports whether two half-open spans share time: touching
// (one ends as the other starts) is not overlapping.
func overlaps(aStart, aEnd, bStart, bEnd time.Time) bool {
	return aStart.Before(bEnd) && bStart.Before(aEnd)
}

func spanOf(start, end time.Time) span { return span{start.UnixNano(), end.UnixNano()} }

// timeline is the busy time of one clinician or room: disjoint spans in
// order, so a question about any span is a binary search.
type timeline []span

// newTimeline sorts and merges spans in place. An empty or inverted span
// (bad data) is dropped rather than allowed to hide the spans after it.
func newTimeline(spans []span) timeline {
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	merged := spans[:0]
	for _, s := range spans {
		if s.end <= s.start {
			continue
		}
		if n := len(merged); n > 0 && s.start <= merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, s.end)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// busyUntil reports whether [start, end) overlaps the busy time, and if so
// when the busy span in the way ends.
func (tl timeline) busyUntil(start, end time.Time) (time.Time, bool) {
	s, e := start.UnixNano(), end.UnixNano()
	i := sort.Search(len(tl), func(i int) bool { return tl[i].end > s })
	if i < len(tl) && tl[i].start < e {
		return time.Unix(0, tl[i].end), true
	}
	return time.Time{}, false
}
