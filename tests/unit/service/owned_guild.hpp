// What the service tests over a real store start from: an account that owns a guild with an
// @everyone role (Discord's default permissions) and the given channels.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "store/store.hpp"

namespace chat::service::test_support {

inline void SeedOwnedGuild(store::Store& store, domain::Snowflake owner_id,
                           domain::Snowflake guild_id, std::vector<domain::Channel> channels) {
  domain::User owner;
  owner.id = owner_id;
  owner.username = "owner";
  owner.email = "owner@example.com";
  ASSERT_TRUE(store.CreateUser(owner));
  store::NewGuild g;
  g.guild.id = guild_id;
  g.guild.name = "G";
  g.guild.owner_id = owner_id;
  domain::Role everyone;
  everyone.id = guild_id;
  everyone.guild_id = guild_id;
  everyone.name = "@everyone";
  everyone.permissions = 104324673;
  g.roles.push_back(everyone);
  for (auto& c : channels) c.guild_id = guild_id;
  g.channels = std::move(channels);
  g.owner.guild_id = guild_id;
  g.owner.user_id = owner_id;
  ASSERT_TRUE(store.CreateGuild(g));
}

}  // namespace chat::service::test_support
