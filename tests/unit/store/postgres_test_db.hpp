// tests/unit/store/postgres_test_db.hpp — throwaway databases on the test PostgreSQL server
// named by CHAT_TEST_DATABASE_URL (scripts/services.sh start DIR writes it to DIR/env). Without
// that variable every PostgreSQL test fails with a message saying so: they never skip.
// Databases are dropped once the test that created them has ended, and at exit. Thread-safe.
#pragma once

#include <functional>
#include <string>

namespace chat::store::testing {

// The admin URL, or "" after recording a test failure that says how to set it.
std::string TestServerUrl();

// Creates an empty database with a unique name and returns a libpq connection string for it,
// or "" after recording a test failure.
std::string CreateTestDatabase();

// Like CreateTestDatabase, but a copy of one database that `prepare(url)` was run on once per
// process (e.g. migrated), which is much quicker than preparing each. "" after a failure (also
// when `prepare` returns false).
std::string CreatePreparedTestDatabase(const std::function<bool(const std::string&)>& prepare);

// Runs `sql` (no parameters) on the admin connection, in database `database_url` when given;
// returns the first column of the first row ("" when none), or records a failure.
std::string AdminQuery(const std::string& sql, const std::string& database_url = "");

}  // namespace chat::store::testing
