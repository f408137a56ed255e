package backups

// AfterWrite lets the tests damage a backup between writing and checking.
var AfterWrite = &afterWrite
