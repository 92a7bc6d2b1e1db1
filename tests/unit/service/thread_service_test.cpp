// ThreadService over a real in-memory SQLite store and the in-process bus: the idle-thread sweep
// archives what Discord would, when it would, and tells the thread's viewers.
#include "service/thread_service.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <mutex>
#include <vector>

#include "bus/local/local_bus.hpp"
#include "owned_guild.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace chat::service {
namespace {

using domain::Snowflake;
constexpr Snowflake kOwner = 1, kGuild = 10, kText = 11;
constexpr std::int64_t kMinute = 60'000;

std::int64_t now_ms = 0;  // the services' clock
std::int64_t Clock() { return now_ms; }

class ThreadServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    now_ms = domain::SnowflakeGenerator::SystemClockMs();
    auto opened = store::sqlite::OpenSqliteStore(":memory:");
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    domain::Channel text;
    text.id = kText;
    text.name = "general";
    ASSERT_NO_FATAL_FAILURE(test_support::SeedOwnedGuild(*store_, kOwner, kGuild, {text}));
    access_ = std::make_unique<AccessService>(*store_, &Clock);
    threads_ = std::make_unique<ThreadService>(CommunityDeps{*store_, *access_, bus_, ids_});
    bus_.Subscribe([this](const bus::EventPtr& e) {
      std::lock_guard lock(mutex_);
      if (e->type == "THREAD_UPDATE") updates_.push_back(e);
    });
  }

  int Archive() {
    auto n = threads_->ArchiveIdle();
    EXPECT_TRUE(n) << (n ? "" : n.error().message);
    return n ? *n : -1;
  }

  domain::Channel Start(const char* name) {
    ThreadInput in;
    in.name = name;
    in.type = domain::ChannelType::kPublicThread;
    in.auto_archive_duration = 60;
    auto t = threads_->Start(kOwner, kText, in);
    EXPECT_TRUE(t) << (t ? "" : t.error().message);
    return t ? *t : domain::Channel{};
  }

  std::unique_ptr<store::Store> store_;
  bus::LocalBus bus_;
  domain::SnowflakeGenerator ids_{1, 1};
  std::unique_ptr<AccessService> access_;
  std::unique_ptr<ThreadService> threads_;
  std::mutex mutex_;
  std::vector<bus::EventPtr> updates_;
};

TEST_F(ThreadServiceTest, IdleThreadsAreArchivedAndTheirViewersTold) {
  const std::int64_t t0 = now_ms;
  const auto quiet = Start("quiet");
  const auto busy = Start("busy");
  domain::Message m;
  m.id = domain::SnowflakeFromUnixMs(t0 + 30 * kMinute);
  m.channel_id = busy.id;
  m.author_id = kOwner;
  m.content = "still talking";
  ASSERT_TRUE(store_->CreateMessage(m));

  now_ms = t0 + 59 * kMinute;
  EXPECT_EQ(Archive(), 0);
  now_ms = t0 + 61 * kMinute;
  EXPECT_EQ(Archive(), 1);
  ASSERT_EQ(updates_.size(), 1u);
  EXPECT_EQ(updates_[0]->recipients, std::vector<Snowflake>{kOwner});
  const auto payload = boost::json::parse(updates_[0]->payload).as_object();
  EXPECT_EQ(payload.at("id").as_string(), std::to_string(quiet.id));
  EXPECT_TRUE(payload.at("thread_metadata").at("archived").as_bool());
  EXPECT_EQ(Archive(), 0);  // nothing twice
  now_ms = t0 + 91 * kMinute;
  EXPECT_EQ(Archive(), 1);
  EXPECT_TRUE(store_->GetChannel(busy.id)->thread->archived);
}

}  // namespace
}  // namespace chat::service
