// tests/unit/store/store_test_util.hpp — builders for the store suite: realistic snowflakes and
// minimal valid users, guilds and messages, so each test states only what it checks.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "common/result.hpp"

#include "domain/channel.hpp"
#include "domain/guild.hpp"
#include "domain/message.hpp"
#include "domain/snowflake.hpp"
#include "domain/user.hpp"
#include "store/guild_store.hpp"

namespace chat::store::testing {

// A snowflake of a fixed moment (2024) plus `n`: big enough to need all 63 bits' range.
inline domain::Snowflake Id(std::uint64_t n) {
  return domain::SnowflakeFromUnixMs(1704067200000) + n;
}

inline domain::User MakeUser(domain::Snowflake id, const std::string& username) {
  domain::User u;
  u.id = id;
  u.username = username;
  u.email = username + "@example.com";
  u.password_hash = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g";
  return u;
}

// A guild with @everyone (id == guild id), a category, a text channel in it and a voice
// channel; the owner is its first member.
// Ids: guild g, @everyone g, category g+1, text g+2, voice g+3.
inline NewGuild MakeGuild(domain::Snowflake guild_id, domain::Snowflake owner_id,
                          const std::string& name = "Test Server") {
  NewGuild g;
  g.guild.id = guild_id;
  g.guild.name = name;
  g.guild.owner_id = owner_id;
  domain::Role everyone;
  everyone.id = guild_id;
  everyone.name = "@everyone";
  everyone.permissions = 104324673;
  g.roles.push_back(everyone);
  domain::Channel category;
  category.id = guild_id + 1;
  category.type = domain::ChannelType::kGuildCategory;
  category.name = "Text Channels";
  domain::Channel text;
  text.id = guild_id + 2;
  text.type = domain::ChannelType::kGuildText;
  text.name = "general";
  text.parent_id = category.id;
  text.position = 0;
  domain::Channel voice;
  voice.id = guild_id + 3;
  voice.type = domain::ChannelType::kGuildVoice;
  voice.name = "General";
  voice.position = 1;
  voice.bitrate = 64000;
  // Children listed before their parent on purpose: the store must order the inserts.
  g.channels = {text, category, voice};
  g.owner.user_id = owner_id;
  return g;
}

inline domain::Message MakeMessage(domain::Snowflake id, domain::Snowflake channel_id,
                                   domain::Snowflake author_id, const std::string& content) {
  domain::Message m;
  m.id = id;
  m.channel_id = channel_id;
  m.author_id = author_id;
  m.content = content;
  return m;
}

// EXPECT_TRUE(IsError(result, Errc::kNotFound, 10013)): the kind and, when given, the api_code.
template <class T>
::testing::AssertionResult IsError(const Result<T>& result, Errc code, int api_code = 0) {
  if (result.has_value()) return ::testing::AssertionFailure() << "succeeded";
  const Error& e = result.error();
  if (e.code != code || (api_code != 0 && e.api_code != api_code)) {
    return ::testing::AssertionFailure()
           << "got " << ErrcName(e.code) << " " << e.api_code << " (" << e.message << ")";
  }
  return ::testing::AssertionSuccess();
}

}  // namespace chat::store::testing
