// gateway/presence.hpp — who is online on this node and how (online/idle/dnd/invisible, their
// activities): the state behind PRESENCE_UPDATE and GUILD_CREATE's `presences`. A user is online
// while at least one of their sessions lives; the last one ending makes them offline. Invisible
// users are shown to others as offline. Thread-safe (one mutex, never held across I/O).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "domain/snowflake.hpp"

namespace chat::gateway {

struct Presence {
  std::string status = "online";       // online, idle, dnd, invisible
  std::string activities_json = "[]";  // sanitized array of activity objects
};

// The `presence` of IDENTIFY or the `d` of op 3; nullopt when malformed (status unknown,
// activities not an array of objects with a string name).
std::optional<Presence> ParsePresence(const boost::json::value& d);

// The PRESENCE_UPDATE object for `user` in `guild` as others see it.
boost::json::object PresenceJson(domain::Snowflake user, domain::Snowflake guild,
                                 const Presence& presence);

class PresenceTracker {
 public:
  // True when this is the user's first live session (they just came online).
  bool SessionStarted(domain::Snowflake user, const Presence& initial);
  // True when it was the user's last session (they are now offline).
  bool SessionEnded(domain::Snowflake user);
  void Update(domain::Snowflake user, const Presence& presence);
  // nullopt when offline or invisible.
  std::optional<Presence> Visible(domain::Snowflake user) const;
  // As the user set it, invisible included (a session handed to another node keeps it);
  // nullopt when offline.
  std::optional<Presence> Current(domain::Snowflake user) const;

 private:
  struct Entry {
    int sessions = 0;
    Presence presence;
  };
  mutable std::mutex mutex_;
  std::unordered_map<domain::Snowflake, Entry> users_;  // guarded by mutex_
};

}  // namespace chat::gateway
