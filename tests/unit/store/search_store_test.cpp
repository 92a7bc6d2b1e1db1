// SearchStore behaviour: words found case-insensitively, every filter, order, offset and limit
// with the total count, the index following edits and deletes, and user text that looks like
// query syntax never failing. Against every backend (runs under the MessageStoreTest fixture,
// which every backend instantiates).
#include <string>
#include <vector>

#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

using Ids = std::vector<domain::Snowflake>;

const domain::Snowflake kAlice = Id(1);
const domain::Snowflake kBob = Id(2);
const domain::Snowflake kGuild = Id(1000);
const domain::Snowflake kText = kGuild + 2;
const domain::Snowflake kOther = Id(1100);  // a second guild's text channel is kOther + 2
const domain::Snowflake kOtherText = kOther + 2;

domain::Snowflake Msg(int n) { return Id(60000 + n); }

void Seed(Store& store) {
  ASSERT_TRUE(store.CreateUser(MakeUser(kAlice, "alice")));
  ASSERT_TRUE(store.CreateUser(MakeUser(kBob, "bob")));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kGuild, kAlice)));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kOther, kBob, "Other")));
}

void Post(Store& store, int n, domain::Snowflake channel, domain::Snowflake author,
          const std::string& content) {
  ASSERT_TRUE(store.CreateMessage(MakeMessage(Msg(n), channel, author, content)));
}

SearchQuery Words(const std::string& content, Ids channels = {kText}) {
  SearchQuery q;
  q.channel_ids = std::move(channels);
  q.content = content;
  return q;
}

Ids HitIds(const SearchPage& page) {
  Ids out;
  for (const auto& h : page.hits) out.push_back(h.message_id);
  return out;
}

TEST_P(MessageStoreTest, SearchFindsMessagesHoldingEveryWordNewestFirst) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_NO_FATAL_FAILURE(Post(store(), 1, kText, kAlice, "The quick brown fox"));
  ASSERT_NO_FATAL_FAILURE(Post(store(), 2, kText, kBob, "a lazy dog"));
  ASSERT_NO_FATAL_FAILURE(Post(store(), 3, kText, kBob, "QUICK thinking, brown shoes"));
  ASSERT_NO_FATAL_FAILURE(Post(store(), 4, kText, kBob, "quicker than brown"));

  auto page = store().SearchMessages(Words("quick brown"));
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->total, 2);
  EXPECT_EQ(HitIds(*page), (Ids{Msg(3), Msg(1)}));
  EXPECT_EQ(page->hits[0].channel_id, kText);

  EXPECT_EQ(HitIds(store().SearchMessages(Words("Dog")).value()), Ids{Msg(2)});
  EXPECT_EQ(store().SearchMessages(Words("cat")).value().total, 0);
}

TEST_P(MessageStoreTest, SearchLooksOnlyInTheGivenChannels) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_NO_FATAL_FAILURE(Post(store(), 1, kText, kAlice, "secret plans"));
  ASSERT_NO_FATAL_FAILURE(Post(store(), 2, kOtherText, kBob, "secret recipes"));
  EXPECT_EQ(HitIds(store().SearchMessages(Words("secret")).value()), Ids{Msg(1)});
  EXPECT_EQ(HitIds(store().SearchMessages(Words("secret", {kText, kOtherText})).value()),
            (Ids{Msg(2), Msg(1)}));
  EXPECT_EQ(store().SearchMessages(Words("secret", {})).value().total, 0);
}

