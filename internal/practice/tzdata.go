package practice

// Practices name their time zone in IANA form ("America/Chicago"). Linux and
// macOS ship that database; Windows does not, so without this embedded copy
// (about 450 kB) time.LoadLocation fails there and no practice can be created
// or opened on a Windows machine.
import _ "time/tzdata"
