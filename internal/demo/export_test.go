package demo

// ClosedOn is closedOn, for the external tests.
var ClosedOn = closedOn
