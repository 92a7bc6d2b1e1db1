// Message components and modals as Discord validates them (domain/json/component_json): what an
// application may put on a message or in a modal, and what a user may do with them.
#include "domain/json/component_json.hpp"

#include "domain/json/message_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>
#include <vector>

namespace chat::domain::json {
namespace {

namespace bj = boost::json;

template <typename T>
std::vector<std::string> Fields(const Result<T>& r) {
  std::vector<std::string> out;
  if (!r) {
    for (const auto& f : r.error().fields) out.push_back(f.field);
  }
  return out;
}

TEST(ParseComponents, RebuildsRowsFromTheFieldsItKnows) {
  auto parsed = ParseComponents(bj::parse(R"([{"type":1,"extra":1,"components":[
      {"type":2,"style":1,"label":"Go","custom_id":"go","junk":true},
      {"type":2,"style":5,"emoji":{"name":"🔗"},"url":"https://example.com"}]}])"));
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->interactive);
  EXPECT_EQ(bj::serialize(parsed->components),
            R"([{"type":1,"components":[{"type":2,"style":1,"label":"Go","custom_id":"go"},)"
            R"({"type":2,"style":5,"emoji":{"name":"🔗"},"url":"https://example.com"}]}])");
  // Ids as discord.py sends them, integers, are read as well as strings.
  auto numeric = ParseComponents(bj::parse(R"([{"type":1,"components":[
      {"type":2,"style":2,"custom_id":"e","emoji":{"id":123,"name":"blob"}}]},
      {"type":1,"components":[{"type":5,"custom_id":"u","default_values":[{"id":42,"type":"user"}]}]}])"));
  ASSERT_TRUE(numeric) << numeric.error().message;
  EXPECT_EQ(numeric->components[0].at("components").at(0).at("emoji").at("id"), "123");
  EXPECT_EQ(numeric->components[1].at("components").at(0).at("default_values").at(0).at("id"),
            "42");
  auto links = ParseComponents(bj::parse(
      R"([{"type":1,"components":[{"type":2,"style":5,"label":"x","url":"http://a.b"}]}])"));
  ASSERT_TRUE(links);
  EXPECT_FALSE(links->interactive);  // a link button starts no interaction
}

TEST(ParseComponents, NamesEachBadField) {
  auto r = ParseComponents(bj::parse(R"([{"type":1,"components":[
      {"type":2,"style":9,"label":"z","custom_id":"z"},
      {"type":2,"style":1,"label":"a","custom_id":"a"},
      {"type":2,"style":1,"label":"b","custom_id":"a"},
      {"type":2,"style":1,"custom_id":"c"}]}])"));
  EXPECT_EQ(Fields(r), (std::vector<std::string>{"components.0.components.0.style",
                                                 "components.0.components.2.custom_id",
                                                 "components.0.components.3"}));
  EXPECT_EQ(Fields(ParseComponents(bj::parse(R"([{"type":1,"components":[{"type":3,
      "custom_id":"s","min_values":2,"max_values":1,"options":[{"label":"a","value":"a"}]}]}])"))),
            std::vector<std::string>{"components.0.components.0.min_values"});
  EXPECT_EQ(Fields(ParseComponents(bj::parse(R"([{"type":1,"components":[{"type":6,
      "custom_id":"r","default_values":[{"id":"5","type":"user"}]}]}])"))),
            std::vector<std::string>{"components.0.components.0.default_values.0.type"});
  EXPECT_EQ(Fields(ParseComponents(bj::parse("[1,2,3,4,5,6]"))),
            std::vector<std::string>{"components"});
}

