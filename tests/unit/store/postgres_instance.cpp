// Registers the PostgreSQL store with the parameterized Store suite: every TEST_P runs on a
// fresh database of the server named by CHAT_TEST_DATABASE_URL (see postgres_test_db.hpp).
#include <memory>

#include "postgres_test_db.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store_fixture.hpp"

namespace chat::store::testing {
namespace {

postgres::PostgresOptions TestOptions() {
  postgres::PostgresOptions options;
  options.min_connections = 1;
  options.max_connections = 8;
  return options;
}

// Migrating each test's database took most of the suite's time: each is a copy of one
// migrated database.
bool Migrate(const std::string& url) {
  auto store = postgres::OpenPostgresStore(url, TestOptions());
  if (!store) ADD_FAILURE() << "OpenPostgresStore: " << store.error().message;
  return static_cast<bool>(store);
}

std::unique_ptr<Store> OpenPostgresTestStore() {
  const std::string url = CreatePreparedTestDatabase(&Migrate);
  if (url.empty()) return nullptr;
  auto store = postgres::OpenPostgresStore(url, TestOptions());
  if (!store) {
    ADD_FAILURE() << "OpenPostgresStore: " << store.error().message;
    return nullptr;
  }
  return std::move(*store);
}

std::unique_ptr<MigrationBackend> OpenPostgresTestBackend() {
  const std::string url = CreateTestDatabase();
  if (url.empty()) return nullptr;
  auto backend = postgres::OpenPostgresMigrationBackend(url, TestOptions());
  if (!backend) {
    ADD_FAILURE() << "OpenPostgresMigrationBackend: " << backend.error().message;
    return nullptr;
  }
  return std::move(*backend);
}

CHAT_INSTANTIATE_STORE_SUITES(Postgres,
                              ::testing::Values(StoreFactory{"Postgres", &OpenPostgresTestStore,
                                                             &OpenPostgresTestBackend,
                                                             postgres::PostgresMigrations()}));

}  // namespace
}  // namespace chat::store::testing
