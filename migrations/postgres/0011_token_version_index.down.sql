DROP INDEX users_token_version_idx;
