// CommandStore and InteractionStore behaviour against every backend.
#include <string>

#include "store/command_store.hpp"
#include "store/errors.hpp"
#include "store/interaction_store.hpp"
#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

using domain::ApplicationCommand;
using domain::CommandType;

constexpr domain::Snowflake kOwner = 1, kBot = 2, kApp = 50, kGuild = 100, kOther = 200;

void Seed(Store& store) {
  ASSERT_TRUE(store.CreateUser(MakeUser(kOwner, "owner")));
  domain::User bot = MakeUser(kBot, "helper-bot");
  bot.email.clear();
  bot.bot = true;
  ASSERT_TRUE(store.CreateUser(bot));
  Application app;
  app.id = kApp;
  app.name = "Helper";
  app.owner_id = kOwner;
  app.bot_user_id = kBot;
  ASSERT_TRUE(store.CreateApplication(app));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kGuild, kOwner)));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kOther, kOwner, "Other")));
  domain::Member member;
  member.guild_id = kGuild;
  member.user_id = kBot;
  ASSERT_TRUE(store.AddMember(member));
}

ApplicationCommand Command(domain::Snowflake id, const std::string& name,
                           std::optional<domain::Snowflake> guild = std::nullopt,
                           CommandType type = CommandType::kChatInput) {
  ApplicationCommand c;
  c.id = id;
  c.application_id = kApp;
  c.guild_id = guild;
  c.type = type;
  c.name = name;
  c.description = type == CommandType::kChatInput ? "does " + name : "";
  c.options_json = R"([{"type":3,"name":"x","description":"x"}])";
  c.default_member_permissions = 8;
  c.version = id + 1000;
  return c;
}

TEST_P(CommandStoreTest, APutOfAKnownNameReplacesItAndTheLimitCountsItsType) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  auto first = store().PutCommand(Command(500, "roll"), 2);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(*first);
  EXPECT_TRUE((*first)->created);
  ApplicationCommand again = Command(501, "roll");
  again.description = "rolls dice";
  auto replaced = store().PutCommand(again, 2);
  ASSERT_TRUE(replaced);
  ASSERT_TRUE(*replaced);
  EXPECT_FALSE((*replaced)->created);
  EXPECT_EQ((*replaced)->command.id, 500u);
  auto read = store().GetCommand(kApp, std::nullopt, 500);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->description, "rolls dice");
  EXPECT_EQ(read->options_json, again.options_json);
  EXPECT_EQ(read->default_member_permissions, 8u);
  EXPECT_FALSE(read->guild_id);

  ASSERT_TRUE(store().PutCommand(Command(502, "flip"), 2));
  auto full = store().PutCommand(Command(503, "third"), 2);
  ASSERT_TRUE(full);
  EXPECT_FALSE(*full);  // two chat-input commands already
  // Another type, and another scope, count on their own.
  EXPECT_TRUE(*store().PutCommand(Command(504, "Menu", std::nullopt, CommandType::kUser), 2));
  EXPECT_TRUE(*store().PutCommand(Command(505, "third", kGuild), 2));
  EXPECT_EQ(store().ListCommands(kApp, std::nullopt)->size(), 3u);
  EXPECT_EQ(store().ListCommands(kApp, kGuild)->size(), 1u);
  EXPECT_TRUE(IsError(store().GetCommand(kApp, kGuild, 500), Errc::kNotFound, kUnknownCommand));
}

