-- Reverts 0004_audit_log.
DROP TABLE audit_log_entries;
