-- Quietdesk schema, version 18: when each paired machine was last seen
-- (devices.seen, replicated): set when it is paired, then by the machine
-- itself while it syncs, at most hourly. Every office computer reads the
-- same value, so every one raises the same "not seen for a day" alert.
-- NULL for machines paired before this version until they report.
ALTER TABLE devices ADD COLUMN seen_at INTEGER;
