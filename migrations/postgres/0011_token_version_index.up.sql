-- 0011_token_version_index: the users whose sessions were ever ended, which every node of a
-- deployment re-reads each presence beat (a change the bus could not carry is caught up there),
-- without scanning every account.
CREATE INDEX users_token_version_idx ON users (id) WHERE token_version > 0;
