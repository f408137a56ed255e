-- Quietdesk schema, version 17: each staff member's own e-mail address
-- and which staff e-mail they want (alerts as they arise, the weekly
-- digest). A group of its own, sealed: the address is personal data, and a
-- person changing their preferences must not clash with the owner editing
-- their name or role on another machine.
ALTER TABLE accounts ADD COLUMN mail BLOB;
