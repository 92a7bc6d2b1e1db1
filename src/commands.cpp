#include "commands.hpp"

#include <charconv>
#include <cstdio>

#include "app.hpp"
#include "domain/permissions.hpp"
#include "domain/snowflake.hpp"
#include "service/auth/password_hasher.hpp"
#include "store_factory.hpp"

namespace chat {
namespace {

using service::auth::PasswordHasher;

bool ParseCount(const std::string& text, int& out) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && p == text.data() + text.size() && out > 0;
}

int Fail(const std::string& what, const Error& e) {
  std::fprintf(stderr, "chat-server: %s: %s\n", what.c_str(), e.message.c_str());
  return 1;
}

// Conflicts mean the row is there already: seeding twice changes nothing, as the seed's
// `ON CONFLICT DO NOTHING` does.
bool Ok(const Result<void>& r) { return r || r.error().code == Errc::kConflict; }

}  // namespace

int RunMigrate(const config::Settings& settings, const std::vector<std::string>& args) {
  const std::string usage = "usage: chat-server migrate up | down [N | --all] | status";
  if (args.empty() || args.size() > 2) {
    std::fprintf(stderr, "chat-server: %s\n", usage.c_str());
    return 2;
  }
  auto backend = store::OpenMigrationBackend(settings);
  if (!backend) return Fail("cannot open the database", backend.error());
  store::Migrator migrator(**backend, store::MigrationsFor(settings));
  const std::string& verb = args[0];
  if (verb == "up" && args.size() == 1) {
    auto n = migrator.Up();
    if (!n) return Fail("migrate up failed", n.error());
    std::printf("applied %d migration(s)\n", *n);
  } else if (verb == "down") {
    int count = 1;
    if (args.size() == 2 && args[1] != "--all" && !ParseCount(args[1], count)) {
      std::fprintf(stderr, "chat-server: %s\n", usage.c_str());
      return 2;
    }
    auto n = args.size() == 2 && args[1] == "--all" ? migrator.DownAll() : migrator.Down(count);
    if (!n) return Fail("migrate down failed", n.error());
    std::printf("reverted %d migration(s)\n", *n);
  } else if (verb == "status" && args.size() == 1) {
    auto status = migrator.Status();
    if (!status) return Fail("migrate status failed", status.error());
    for (const auto& m : *status) {
      std::printf("%04d %-32s %s%s\n", m.version, m.name.c_str(), m.applied ? "applied" : "pending",
                  m.known ? "" : " (unknown to this binary)");
    }
  } else {
    std::fprintf(stderr, "chat-server: %s\n", usage.c_str());
    return 2;
  }
  return 0;
}