TEST(CheckComponentUse, TakesOnlyWhatTheMenuOffers) {
  auto rows = ParseComponents(bj::parse(R"([{"type":1,"components":[{"type":3,"custom_id":"s",
      "max_values":2,"options":[{"label":"A","value":"a"},{"label":"B","value":"b"},
      {"label":"C","value":"c"}]}]},{"type":1,"components":[{"type":8,"custom_id":"ch",
      "channel_types":[0]}]},{"type":1,"components":[{"type":2,"style":1,"label":"x",
      "custom_id":"off","disabled":true}]}])"));
  ASSERT_TRUE(rows);
  OptionTargets targets;
  auto ok =
      CheckComponentUse(rows->components, "s", kStringSelect, bj::parse(R"(["b","a"])"), targets);
  ASSERT_TRUE(ok);
  EXPECT_EQ(bj::serialize(ok->at("values")), R"(["b","a"])");
  for (const char* bad : {R"(["z"])", R"([])", R"(["a","b","c"])", R"(["a","a"])", "null"}) {
    EXPECT_FALSE(CheckComponentUse(rows->components, "s", kStringSelect, bj::parse(bad), targets))
        << bad;
  }
  EXPECT_FALSE(CheckComponentUse(rows->components, "s", kButton, nullptr, targets));
  EXPECT_FALSE(CheckComponentUse(rows->components, "off", kButton, nullptr, targets));
  EXPECT_FALSE(CheckComponentUse(rows->components, "nope", kButton, nullptr, targets));
  ASSERT_TRUE(
      CheckComponentUse(rows->components, "ch", kChannelSelect, bj::parse(R"(["42"])"), targets));
  EXPECT_EQ(targets.channels, std::vector<Snowflake>{42});
  ASSERT_EQ(targets.channel_types.size(), 1u);
  EXPECT_EQ(targets.channel_types[0].second, std::vector<int>{0});
}

TEST(CheckModalSubmit, NeedsRequiredFieldsWithinBoundsAndNoOthers) {
  auto modal = ParseModal(bj::parse(R"({"custom_id":"m","title":"T","components":[
      {"type":1,"components":[{"type":4,"custom_id":"name","label":"Name","max_length":5}]},
      {"type":1,"components":[{"type":4,"custom_id":"note","label":"Note","style":2,
       "required":false}]}]})")
                              .as_object());
  ASSERT_TRUE(modal);
  auto submit = [&](const char* fields) {
    return CheckModalSubmit(*modal,
                            bj::parse(std::string(R"([{"type":1,"components":)") + fields + "}]"));
  };
  auto ok = submit(R"([{"type":4,"custom_id":"name","value":"Ann"}])");
  ASSERT_TRUE(ok);
  EXPECT_EQ(bj::serialize(*ok),
            R"([{"type":1,"components":[{"type":4,"custom_id":"name","value":"Ann"}]},)"
            R"({"type":1,"components":[{"type":4,"custom_id":"note","value":""}]}])");
  EXPECT_FALSE(submit(R"([{"type":4,"custom_id":"note","value":"x"}])"));        // name required
  EXPECT_FALSE(submit(R"([{"type":4,"custom_id":"name","value":"Annabel"}])"));  // too long
  EXPECT_FALSE(submit(R"([{"type":4,"custom_id":"name","value":"A"},
      {"type":4,"custom_id":"age","value":"3"}])"));                             // not in the modal
  // The modal's own id may be one of its fields'.
  EXPECT_TRUE(ParseModal(bj::parse(R"({"custom_id":"name","title":"T","components":[
      {"type":1,"components":[{"type":4,"custom_id":"name","label":"Name"}]}]})")
                             .as_object()));
  EXPECT_EQ(Fields(ParseModal(bj::parse(R"({"custom_id":"m","title":"T","components":[
      {"type":1,"components":[{"type":2,"style":1,"label":"b","custom_id":"b"}]}]})")
                                  .as_object())),
            std::vector<std::string>{"data.components.0.components.0.type"});
}

TEST(MessageComponents, ShowOnTheMessageAndGoWithItsContentForBotsWithoutTheIntent) {
  MessageData data;
  data.message.id = 5;
  data.message.content = "pick";
  data.message.components_json =
      R"([{"type":1,"components":[{"type":2,"style":1,"label":"Go","custom_id":"go"}]}])";
  const bj::object shown = MessageJson(data);
  EXPECT_EQ(bj::serialize(shown.at("components")), data.message.components_json);
  // A bot without MESSAGE_CONTENT gets neither the text nor the components, as on Discord.
  const bj::object stripped = WithoutContent(shown);
  EXPECT_EQ(stripped.at("content"), "");
  EXPECT_TRUE(stripped.at("components").as_array().empty());
}

}  // namespace
}  // namespace chat::domain::json
