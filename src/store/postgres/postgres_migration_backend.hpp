// store/postgres/postgres_migration_backend.hpp — MigrationBackend over one PostgreSQL
// connection. Each migration runs with its schema_migrations row in one transaction (PostgreSQL
// DDL is transactional), and Lock() takes a session advisory lock so that nodes starting
// together apply each migration once. Used by one thread at a time (the store during open, or
// `chat-server migrate`).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "store/migrator.hpp"
#include "store/postgres/postgres_db.hpp"

namespace chat::store::postgres {

class PostgresMigrationBackend : public MigrationBackend {
 public:
  // Borrows `conn`, which must outlive the backend.
  explicit PostgresMigrationBackend(Connection& conn) : conn_(conn) {}
  // Owns `conn`.
  explicit PostgresMigrationBackend(std::unique_ptr<Connection> conn)
      : owned_(std::move(conn)), conn_(*owned_) {}

  Result<void> EnsureMigrationsTable() override;
  Result<std::vector<AppliedMigration>> ListApplied() override;
  Result<void> ApplyUp(const Migration& migration) override;
  Result<void> ApplyDown(const Migration& migration) override;
  Result<std::string> DumpSchema() override;
  Result<void> Lock() override;
  void Unlock() override;

 private:
  Result<void> Apply(const Migration& migration, bool up);

  std::unique_ptr<Connection> owned_;
  Connection& conn_;
};

}  // namespace chat::store::postgres
