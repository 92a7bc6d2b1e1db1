// Group DMs as the wire shows them (domain/json/guild_json): the DM fields, plus the name and icon
// (null when none) and the owner; a DM has none of the three.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "domain/json/guild_json.hpp"

namespace chat::domain::json {
namespace {

namespace bj = boost::json;

Channel Group() {
  Channel c;
  c.id = 40;
  c.type = ChannelType::kGroupDm;
  c.owner_id = 7;
  c.recipient_ids = {7, 8, 9};
  return c;
}

TEST(GroupDmJson, AnUnnamedGroupShowsNullNameAndIconAndItsOwner) {
  User other;
  other.id = 8;
  other.username = "eight";
  const bj::object shown = DmChannelJson(Group(), {other});
  EXPECT_EQ(shown.at("type"), 3);
  EXPECT_TRUE(shown.at("name").is_null());
  EXPECT_TRUE(shown.at("icon").is_null());
  EXPECT_EQ(shown.at("owner_id"), "7");
  ASSERT_EQ(shown.at("recipients").as_array().size(), 1u);
  EXPECT_EQ(shown.at("recipients").as_array()[0].at("id"), "8");
}

TEST(GroupDmJson, ANamedGroupWithAnIconShowsThem) {
  Channel c = Group();
  c.name = "Trip";
  c.icon_hash = "0123456789abcdef0123456789abcdef";
  const bj::object shown = ChannelJson(c);
  EXPECT_EQ(shown.at("name"), "Trip");
  EXPECT_EQ(shown.at("icon"), "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(shown.at("recipient_ids"), bj::parse(R"(["7","8","9"])"));
}

TEST(GroupDmJson, ADmHasNoGroupFields) {
  Channel dm;
  dm.id = 41;
  dm.type = ChannelType::kDm;
  dm.recipient_ids = {7, 8};
  const bj::object shown = DmChannelJson(dm, {});
  EXPECT_FALSE(shown.contains("name"));
  EXPECT_FALSE(shown.contains("icon"));
  EXPECT_FALSE(shown.contains("owner_id"));
}

}  // namespace
}  // namespace chat::domain::json