TEST_P(CommandStoreTest, UpdatesDeletesAndBulkReplacementKeepingIds) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_TRUE(store().PutCommand(Command(500, "alpha", kGuild), 100));
  ASSERT_TRUE(store().PutCommand(Command(501, "beta", kGuild), 100));
  ApplicationCommand renamed = Command(500, "beta", kGuild);
  EXPECT_TRUE(IsError(store().UpdateCommand(renamed), Errc::kConflict));
  renamed.name = "gamma";
  ASSERT_TRUE(store().UpdateCommand(renamed));
  EXPECT_EQ(store().GetCommand(kApp, kGuild, 500)->name, "gamma");

  auto replaced = store().ReplaceCommands(
      kApp, kGuild, {Command(600, "beta", kGuild), Command(601, "delta", kGuild)});
  ASSERT_TRUE(replaced) << replaced.error().message;
  ASSERT_EQ(replaced->size(), 2u);
  EXPECT_EQ((*replaced)[0].id, 501u);  // beta kept its id
  EXPECT_EQ((*replaced)[1].id, 601u);
  EXPECT_TRUE(IsError(store().GetCommand(kApp, kGuild, 500), Errc::kNotFound, kUnknownCommand));
  ASSERT_TRUE(store().DeleteCommand(kApp, kGuild, 601));
  EXPECT_TRUE(IsError(store().DeleteCommand(kApp, kGuild, 601), Errc::kNotFound, kUnknownCommand));

  // The index: global commands and this guild's, of applications whose bot is a member.
  ASSERT_TRUE(store().PutCommand(Command(700, "everywhere"), 100));
  ASSERT_TRUE(store().PutCommand(Command(701, "elsewhere", kOther), 100));
  auto index = store().ListGuildCommandIndex(kGuild);
  ASSERT_TRUE(index);
  ASSERT_EQ(index->size(), 2u);
  EXPECT_EQ((*index)[0].name, "beta");
  EXPECT_EQ((*index)[1].name, "everywhere");
  EXPECT_TRUE(store().ListGuildCommandIndex(kOther)->empty());  // the bot is not in it
  // A guild's commands go with it.
  ASSERT_TRUE(store().DeleteGuild(kGuild));
  EXPECT_TRUE(store().ListCommands(kApp, kGuild)->empty());
  EXPECT_EQ(store().ListCommands(kApp, std::nullopt)->size(), 1u);
}

TEST_P(CommandStoreTest, AnInteractionIsAnsweredOnceAndForgottenWhenOld) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  Interaction old{800, kApp, "hash-old", kOwner, kGuild, kGuild + 2, "roll", 1000, false, {}, 2};
  ASSERT_TRUE(store().CreateInteraction(old, 0));
  Interaction fresh{801, kApp, "hash", kOwner, kGuild, kGuild + 2, "Quote", 5000, false, {}, 3};
  ASSERT_TRUE(store().CreateInteraction(fresh, 2000));  // forgets what came before 2000
  EXPECT_TRUE(IsError(store().GetInteraction(800), Errc::kNotFound, kUnknownInteraction));
  auto read = store().GetInteraction(801);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->token_hash, "hash");
  EXPECT_EQ(read->guild_id, kGuild);
  EXPECT_FALSE(read->acknowledged);
  EXPECT_FALSE(read->response_message_id);
  EXPECT_EQ(read->command_type, 3);  // a message command

  auto first = store().AcknowledgeInteraction(801, /*ephemeral=*/true);
  ASSERT_TRUE(first);
  EXPECT_TRUE(*first);
  EXPECT_FALSE(*store().AcknowledgeInteraction(801, false));  // answered once
  read = store().GetInteraction(801);
  EXPECT_TRUE(read->acknowledged);
  EXPECT_TRUE(read->response_ephemeral);
  // A failed post gives the answer back.
  ASSERT_TRUE(store().ReleaseInteraction(801));
  EXPECT_FALSE(store().GetInteraction(801)->acknowledged);
  EXPECT_TRUE(*store().AcknowledgeInteraction(801, false));
  // The original response is recorded once: a racing second one is told so.
  EXPECT_TRUE(*store().SetInteractionResponse(801, 901));
  EXPECT_FALSE(*store().SetInteractionResponse(801, 902));
  read = store().GetInteraction(801);
  EXPECT_FALSE(read->response_ephemeral);
  EXPECT_EQ(read->response_message_id, 901u);
  EXPECT_TRUE(
      IsError(store().SetInteractionResponse(802, 1), Errc::kNotFound, kUnknownInteraction));
}

