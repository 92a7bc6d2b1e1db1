// Registers SQLite with the Store suite, twice: in memory (one connection) and as a WAL file in a
// temp dir (writer plus reader pool), so both connection set-ups pass every TEST_P. Also holds
// the SQLite-only tests: persistence across reopen, and opening a path that cannot exist.
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <string>

#include "common/log.hpp"
#include "store/errors.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

namespace fs = std::filesystem;

// One temp dir per test run, removed when the run ends. Also quiets the store's info logs
// (one line per migration per test); warnings and errors still show.
class TempDir : public ::testing::Environment {
 public:
  void SetUp() override { log::Init("warn", "text"); }
  static const fs::path& Path() {
    static const fs::path path = [] {
      std::string pattern = (fs::temp_directory_path() / "chat-store-test-XXXXXX").string();
      if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
      return fs::path(pattern);
    }();
    return path;
  }
  // A fresh database file name inside the temp dir.
  static std::string NewDatabase() {
    static std::atomic<int> counter = 0;
    return (Path() / ("db-" + std::to_string(counter++) + ".sqlite")).string();
  }
  void TearDown() override {
    std::error_code ignored;  // leaving a temp dir behind is not a test failure
    fs::remove_all(Path(), ignored);
  }
};

const auto* const kTempDirEnv = ::testing::AddGlobalTestEnvironment(new TempDir);

std::unique_ptr<Store> OpenOrNull(const std::string& path) {
  auto store = sqlite::OpenSqliteStore(path);
  if (!store) {
    ADD_FAILURE() << "OpenSqliteStore(" << path << "): " << store.error().message;
    return nullptr;
  }
  return std::move(*store);
}

std::unique_ptr<MigrationBackend> OpenBackendOrNull(const std::string& path) {
  auto backend = sqlite::OpenSqliteMigrationBackend(path);
  if (!backend) {
    ADD_FAILURE() << "OpenSqliteMigrationBackend(" << path << "): " << backend.error().message;
    return nullptr;
  }
  return std::move(*backend);
}

StoreFactory SqliteMemory() {
  return {"SqliteMemory", [] { return OpenOrNull(":memory:"); },
          [] { return OpenBackendOrNull(":memory:"); }, sqlite::SqliteMigrations()};
}

StoreFactory SqliteFile() {
  return {"SqliteFile", [] { return OpenOrNull(TempDir::NewDatabase()); },
          [] { return OpenBackendOrNull(TempDir::NewDatabase()); }, sqlite::SqliteMigrations()};
}

CHAT_INSTANTIATE_STORE_SUITES(Sqlite, ::testing::Values(SqliteMemory(), SqliteFile()));

TEST(SqliteStore, DataSurvivesClosingAndReopeningTheFile) {
  const std::string path = TempDir::NewDatabase();
  {
    auto store = OpenOrNull(path);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->CreateUser(MakeUser(Id(1), "alice")));
    ASSERT_TRUE(store->CreateGuild(MakeGuild(Id(1000), Id(1))));
    ASSERT_TRUE(store->CreateMessage(MakeMessage(Id(5000), Id(1002), Id(1), "still here 🗿")));
  }
  auto store = OpenOrNull(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->GetUser(Id(1))->username, "alice");
  EXPECT_EQ(store->GetGuild(Id(1000))->name, "Test Server");
  EXPECT_EQ(store->GetMessage(Id(1002), Id(5000))->content, "still here 🗿");
  EXPECT_TRUE(store->Ping());
}

TEST(SqliteStore, ReopeningAppliesNoMigrationTwice) {
  const std::string path = TempDir::NewDatabase();
  ASSERT_NE(OpenOrNull(path), nullptr);
  ASSERT_NE(OpenOrNull(path), nullptr);
  auto backend = OpenBackendOrNull(path);
  ASSERT_NE(backend, nullptr);
  Migrator migrator(*backend, sqlite::SqliteMigrations());
  auto status = migrator.Status();
  ASSERT_TRUE(status);
  EXPECT_EQ(status->size(), sqlite::SqliteMigrations().size());
  for (const auto& s : *status) EXPECT_TRUE(s.applied);
}

TEST(SqliteStore, OpeningAnImpossiblePathIsUnavailable) {
  auto store = sqlite::OpenSqliteStore((TempDir::Path() / "no/such/dir/chat.db").string());
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Errc::kUnavailable);
  EXPECT_EQ(store.error().message.find("no/such"), std::string::npos);  // no path or SQL leaks
}

TEST(SqliteStore, PingSucceedsOnAnOpenStore) {
  auto store = OpenOrNull(":memory:");
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->Ping());
}

TEST(SqliteMigrations, EmbedsTheInitialMigrationWithBothDirections) {
  auto migrations = sqlite::SqliteMigrations();
  ASSERT_FALSE(migrations.empty());
  EXPECT_EQ(migrations[0].version, 1);
  EXPECT_EQ(migrations[0].name, "initial");
  EXPECT_NE(migrations[0].up_sql.find("CREATE TABLE messages"), std::string_view::npos);
  EXPECT_NE(migrations[0].down_sql.find("DROP TABLE messages"), std::string_view::npos);
}

}  // namespace
}  // namespace chat::store::testing
