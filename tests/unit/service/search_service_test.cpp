// SearchService over a real in-memory SQLite store: which channels a member's search covers
// (VIEW_CHANNEL and READ_MESSAGE_HISTORY, overwrites applied), what outsiders get, how named
// channels narrow the search, how hits are rendered, and which requests are refused.
#include "service/search_service.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "bus/local/local_bus.hpp"
#include "domain/permissions.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace chat::service {
namespace {

using domain::Snowflake;
namespace perm = domain::perm;

constexpr Snowflake kOwner = 1, kMember = 2, kOutsider = 3;
constexpr Snowflake kGuild = 10, kGeneral = 11, kPrivate = 12;

class SearchServiceTest : public ::testing::Test {
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
    everyone.permissions = 104324673;  // the seed's: view, send, history, reactions
    g.roles.push_back(everyone);
    for (Snowflake id : {kGeneral, kPrivate}) {
      domain::Channel c;
      c.id = id;
      c.guild_id = kGuild;
      c.name = id == kGeneral ? "general" : "private";
      if (id == kPrivate) {
        c.overwrites.push_back({kGuild, domain::OverwriteType::kRole, 0, perm::kViewChannel});
      }
      g.channels.push_back(c);
    }
    g.owner.guild_id = kGuild;
    g.owner.user_id = kOwner;
    ASSERT_TRUE(store_->CreateGuild(g));
    domain::Member m;
    m.guild_id = kGuild;
    m.user_id = kMember;
    ASSERT_TRUE(store_->AddMember(m));

    access_ = std::make_unique<AccessService>(*store_);
    messages_ = std::make_unique<MessageService>(*store_, *access_, bus_, ids_);
    search_ = std::make_unique<SearchService>(*store_, *access_, *messages_);
  }

  Snowflake Post(Snowflake channel, const std::string& content) {
    domain::Message m;
    m.id = ids_.Next();
    m.channel_id = channel;
    m.author_id = kOwner;
    m.content = content;
    EXPECT_TRUE(store_->CreateMessage(m));
    return m.id;
  }

  static SearchRequest Words(const std::string& content) {
    SearchRequest r;
    r.content = content;
    return r;
  }

  static std::vector<Snowflake> Ids(const SearchResult& result) {
    std::vector<Snowflake> out;
    for (const auto& v : result.messages) out.push_back(v.data.message.id);
    return out;
  }

  std::unique_ptr<store::Store> store_;
  bus::LocalBus bus_;
  domain::SnowflakeGenerator ids_{1, 1};
  std::unique_ptr<AccessService> access_;
  std::unique_ptr<MessageService> messages_;
  std::unique_ptr<SearchService> search_;
};

TEST_F(SearchServiceTest, AMemberFindsOnlyWhatTheyMayReadAndTheOwnerFindsAll) {
  const Snowflake open = Post(kGeneral, "launch plans");
  const Snowflake hidden = Post(kPrivate, "launch secrets");

  auto member = search_->SearchGuild(kMember, kGuild, Words("launch"));
  ASSERT_TRUE(member) << member.error().message;
  EXPECT_EQ(member->total, 1);
  EXPECT_EQ(Ids(*member), std::vector<Snowflake>{open});

  auto owner = search_->SearchGuild(kOwner, kGuild, Words("launch"));
  ASSERT_TRUE(owner);
  EXPECT_EQ(Ids(*owner), (std::vector<Snowflake>{hidden, open}));
}

TEST_F(SearchServiceTest, NamingAnUnreadableChannelNarrowsToNothing) {
  Post(kPrivate, "launch secrets");
  SearchRequest r = Words("launch");
  r.channel_ids = {kPrivate};
  auto result = search_->SearchGuild(kMember, kGuild, r);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->total, 0);
  EXPECT_TRUE(result->messages.empty());
}

TEST_F(SearchServiceTest, ViewWithoutReadMessageHistoryIsNotEnough) {
  Post(kGeneral, "history lesson");
  ASSERT_TRUE(store_->PutOverwrite(
      kGeneral, {kMember, domain::OverwriteType::kMember, 0, perm::kReadMessageHistory}));
  auto result = search_->SearchGuild(kMember, kGuild, Words("history"));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->total, 0);
  auto channel = search_->SearchChannel(kMember, kGeneral, Words("history"));
  ASSERT_FALSE(channel);
  EXPECT_EQ(channel.error().code, Errc::kForbidden);
}

TEST_F(SearchServiceTest, OutsidersAreRefusedAndUnknownGuildsAreNotFound) {
  Post(kGeneral, "members only");
  auto outsider = search_->SearchGuild(kOutsider, kGuild, Words("members"));
  ASSERT_FALSE(outsider);
  EXPECT_EQ(outsider.error().code, Errc::kForbidden);
  EXPECT_EQ(outsider.error().api_code, 50001);
  auto unknown = search_->SearchGuild(kMember, 999, Words("members"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::kNotFound);
}

TEST_F(SearchServiceTest, HitsAreRenderedAsFullMessagesWithTheirAuthor) {
  const Snowflake id = Post(kGeneral, "render me");
  auto result = search_->SearchChannel(kMember, kGeneral, Words("render"));
  ASSERT_TRUE(result);
  ASSERT_EQ(result->messages.size(), 1u);
  const auto& json = result->messages[0].json;
  EXPECT_EQ(json.at("id").as_string(), domain::ToString(id));
  EXPECT_EQ(json.at("content").as_string(), "render me");
  EXPECT_EQ(json.at("author").at("username").as_string(), "owner");
}

TEST_F(SearchServiceTest, BadRequestsAreValidationErrorsNamingTheField) {
  SearchRequest r;
  r.limit = 0;
  r.offset = -1;
  r.content = std::string(1025, 'x');
  auto result = search_->SearchGuild(kMember, kGuild, r);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::kValidation);
  EXPECT_EQ(result.error().api_code, 50035);
  ASSERT_EQ(result.error().fields.size(), 3u);
  EXPECT_EQ(result.error().fields[0].field, "content");
  EXPECT_EQ(result.error().fields[1].field, "limit");
  EXPECT_EQ(result.error().fields[2].field, "offset");

  EXPECT_FALSE(ValidateSearch(Words(std::string("a\0b", 3))));
  EXPECT_FALSE(ValidateSearch(Words("\xff\xfe")));
  EXPECT_TRUE(ValidateSearch(Words(std::string(1024, 'x'))));
}

}  // namespace
}  // namespace chat::service
