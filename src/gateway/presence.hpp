// gateway/presence.hpp — who is online and how (online/idle/dnd/invisible, their
// activities): the state behind PRESENCE_UPDATE and GUILD_CREATE's `presences`. A user is online
// while at least one of their sessions lives; the last one ending makes them offline. Invisible
// users are shown to others as offline. With several nodes, "online" and the presence are the
// deployment's (bus/presence_directory.hpp). Thread-safe (one mutex, never held across I/O).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "bus/presence_directory.hpp"
#include "bus/shared_keys.hpp"
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

// A presence as the PresenceDirectory keeps it, and back (nullopt: not one of ours).
std::string EncodePresence(const Presence& presence);
std::optional<Presence> DecodePresence(std::string_view text);

class PresenceTracker {
 public:
  // Shares presence with the other nodes through `directory` from now on (null: this node alone).
  // Set once before serving. Shared, every call below may block on the network: call them from a
  // blocking pool. Whenever the directory fails (logged once per outage), this node's own sessions
  // answer, as on a single node.
  void Share(bus::PresenceDirectory* directory) { directory_ = directory; }

  // A session of `user` started here with `initial` (`stated`: the client set it, so it replaces
  // what their other sessions set). True when they just came online: their first session anywhere.
  bool SessionStarted(domain::Snowflake user, const Presence& initial, bool stated = false);
  // True when it was the user's last session anywhere (they are now offline).
  bool SessionEnded(domain::Snowflake user);
  void Update(domain::Snowflake user, const Presence& presence);
  // nullopt when offline or invisible.
  std::optional<Presence> Visible(domain::Snowflake user) const;
  // Visible for each of `users`, in order, in one call.
  std::vector<std::optional<Presence>> Visible(std::span<const domain::Snowflake> users) const;
  // As the user set it, invisible included (a session handed to another node keeps it);
  // nullopt when offline.
  std::optional<Presence> Current(domain::Snowflake user) const;
  // Marks this node alive for the others (call every beat, on a thread of its own: a node
  // whose pulse lags three beats counts as dead). Notes when the directory had lost it.
  void Pulse();
  struct Swept {
    // The users whose presence is to be published again: those of nodes that stopped pulsing,
    // now offline everywhere, and those this node's resync turned online or offline.
    std::vector<domain::Snowflake> users;
    std::vector<std::string> voice_left;  // voice states of dead nodes, now cleared
    bool resynced = false;                // this node's entries were set right: voice states too
  };
  // Takes off the users of dead nodes, and sets this node's entries right when calls failed or
  // the directory lost them (call every beat).
  Swept Sweep();
  bus::PresenceDirectory* directory() const { return directory_; }

 private:
  // How many sessions of the user this node holds, and their presence.
  std::pair<int, Presence> Held(domain::Snowflake user) const;

  struct Entry {
    int sessions = 0;
    Presence presence;
  };
  void Failed(const Error& error) const;  // logs the outage; the next sweep resyncs

  bus::PresenceDirectory* directory_ = nullptr;
  mutable bus::SharedKeysOutageLog outage_{
      "presence", "this node shows only its own sessions' users online until it is back"};
  mutable std::atomic<bool> resync_{false};
  mutable std::mutex mutex_;
  std::unordered_map<domain::Snowflake, Entry> users_;  // this node's sessions; guarded by mutex_
};

}  // namespace chat::gateway
