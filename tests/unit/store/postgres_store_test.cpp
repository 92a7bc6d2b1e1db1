// PostgreSQL-only behaviour of the store: the connection pool (bounded waits, recovery after a
// connection is killed), the server-side statement timeout, an unreachable server, and text the
// TEXT type cannot hold. Each test uses a fresh database (postgres_test_db.hpp).
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "postgres_test_db.hpp"
#include "store/errors.hpp"
#include "store/postgres/postgres_pool.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

using postgres::PostgresOptions;

std::unique_ptr<Store> OpenStore(const std::string& url, PostgresOptions options = {}) {
  auto store = postgres::OpenPostgresStore(url, options);
  if (!store) {
    ADD_FAILURE() << "OpenPostgresStore: " << store.error().message;
    return nullptr;
  }
  return std::move(*store);
}

// The number of chat-server connections to the test database (the admin's own excluded).
int StoreConnections(const std::string& url) {
  return std::stoi(
      AdminQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                 "AND application_name = 'chat-server'",
                 url));
}

TEST(PostgresStore, ServesAgainAfterItsConnectionIsTerminated) {
  const std::string url = CreateTestDatabase();
  ASSERT_FALSE(url.empty());
  PostgresOptions options;
  options.min_connections = 1;
  options.max_connections = 1;
  auto store = OpenStore(url, options);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateUser(MakeUser(Id(1), "alice")));

  // What an administrator, a failover or a server restart does to an idle pooled connection.
  ASSERT_EQ(AdminQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND application_name = 'chat-server'",
                       url),
            "1");
  // pg_terminate_backend only signals: wait until the server has really let go of it.
  for (int i = 0; i < 500 && StoreConnections(url) > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(StoreConnections(url), 0);

  // The first call may still learn of the loss (then it is Unavailable, never a 500); the
  // next one is served on a fresh connection.
  auto first = store->GetUser(Id(1));
  if (!first) {
    EXPECT_TRUE(IsError(first, Errc::kUnavailable));
  }
  auto next = store->GetUser(Id(1));
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->username, "alice");
  EXPECT_TRUE(store->Ping());
}

TEST(PostgresStore, ACallBlockedOnALockGivesUpAtTheStatementTimeout) {
  const std::string url = CreateTestDatabase();
  ASSERT_FALSE(url.empty());
  PostgresOptions options;
  options.statement_timeout = std::chrono::milliseconds(200);
  auto store = OpenStore(url, options);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateUser(MakeUser(Id(1), "alice")));

  // Another session holds the row lock well past the timeout (pg_sleep keeps its transaction
  // open) while the store tries to update the row: without the timeout the update would wait
  // and then succeed.
  std::thread holder([&] {
    AdminQuery("BEGIN; SELECT 1 FROM users WHERE id = " + std::to_string(Id(1)) +
                   " FOR UPDATE; SELECT pg_sleep(2); COMMIT;",
               url);
  });
  for (int i = 0; i < 500; ++i) {
    if (AdminQuery("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                   "WHERE c.relname = 'users' AND l.mode = 'RowShareLock'",
                   url) != "0") {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  UserUpdate update;
  update.flags = 1;
  auto r = store->UpdateUser(Id(1), update);
  holder.join();
  EXPECT_TRUE(IsError(r, Errc::kUnavailable));
  // The connection survives a timed-out statement.
  auto after = store->UpdateUser(Id(1), update);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after->flags, 1);
}

TEST(PostgresStore, UnreachableServerIsUnavailableWithoutDetails) {
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  const std::string url = "postgres://postgres@127.0.0.1:1/chat";
  PostgresOptions lazy;
  lazy.migrate = false;
  auto store = postgres::OpenPostgresStore(url, lazy);
  ASSERT_TRUE(store) << "without migrations, opening does not need the server";
  auto r = (*store)->GetUser(Id(1));
  ASSERT_TRUE(IsError(r, Errc::kUnavailable));
  EXPECT_EQ(r.error().message, "database unavailable");  // libpq's text goes to the log only
  EXPECT_TRUE(IsError((*store)->Ping(), Errc::kUnavailable));

  auto migrating = postgres::OpenPostgresStore(url);
  EXPECT_TRUE(IsError(migrating, Errc::kUnavailable));
}

TEST(PostgresStore, TextWithANulByteIsAValidationError) {
  const std::string url = CreateTestDatabase();
  ASSERT_FALSE(url.empty());
  auto store = OpenStore(url);
  ASSERT_NE(store, nullptr);
  const std::string nul("al\0ice", 6);
  EXPECT_TRUE(IsError(store->CreateUser(MakeUser(Id(1), nul)), Errc::kValidation));
  EXPECT_TRUE(IsError(store->GetUserByUsername(nul), Errc::kValidation));
  // Nothing was sent, nothing broke: the store goes on serving.
  ASSERT_TRUE(store->CreateUser(MakeUser(Id(1), "alice")));
  EXPECT_TRUE(store->GetUserByUsername("alice"));
}

TEST(PostgresStore, OpenAppliesMigrationsAndRecordsThem) {
  const std::string url = CreateTestDatabase();
  ASSERT_FALSE(url.empty());
  ASSERT_NE(OpenStore(url), nullptr);
  EXPECT_EQ(AdminQuery("SELECT count(*) FROM schema_migrations", url),
            std::to_string(postgres::PostgresMigrations().size()));
  // Opening again (a second node, a restart) applies nothing twice.
  ASSERT_NE(OpenStore(url), nullptr);
  EXPECT_EQ(AdminQuery("SELECT count(*) FROM schema_migrations", url),
            std::to_string(postgres::PostgresMigrations().size()));
}

TEST(PostgresPool, AcquireWaitsBoundedlyWhenEveryConnectionIsLeased) {
  const std::string url = CreateTestDatabase();
  ASSERT_FALSE(url.empty());
  postgres::Pool pool({url}, 0, 1, std::chrono::milliseconds(100));
  {
    auto held = pool.Acquire();
    ASSERT_TRUE(held) << held.error().message;
    auto waiting = pool.Acquire();
    EXPECT_TRUE(IsError(waiting, Errc::kUnavailable));
    EXPECT_EQ(pool.open_connections(), 1);
  }
  // Given back: the same connection serves the next caller.
  auto again = pool.Acquire();
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(pool.open_connections(), 1);
}

TEST(PostgresPool, OpensMinimumAtStartAndTheRestOnDemand) {
  const std::string url = CreateTestDatabase();
  ASSERT_FALSE(url.empty());
  postgres::Pool pool({url}, 2, 3, std::chrono::milliseconds(1000));
  EXPECT_EQ(pool.open_connections(), 0);
  pool.OpenMin();
  EXPECT_EQ(pool.open_connections(), 2);
  EXPECT_EQ(StoreConnections(url), 2);
  auto a = pool.Acquire();
  auto b = pool.Acquire();
  auto c = pool.Acquire();
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(pool.open_connections(), 3);
}

}  // namespace
}  // namespace chat::store::testing