TEST_P(CommandStoreTest, AComponentsInteractionKeepsItsMessageModalAndEphemeralAnswers) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  Interaction used{810, kApp, "hash", kOwner, kGuild, kGuild + 2, "yes", 5000, false, {}, 1};
  used.type = 3;
  used.message_id = 905;
  ASSERT_TRUE(store().CreateInteraction(used, 0));
  auto read = store().GetInteraction(810);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->type, 3);
  EXPECT_EQ(read->message_id, 905u);
  EXPECT_FALSE(read->modal_json);
  ASSERT_TRUE(store().SetInteractionModal(810, R"({"custom_id":"m"})"));
  EXPECT_EQ(store().GetInteraction(810)->modal_json, R"({"custom_id":"m"})");
  EXPECT_TRUE(
      IsError(store().SetInteractionModal(811, "{}"), Errc::kNotFound, kUnknownInteraction));

  // An ephemeral message is its one user's; an edit replaces it; it goes with its interaction.
  ASSERT_TRUE(store().PutEphemeralMessage({920, 810, kOwner, R"({"content":"a"})"}));
  ASSERT_TRUE(store().PutEphemeralMessage({920, 810, kOwner, R"({"content":"b"})"}));
  auto shown = store().GetEphemeralMessage(920, kOwner);
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->json, R"({"content":"b"})");
  EXPECT_EQ(shown->interaction_id, 810u);
  EXPECT_TRUE(IsError(store().GetEphemeralMessage(920, kBot), Errc::kNotFound));
  ASSERT_TRUE(store().PutEphemeralMessage({921, 810, kOwner, "{}"}));
  ASSERT_TRUE(store().DeleteEphemeralMessage(921));
  EXPECT_TRUE(IsError(store().GetEphemeralMessage(921, kOwner), Errc::kNotFound));
  Interaction later{812, kApp, "h2", kOwner, kGuild, kGuild + 2, "x", 9000000, false, {}, 1};
  ASSERT_TRUE(store().CreateInteraction(later, 6000));  // forgets 810 and what it showed
  EXPECT_TRUE(IsError(store().GetEphemeralMessage(920, kOwner), Errc::kNotFound));
}

TEST_P(CommandStoreTest, CommandPermissionsArePutPerCommandAndListedPerApplication) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  auto none = store().ListCommandPermissions(kApp, kGuild);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_TRUE(none->empty());
  const std::string deny = R"([{"id":"7","type":2,"permission":false}])";
  const std::string allow = R"([{"id":"100","type":1,"permission":true}])";
  ASSERT_TRUE(store().PutCommandPermissions(kApp, kGuild, {900, deny}));
  ASSERT_TRUE(store().PutCommandPermissions(kApp, kGuild, {kApp, allow}));
  ASSERT_TRUE(store().PutCommandPermissions(kApp, kGuild, {900, allow}));  // replaces
  auto listed = store().ListCommandPermissions(kApp, kGuild);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].command_id, kApp);
  EXPECT_EQ((*listed)[1].command_id, 900u);
  EXPECT_EQ((*listed)[1].permissions, allow);
  EXPECT_TRUE(store().ListCommandPermissions(kApp, kOther)->empty());
  ASSERT_TRUE(store().PutCommandPermissions(kApp, kGuild, {900, "[]"}));  // deletes
  ASSERT_EQ(store().ListCommandPermissions(kApp, kGuild)->size(), 1u);
  EXPECT_TRUE(IsError(store().PutCommandPermissions(kApp, 999, {900, deny}), Errc::kNotFound,
                      kUnknownGuild));
  // They go with their guild.
  ASSERT_TRUE(store().DeleteGuild(kGuild));
  EXPECT_TRUE(store().ListCommandPermissions(kApp, kGuild)->empty());
}

}  // namespace
}  // namespace chat::store::testing