TEST_P(MessageStoreTest, SearchFiltersByAuthorMentionAndIdBounds) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_NO_FATAL_FAILURE(Post(store(), 1, kText, kAlice, "status report one"));
  ASSERT_NO_FATAL_FAILURE(Post(store(), 2, kText, kBob, "status report two"));
  domain::Message mention = MakeMessage(Msg(3), kText, kBob, "status report for <@alice>");
  mention.mention_user_ids = {kAlice};
  ASSERT_TRUE(store().CreateMessage(mention));
  ASSERT_NO_FATAL_FAILURE(Post(store(), 4, kText, kAlice, "status report four"));

  SearchQuery by_bob = Words("report");
  by_bob.author_ids = {kBob};
  EXPECT_EQ(HitIds(store().SearchMessages(by_bob).value()), (Ids{Msg(3), Msg(2)}));
  by_bob.author_ids = {kBob, kAlice};
  EXPECT_EQ(store().SearchMessages(by_bob).value().total, 4);

  SearchQuery mentioning = Words("report");
  mentioning.mentions = kAlice;
  EXPECT_EQ(HitIds(store().SearchMessages(mentioning).value()), Ids{Msg(3)});

  SearchQuery bounded = Words("status");
  bounded.min_id = Msg(1);
  bounded.max_id = Msg(4);
  EXPECT_EQ(HitIds(store().SearchMessages(bounded).value()), (Ids{Msg(3), Msg(2)}));

  // Without content every message of the channels matches the other filters.
  SearchQuery no_words;
  no_words.channel_ids = {kText};
  no_words.author_ids = {kAlice};
  EXPECT_EQ(HitIds(store().SearchMessages(no_words).value()), (Ids{Msg(4), Msg(1)}));
  no_words.content = "   ";
  EXPECT_EQ(store().SearchMessages(no_words).value().total, 2);
}

TEST_P(MessageStoreTest, SearchPagesWithOffsetLimitAndOrderWhileTotalCountsAll) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  for (int n = 1; n <= 7; ++n) {
    ASSERT_NO_FATAL_FAILURE(Post(store(), n, kText, kAlice, "item number " + std::to_string(n)));
  }
  SearchQuery q = Words("item");
  q.limit = 3;
  q.offset = 2;
  auto page = store().SearchMessages(q);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 7);
  EXPECT_EQ(HitIds(*page), (Ids{Msg(5), Msg(4), Msg(3)}));

  q.ascending = true;
  EXPECT_EQ(HitIds(store().SearchMessages(q).value()), (Ids{Msg(3), Msg(4), Msg(5)}));

  q.offset = 6;
  EXPECT_EQ(HitIds(store().SearchMessages(q).value()), Ids{Msg(7)});
  q.offset = 50;
  page = store().SearchMessages(q);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 7);
  EXPECT_TRUE(page->hits.empty());

  q.offset = 0;
  q.limit = 1000;  // clamped to a page of 25
  EXPECT_EQ(store().SearchMessages(q).value().hits.size(), 7u);
}

TEST_P(MessageStoreTest, SearchFollowsEditsAndDeletes) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_NO_FATAL_FAILURE(Post(store(), 1, kText, kAlice, "draft wording"));
  ASSERT_NO_FATAL_FAILURE(Post(store(), 2, kText, kAlice, "doomed wording"));

  MessageUpdate edit;
  edit.content = "final phrasing";
  ASSERT_TRUE(store().UpdateMessage(kText, Msg(1), edit));
  EXPECT_EQ(HitIds(store().SearchMessages(Words("phrasing")).value()), Ids{Msg(1)});
  EXPECT_EQ(HitIds(store().SearchMessages(Words("wording")).value()), Ids{Msg(2)});

  // An update that leaves the content alone keeps the message findable.
  MessageUpdate flags;
  flags.flags = 4;  // SUPPRESS_EMBEDS
  ASSERT_TRUE(store().UpdateMessage(kText, Msg(1), flags));
  EXPECT_EQ(store().SearchMessages(Words("final")).value().total, 1);

  ASSERT_TRUE(store().DeleteMessage(kText, Msg(2)));
  EXPECT_EQ(store().SearchMessages(Words("wording")).value().total, 0);
  const Ids bulk = {Msg(1)};
  ASSERT_TRUE(store().DeleteMessages(kText, bulk));
  EXPECT_EQ(store().SearchMessages(Words("final")).value().total, 0);
}

TEST_P(MessageStoreTest, SearchForgetsTheMessagesOfADeletedChannel) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_NO_FATAL_FAILURE(Post(store(), 1, kOtherText, kBob, "ephemeral words"));
  ASSERT_NO_FATAL_FAILURE(Post(store(), 2, kText, kAlice, "ephemeral too"));
  ASSERT_TRUE(store().DeleteChannel(kOtherText));
  ASSERT_NO_FATAL_FAILURE(Post(store(), 3, kText, kAlice, "ephemeral again"));
  EXPECT_EQ(HitIds(store().SearchMessages(Words("ephemeral", {kText, kOtherText})).value()),
            (Ids{Msg(3), Msg(2)}));
}

