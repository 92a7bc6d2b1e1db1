// store/migrator.hpp — numbered schema migrations, shared by SQLite and PostgreSQL. A backend
// (MigrationBackend) knows how to run one migration's SQL and record it in schema_migrations in
// one transaction; the Migrator decides what to run, in which order. Not thread-safe: run it
// from one thread, before the store serves requests (or from `chat-server migrate`).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace chat::store {

// One migration as embedded in the binary (migrations/<db>/NNNN_name.{up,down}.sql).
struct Migration {
  int version = 0;  // NNNN
  std::string_view name;
  std::string_view up_sql;
  std::string_view down_sql;
};

// A row of schema_migrations(version, name, applied_at).
struct AppliedMigration {
  int version = 0;
  std::string name;
  std::int64_t applied_at_ms = 0;
};

struct MigrationStatus {
  int version = 0;
  std::string name;
  bool applied = false;
  std::optional<std::int64_t> applied_at_ms;
  bool known = true;  // false: recorded in the database but not embedded in this binary
};

// What a database provides to the Migrator.
class MigrationBackend {
 public:
  virtual ~MigrationBackend() = default;

  // Creates schema_migrations(version, name, applied_at) if missing.
  [[nodiscard]] virtual Result<void> EnsureMigrationsTable() = 0;
  // Rows of schema_migrations, ascending by version.
  [[nodiscard]] virtual Result<std::vector<AppliedMigration>> ListApplied() = 0;
  // In ONE transaction: runs migration.up_sql (several statements) and records the version.
  [[nodiscard]] virtual Result<void> ApplyUp(const Migration& migration) = 0;
  // In ONE transaction: runs migration.down_sql and erases the version.
  [[nodiscard]] virtual Result<void> ApplyDown(const Migration& migration) = 0;
  // The schema as text, stable across runs (for tests: up, down all, up gives the same text).
  // Excludes schema_migrations.
  [[nodiscard]] virtual Result<std::string> DumpSchema() = 0;
  // Brackets a Migrator run; PostgreSQL takes an advisory lock so that nodes starting together
  // do not race. The default does nothing.
  [[nodiscard]] virtual Result<void> Lock() { return {}; }
  virtual void Unlock() {}
};

class Migrator {
 public:
  // `migrations` must outlive the Migrator (the embedded tables are static).
  Migrator(MigrationBackend& backend, std::span<const Migration> migrations);

  // Applies every pending migration in ascending version order; returns how many ran. Stops
  // at the first failure (earlier ones stay applied, the failed one is rolled back).
  [[nodiscard]] Result<int> Up();
  // Reverts the `n` newest applied migrations, newest first; returns how many were reverted.
  // Error::Internal if an applied version is not embedded in this binary.
  [[nodiscard]] Result<int> Down(int n);
  [[nodiscard]] Result<int> DownAll();
  // Every embedded migration and every recorded one, ascending by version.
  [[nodiscard]] Result<std::vector<MigrationStatus>> Status();

 private:
  MigrationBackend& backend_;
  std::vector<Migration> migrations_;  // sorted by version
};

}  // namespace chat::store
