// store_factory.hpp — picks the database from the settings: SQLite at DATA_DIR/chat.db (or
// sqlite://PATH) by default, PostgreSQL for DATABASE_URL=postgres://…. Part of the composition
// root with app.cpp: the only code that names the concrete stores.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "common/result.hpp"
#include "config/config.hpp"
#include "store/migrator.hpp"
#include "store/store.hpp"

namespace chat::store {

[[nodiscard]] Result<std::unique_ptr<Store>> OpenStore(const config::Settings& settings,
                                                       bool migrate);
[[nodiscard]] Result<std::unique_ptr<MigrationBackend>> OpenMigrationBackend(
    const config::Settings& settings);
std::span<const Migration> MigrationsFor(const config::Settings& settings);
// "sqlite:./data/chat.db" or "postgres://host:port/db" — never a password.
std::string DescribeDatabase(const config::Settings& settings);

}  // namespace chat::store