int RunSeed(const config::Settings& settings, const std::vector<std::string>& args) {
  int load_test_users = 0;
  if (!args.empty()) {
    if (args.size() != 2 || args[0] != "--load-test-users" ||
        !ParseCount(args[1], load_test_users) || load_test_users > 100000) {
      std::fprintf(stderr,
                   "chat-server: usage: chat-server seed [--load-test-users N (1-100000)]\n");
      return 2;
    }
  }
  auto opened = store::OpenStore(settings, /*migrate=*/true);
  if (!opened) return Fail("cannot open the database", opened.error());
  store::Store& db = **opened;

  // The seed's scripts/seed-data.sql, with real argon2id hashes (passwords in the README).
  struct SeedUser {
    domain::Snowflake id;
    const char* username;
    const char* email;
    const char* password;
    const char* display_name;
  };
  const SeedUser users[] = {
      {1, "admin", "admin@chat.local", "Admin@12345", "Administrator"},
      {2, "testuser1", "user1@chat.local", "TestUser1@123", "Test User 1"},
      {3, "testuser2", "user2@chat.local", "TestUser2@123", "Test User 2"},
  };
  // At the configured cost, as any new password (the seed's own cost by default).
  const service::auth::HashParams cost = HashParamsOf(settings);
  for (const auto& u : users) {
    domain::User user;
    user.id = u.id;
    user.username = u.username;
    user.email = u.email;
    user.password_hash = PasswordHasher::Hash(u.password, cost);
    user.display_name = u.display_name;
    user.verified = true;  // their addresses are the seed's own, never mailed
    if (auto r = db.CreateUser(user); !Ok(r)) return Fail("seeding users failed", r.error());
  }

  store::NewGuild guild;
  guild.guild.id = 1;
  guild.guild.name = "Test Server";
  guild.guild.owner_id = 1;
  auto role = [](domain::Snowflake id, const char* name, std::uint64_t perms, int pos,
                 std::optional<std::uint32_t> color) {
    domain::Role r;
    r.id = id;
    r.guild_id = 1;
    r.name = name;
    r.permissions = perms;
    r.position = pos;
    r.color = color;
    return r;
  };
  guild.roles = {role(1, "@everyone", 104324673, 0, std::nullopt),
                 role(2, "Admin", 8589934591ull, 1, 15158332),
                 role(3, "Moderator", 1099511627775ull, 2, 3447003)};
  auto channel = [](domain::Snowflake id, const char* name, domain::ChannelType type, int pos) {
    domain::Channel c;
    c.id = id;
    c.guild_id = 1;
    c.name = name;
    c.type = type;
    c.position = pos;
    if (type == domain::ChannelType::kGuildVoice) {
      c.bitrate = 64000;
    }
    return c;
  };
  guild.channels = {channel(1, "general", domain::ChannelType::kGuildText, 0),
                    channel(2, "random", domain::ChannelType::kGuildText, 1),
                    channel(3, "announcements", domain::ChannelType::kGuildText, 2),
                    channel(4, "General", domain::ChannelType::kGuildVoice, 3)};
  guild.owner.guild_id = 1;
  guild.owner.user_id = 1;
  guild.owner.role_ids = {2};
  if (auto r = db.CreateGuild(guild); !Ok(r)) return Fail("seeding the server failed", r.error());
  for (auto [id, nick] :
       {std::pair<domain::Snowflake, const char*>{2, "User One"}, {3, "User Two"}}) {
    domain::Member m;
    m.guild_id = 1;
    m.user_id = id;
    m.nickname = nick;
    if (auto r = db.AddMember(m); !Ok(r)) return Fail("seeding members failed", r.error());
  }
  const std::pair<domain::Snowflake, const char*> messages[] = {
      {1, "Welcome to the test server!"}, {2, "Hello everyone!"}, {3, "Nice to meet you all!"}};
  for (const auto& [id, text] : messages) {
    domain::Message m;
    m.id = id;
    m.channel_id = 1;
    m.author_id = id;
    m.content = text;
    m.created_at_ms = domain::SnowflakeGenerator::SystemClockMs();
    if (auto r = db.CreateMessage(m); !Ok(r)) return Fail("seeding messages failed", r.error());
  }
  std::printf(
      "seeded: users admin / Admin@12345, testuser1 / TestUser1@123, "
      "testuser2 / TestUser2@123; server \"Test Server\" (id 1), channel general (id 1)\n");

  if (load_test_users > 0) {
    // Cheap, still argon2id, hash parameters: N = 500 must take seconds, and each hash keeps
    // its own parameters, so these accounts verify with them and new ones use PASSWORD_HASH_*.
    domain::SnowflakeGenerator ids(settings.worker_id, 31);
    int created = 0;
    for (int i = 1; i <= load_test_users; ++i) {
      const std::string name = "user_" + std::to_string(i);
      if (db.GetUserByUsername(name)) continue;
      domain::User user;
      user.id = ids.Next();
      user.username = name;
      user.email = name + "@loadtest.local";
      user.password_hash = PasswordHasher::Hash("password123", PasswordHasher::Fast());
      user.verified = true;
      if (auto r = db.CreateUser(user); !r) return Fail("creating " + name + " failed", r.error());
      domain::Member m;
      m.guild_id = 1;
      m.user_id = user.id;
      if (auto r = db.AddMember(m); !Ok(r)) return Fail("adding " + name + " failed", r.error());
      ++created;
    }
    std::printf(
        "load-test users: user_1 … user_%d / password123 (%d new), members of Test Server\n",
        load_test_users, created);
  }
  return 0;
}

}  // namespace chat
