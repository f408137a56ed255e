// Package calendar holds the calendar's pure rules: how a series repeats,
// what a booking clashes with, how an appointment moves through its life,
// where the next free slot is, who on the waitlist fits an opened slot, and
// the two documents a clinician takes away (the iCalendar feed and the
// printed day schedule). It touches no database and reads no clock: the
// calendar service passes in what it loaded and the time of its
// transaction.
package calendar
