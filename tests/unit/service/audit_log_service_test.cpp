// AuditLogService over a real in-memory SQLite store and the in-process bus: the changes it
// computes, what Record() stores and publishes (and does not, when FEATURE_AUDIT_LOGGING is off),
// and who may List().
#include "service/audit_log_service.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <memory>
#include <mutex>
#include <vector>

#include "bus/local/local_bus.hpp"
#include "domain/permissions.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace chat::service {
namespace {

using domain::AuditLogAction;
using domain::Snowflake;
namespace json = boost::json;

constexpr Snowflake kOwner = 1, kMember = 2, kOutsider = 3, kGuild = 10;

TEST(AuditDiff, ListsOnlyChangedKeysAndLeavesNullSidesOut) {
  json::object before{{"name", "a"}, {"topic", nullptr}, {"nsfw", false}, {"gone", 5}};
  json::object after{{"name", "b"}, {"topic", "t"}, {"nsfw", false}, {"new", "x"}};
  auto changes = AuditDiff(before, after);
  EXPECT_EQ(changes, json::parse(R"([
    {"key": "name", "new_value": "b", "old_value": "a"},
    {"key": "topic", "new_value": "t"},
    {"key": "gone", "old_value": 5},
    {"key": "new", "new_value": "x"}])"));
  EXPECT_TRUE(AuditDiff(after, after).empty());
}

TEST(AuditDiff, CreateHasOnlyNewValuesAndDeleteOnlyOldOnes) {
  domain::Role role;
  role.id = 5;
  role.name = "Mods";
  role.permissions = domain::perm::kViewAuditLog;
  for (const auto& c : AuditDiff({}, AuditFields(role))) {
    EXPECT_TRUE(c.as_object().contains("new_value"));
    EXPECT_FALSE(c.as_object().contains("old_value"));
  }
  for (const auto& c : AuditDiff(AuditFields(role), {})) {
    EXPECT_FALSE(c.as_object().contains("new_value"));
  }
  // Permissions travel as strings, as everywhere in Discord's API.
  EXPECT_EQ(AuditFields(role).at("permissions"), "128");
}

class AuditLogServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::OpenSqliteStore(":memory:");
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    for (auto [id, name] : {std::pair<Snowflake, const char*>{kOwner, "owner"},
                            {kMember, "member"},
                            {kOutsider, "outsider"}}) {
      domain::User u;
      u.id = id;
      u.username = name;
      u.email = std::string(name) + "@example.com";
      ASSERT_TRUE(store_->CreateUser(u));
    }
    store::NewGuild g;
    g.guild.id = kGuild;
    g.guild.name = "G";
    g.guild.owner_id = kOwner;
    domain::Role everyone;
    everyone.id = kGuild;
    everyone.guild_id = kGuild;
    everyone.name = "@everyone";
    everyone.permissions = 104324673;  // no VIEW_AUDIT_LOG
    g.roles.push_back(everyone);
    g.owner.guild_id = kGuild;
    g.owner.user_id = kOwner;
    ASSERT_TRUE(store_->CreateGuild(g));
    domain::Member m;
    m.guild_id = kGuild;
    m.user_id = kMember;
    ASSERT_TRUE(store_->AddMember(m));
    access_ = std::make_unique<AccessService>(*store_);
    bus_.Subscribe([this](const bus::EventPtr& e) {
      std::lock_guard lock(mutex_);
      events_.push_back(e);
    });
  }

  AuditLogService Make(bool enabled) { return {*store_, *access_, bus_, ids_, enabled}; }

  AuditRecord Kick(Snowflake target) {
    AuditRecord r;
    r.guild_id = kGuild;
    r.user_id = kOwner;
    r.target_id = target;
    r.action = AuditLogAction::kMemberKick;
    r.reason = "rude";
    return r;
  }

  std::unique_ptr<store::Store> store_;
  bus::LocalBus bus_;
  domain::SnowflakeGenerator ids_{1, 1};
  std::unique_ptr<AccessService> access_;
  std::mutex mutex_;
  std::vector<bus::EventPtr> events_;
};

TEST_F(AuditLogServiceTest, RecordStoresTheEntryAndTellsOnlyThoseWhoMayViewTheLog) {
  auto audit = Make(true);
  audit.Record(Kick(kMember));
  auto view = audit.List(kOwner, {.guild_id = kGuild});
  ASSERT_TRUE(view) << view.error().message;
  ASSERT_EQ(view->entries.size(), 1u);
  const auto& e = view->entries[0];
  EXPECT_EQ(e.action_type, 20);
  EXPECT_EQ(e.user_id, kOwner);
  EXPECT_EQ(e.target_id, kMember);
  EXPECT_EQ(e.reason, "rude");
  EXPECT_EQ(e.changes, "");
  ASSERT_EQ(view->users.size(), 2u);  // the actor and the kicked member
  std::lock_guard lock(mutex_);
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0]->type, "GUILD_AUDIT_LOG_ENTRY_CREATE");
  EXPECT_EQ(events_[0]->intent, bus::Intent::kGuildModeration);
  EXPECT_EQ(events_[0]->recipients, (std::vector<Snowflake>{kOwner}));
  auto payload = json::parse(events_[0]->payload).as_object();
  EXPECT_EQ(payload.at("guild_id"), "10");
  EXPECT_EQ(payload.at("action_type"), 20);
}

TEST_F(AuditLogServiceTest, DisabledRecordsAndPublishesNothingButListStillAnswers) {
  auto audit = Make(false);
  audit.Record(Kick(kMember));
  auto view = audit.List(kOwner, {.guild_id = kGuild});
  ASSERT_TRUE(view) << view.error().message;
  EXPECT_TRUE(view->entries.empty());
  std::lock_guard lock(mutex_);
  EXPECT_TRUE(events_.empty());
}

TEST_F(AuditLogServiceTest, ListNeedsViewAuditLogAndMembership) {
  auto audit = Make(true);
  auto member = audit.List(kMember, {.guild_id = kGuild});
  ASSERT_FALSE(member);
  EXPECT_EQ(member.error().api_code, 50013);
  auto outsider = audit.List(kOutsider, {.guild_id = kGuild});
  ASSERT_FALSE(outsider);
  EXPECT_EQ(outsider.error().api_code, 50001);
}

TEST_F(AuditLogServiceTest, RecordingForAGoneGuildNeitherFailsNorPublishes) {
  auto audit = Make(true);
  AuditRecord r = Kick(kMember);
  r.guild_id = 999;
  audit.Record(r);  // logged and dropped: the user's action already succeeded
  std::lock_guard lock(mutex_);
  EXPECT_TRUE(events_.empty());
}

}  // namespace
}  // namespace chat::service
