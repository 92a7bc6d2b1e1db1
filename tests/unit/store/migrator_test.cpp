// Migrations: every backend's embedded set applies, reverts and re-applies to the same schema,
// and the runner reports what it did. Against every backend (on a fresh, empty database).
#include <memory>
#include <string>

#include "store_fixture.hpp"

namespace chat::store::testing {
namespace {

TEST_P(MigrationTest, UpThenDownAllThenUpGivesTheSameSchema) {
  auto backend = GetParam().open_migration_backend();
  ASSERT_NE(backend, nullptr);
  Migrator migrator(*backend, GetParam().migrations);
  const int count = static_cast<int>(GetParam().migrations.size());
  ASSERT_GT(count, 0);

  auto up = migrator.Up();
  ASSERT_TRUE(up) << up.error().message;
  EXPECT_EQ(*up, count);
  auto schema = backend->DumpSchema();
  ASSERT_TRUE(schema);
  EXPECT_NE(schema->find("messages"), std::string::npos);

  auto down = migrator.DownAll();
  ASSERT_TRUE(down) << down.error().message;
  EXPECT_EQ(*down, count);
  auto empty = backend->DumpSchema();
  ASSERT_TRUE(empty);
  EXPECT_EQ(*empty, "");

  ASSERT_TRUE(migrator.Up());
  auto again = backend->DumpSchema();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *schema);
}

TEST_P(MigrationTest, UpIsIdempotent) {
  auto backend = GetParam().open_migration_backend();
  ASSERT_NE(backend, nullptr);
  Migrator migrator(*backend, GetParam().migrations);
  ASSERT_TRUE(migrator.Up());
  auto second = migrator.Up();
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, 0);
}

TEST_P(MigrationTest, StatusListsEachMigrationAndWhetherItIsApplied) {
  auto backend = GetParam().open_migration_backend();
  ASSERT_NE(backend, nullptr);
  Migrator migrator(*backend, GetParam().migrations);
  auto before = migrator.Status();
  ASSERT_TRUE(before) << before.error().message;
  ASSERT_EQ(before->size(), GetParam().migrations.size());
  EXPECT_EQ(before->front().version, 1);
  EXPECT_EQ(before->front().name, "initial");
  EXPECT_FALSE(before->front().applied);
  EXPECT_TRUE(before->front().known);

  ASSERT_TRUE(migrator.Up());
  auto after = migrator.Status();
  ASSERT_TRUE(after);
  for (const auto& s : *after) {
    EXPECT_TRUE(s.applied) << s.version;
    EXPECT_TRUE(s.applied_at_ms.has_value());
  }
}

TEST_P(MigrationTest, DownRevertsTheNewestFirst) {
  auto backend = GetParam().open_migration_backend();
  ASSERT_NE(backend, nullptr);
  Migrator migrator(*backend, GetParam().migrations);
  ASSERT_TRUE(migrator.Up());
  auto down = migrator.Down(1);
  ASSERT_TRUE(down) << down.error().message;
  EXPECT_EQ(*down, 1);
  auto status = migrator.Status();
  ASSERT_TRUE(status);
  EXPECT_FALSE(status->back().applied);
  EXPECT_EQ(*migrator.Down(0), 0);
}

// A migration that fails part-way leaves nothing behind: it ran in one transaction.
TEST_P(MigrationTest, AFailingMigrationIsRolledBack) {
  auto backend = GetParam().open_migration_backend();
  ASSERT_NE(backend, nullptr);
  Migrator good(*backend, GetParam().migrations);
  ASSERT_TRUE(good.Up());
  auto schema = backend->DumpSchema();
  ASSERT_TRUE(schema);

  const Migration broken{9999, "broken", "CREATE TABLE half_done (id BIGINT); THIS IS NOT SQL;",
                         "DROP TABLE half_done;"};
  Migrator with_broken(*backend, std::span<const Migration>(&broken, 1));
  EXPECT_FALSE(with_broken.Up());
  EXPECT_EQ(*backend->DumpSchema(), *schema);
  auto status = with_broken.Status();
  ASSERT_TRUE(status);
  for (const auto& s : *status) {
    if (s.version == 9999) {
      EXPECT_FALSE(s.applied);
    }
  }
}

}  // namespace
}  // namespace chat::store::testing
