// tests/unit/store/store_fixture.hpp — the parameterized Store suite's fixture. Each backend
// registers a StoreFactory with CHAT_INSTANTIATE_STORE_SUITES (SQLite in sqlite_factory.cpp;
// PostgreSQL adds its own), and every TEST_P of the suite then runs against it.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <span>
#include <string>

#include "store/migrator.hpp"
#include "store/store.hpp"

namespace chat::store::testing {

struct StoreFactory {
  std::string name;  // gtest parameter name: letters, digits, underscores
  // A fresh, empty, fully migrated store; each call gives an independent database.
  std::function<std::unique_ptr<Store>()> open_store;
  // A migration backend over a fresh, empty database (nothing applied).
  std::function<std::unique_ptr<MigrationBackend>()> open_migration_backend;
  std::span<const Migration> migrations;
};

inline std::string FactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

class StoreTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    store_ = GetParam().open_store();
    ASSERT_NE(store_, nullptr);
  }
  Store& store() { return *store_; }

  std::unique_ptr<Store> store_;
};

// One fixture per interface so that test names say what they cover.
class UserStoreTest : public StoreTest {};
class TokenStoreTest : public StoreTest {};
class ApplicationStoreTest : public StoreTest {};
class GuildStoreTest : public StoreTest {};
class RoleStoreTest : public StoreTest {};
class ChannelStoreTest : public StoreTest {};
class MemberStoreTest : public StoreTest {};
class MessageStoreTest : public StoreTest {};
class WebhookStoreTest : public StoreTest {};
class ThreadStoreTest : public StoreTest {};
class EmojiStoreTest : public StoreTest {};
class StickerStoreTest : public StoreTest {};
class ScheduledEventStoreTest : public StoreTest {};
class PollStoreTest : public StoreTest {};
class TaskStoreTest : public StoreTest {};
class CommandStoreTest : public StoreTest {};
class StoreConcurrencyTest : public StoreTest {};
// Migration tests do not use store_: they open their own backend.
class MigrationTest : public ::testing::TestWithParam<StoreFactory> {};

}  // namespace chat::store::testing

// Registers every suite above for `factories` (a ::testing::Values(...) generator). Use it inside
// namespace chat::store::testing (the suite names are unqualified), as sqlite_store_test.cpp does.
#define CHAT_INSTANTIATE_STORE_SUITES(prefix, factories)                                           \
  INSTANTIATE_TEST_SUITE_P(prefix, UserStoreTest, factories, ::chat::store::testing::FactoryName); \
  INSTANTIATE_TEST_SUITE_P(prefix, TokenStoreTest, factories,                                      \
                           ::chat::store::testing::FactoryName);                                   \
  INSTANTIATE_TEST_SUITE_P(prefix, ApplicationStoreTest, factories,                                \
                           ::chat::store::testing::FactoryName);                                   \
  INSTANTIATE_TEST_SUITE_P(prefix, GuildStoreTest, factories,                                      \
                           ::chat::store::testing::FactoryName);                                   \
  INSTANTIATE_TEST_SUITE_P(prefix, RoleStoreTest, factories, ::chat::store::testing::FactoryName); \
  INSTANTIATE_TEST_SUITE_P(prefix, ChannelStoreTest, factories,                                    \
                           ::chat::store::testing::FactoryName);                                   \
  INSTANTIATE_TEST_SUITE_P(prefix, MemberStoreTest, factories,                                     \
                           ::chat::store::testing::FactoryName);                                   \
  INSTANTIATE_TEST_SUITE_P(prefix, MessageStoreTest, factories,                                    \
                           ::chat::store::testing::FactoryName);                                   \
  INSTANTIATE_TEST_SUITE_P(prefix, WebhookStoreTest, factories,                                    \
                           ::chat::store::testing::FactoryName);                                   \
  INSTANTIATE_TEST_SUITE_P(prefix, ThreadStoreTest, factories,                                     \
                           ::chat::store::testing::FactoryName);                                   \
  INSTANTIATE_TEST_SUITE_P(prefix, CommandStoreTest, factories,                                    \
                           ::chat::store::testing::FactoryName);                                   \
  INSTANTIATE_TEST_SUITE_P(prefix, EmojiStoreTest, factories,                                      \
                           ::chat::store::testing::FactoryName);                                   \
  INSTANTIATE_TEST_SUITE_P(prefix, StickerStoreTest, factories,                                    \
                           ::chat::store::testing::FactoryName);                                   \
  INSTANTIATE_TEST_SUITE_P(prefix, ScheduledEventStoreTest, factories,                             \
                           ::chat::store::testing::FactoryName);                                   \
  INSTANTIATE_TEST_SUITE_P(prefix, PollStoreTest, factories, ::chat::store::testing::FactoryName); \
  INSTANTIATE_TEST_SUITE_P(prefix, TaskStoreTest, factories, ::chat::store::testing::FactoryName); \
  INSTANTIATE_TEST_SUITE_P(prefix, StoreConcurrencyTest, factories,                                \
                           ::chat::store::testing::FactoryName);                                   \
  INSTANTIATE_TEST_SUITE_P(prefix, MigrationTest, factories, ::chat::store::testing::FactoryName)
