// store/sqlite/sqlite_migration_backend.hpp — MigrationBackend over one SQLite connection. Each
// migration runs with foreign-key enforcement off (SQLite's procedure for schema changes, so a
// table can be rebuilt), then `PRAGMA foreign_key_check` must pass before COMMIT.
// Used by one thread at a time (the store's writer during open, or `chat-server migrate`).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "store/migrator.hpp"
#include "store/sqlite/sqlite_db.hpp"

namespace chat::store::sqlite {

class SqliteMigrationBackend : public MigrationBackend {
 public:
  // Borrows `conn`, which must outlive the backend.
  explicit SqliteMigrationBackend(Connection& conn) : conn_(conn) {}
  // Owns `conn`.
  explicit SqliteMigrationBackend(std::unique_ptr<Connection> conn)
      : owned_(std::move(conn)), conn_(*owned_) {}

  Result<void> EnsureMigrationsTable() override;
  Result<std::vector<AppliedMigration>> ListApplied() override;
  Result<void> ApplyUp(const Migration& migration) override;
  Result<void> ApplyDown(const Migration& migration) override;
  Result<std::string> DumpSchema() override;

 private:
  Result<void> RunWithoutForeignKeys(const Migration& migration, bool up);

  std::unique_ptr<Connection> owned_;
  Connection& conn_;
};

}  // namespace chat::store::sqlite