TEST_P(MessageStoreTest, SearchIgnoresCaseInAnyScriptAndMatchesWholeWords) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_NO_FATAL_FAILURE(Post(store(), 1, kText, kAlice, "Grüße aus KÖLN"));
  ASSERT_NO_FATAL_FAILURE(Post(store(), 2, kText, kAlice, "ΚΑΛΗΜΕΡΑ κόσμε"));
  ASSERT_NO_FATAL_FAILURE(Post(store(), 3, kText, kAlice, "Привет, мир"));
  ASSERT_NO_FATAL_FAILURE(Post(store(), 4, kText, kAlice, "cologne"));
  EXPECT_EQ(HitIds(store().SearchMessages(Words("köln")).value()), Ids{Msg(1)});
  EXPECT_EQ(HitIds(store().SearchMessages(Words("GRÜSSE")).value()), Ids{});
  EXPECT_EQ(HitIds(store().SearchMessages(Words("καλημερα")).value()), Ids{Msg(2)});
  EXPECT_EQ(HitIds(store().SearchMessages(Words("ПРИВЕТ")).value()), Ids{Msg(3)});
  EXPECT_EQ(HitIds(store().SearchMessages(Words("colog")).value()), Ids{});
}

// SQLite's unicode61 tokenizer removes diacritics (remove_diacritics 2); PostgreSQL's 'simple'
// configuration keeps them, so there only the exact accented word matches.
TEST_P(MessageStoreTest, SearchIgnoresDiacriticsOnSqliteOnly) {
  const bool sqlite = GetParam().name.rfind("Sqlite", 0) == 0;
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_NO_FATAL_FAILURE(Post(store(), 1, kText, kAlice, "Grüße aus Köln, café crème"));
  EXPECT_EQ(HitIds(store().SearchMessages(Words("KÖLN Café")).value()), Ids{Msg(1)});
  EXPECT_EQ(store().SearchMessages(Words("koln CAFE")).value().total, sqlite ? 1 : 0);
  EXPECT_EQ(store().SearchMessages(Words("Crême")).value().total, sqlite ? 1 : 0);
}

TEST_P(MessageStoreTest, SearchTreatsQuerySyntaxAsPlainText) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_NO_FATAL_FAILURE(Post(store(), 1, kText, kAlice, "alpha beta gamma"));
  ASSERT_NO_FATAL_FAILURE(Post(store(), 2, kText, kAlice, "near and or not"));
  const std::vector<std::string> hostile = {
      "\"",         "\"\"",
      "\"alpha",    "alpha\"",
      "*",          "alph*",
      "(",          ")",
      "(alpha",     "alpha)",
      "NEAR",       "NEAR(alpha beta)",
      "alpha AND",  "OR beta",
      "NOT",        "alpha NOT",
      "-alpha",     "+",
      "^alpha",     "alpha:beta",
      "content:x",  "\\",
      "\\\"",       "'",
      "';--",       "%",
      "_",          "{alpha}",
      "a & b | !c", "<->",
      ":*",         "alpha:*",
      "!!!",        "🦊 ☃ 😀",
      "\t\n",       "\xc3\xa9",
  };
  for (const auto& text : hostile) {
    auto page = store().SearchMessages(Words(text));
    EXPECT_TRUE(page) << "query \"" << text << "\": " << page.error().message;
  }
  // Operators are words: NEAR, AND, OR and NOT find the message that holds them.
  EXPECT_EQ(HitIds(store().SearchMessages(Words("NEAR OR")).value()), Ids{Msg(2)});
  EXPECT_EQ(HitIds(store().SearchMessages(Words("alpha OR")).value()), Ids{});
  // Punctuation around a word is not syntax: the word is still found.
  EXPECT_EQ(HitIds(store().SearchMessages(Words("\"alpha\" (beta)")).value()), Ids{Msg(1)});
  // A star is no prefix operator, and punctuation alone matches nothing.
  EXPECT_EQ(store().SearchMessages(Words("alph*")).value().total, 0);
  EXPECT_EQ(store().SearchMessages(Words("!!!")).value().total, 0);
}

}  // namespace
}  // namespace chat::store::testing
