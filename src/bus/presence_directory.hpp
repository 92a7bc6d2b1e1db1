// bus/presence_directory.hpp — who is online across the nodes of a deployment, the presence each
// user set, and who sits in which voice channel. With it, a user's sessions on several nodes are
// one user: online while any of them lives, on any node; offline when the last one ends, wherever
// that is; and GUILD_CREATE and member chunks show the users connected to other nodes. Each node
// reports the sessions it holds and pulses now and then; the nodes that stop pulsing (crashed)
// are found by the others, which take their users offline. Redis implements it
// (bus/redis/redis_presence.hpp); a single node has none and keeps presence in its memory
// (gateway/presence.hpp). Presences are opaque text here. Calls block on the network: call them
// from a blocking pool. Thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domain/snowflake.hpp"

namespace chat::bus {

class PresenceDirectory {
 public:
  virtual ~PresenceDirectory() = default;
  // A session of `user` started on this node. `presence` becomes theirs when they were offline
  // everywhere, or in any case with `replace`. True when they were offline everywhere. Sessions
  // are counted, so a start and an end of one user's sessions may arrive in either order.
  [[nodiscard]] virtual Result<bool> Joined(domain::Snowflake user, std::string_view presence,
                                            bool replace) = 0;
  // A session of `user` on this node ended. True when they are now offline everywhere.
  [[nodiscard]] virtual Result<bool> Left(domain::Snowflake user) = 0;
  // The presence of `user`, who is online.
  [[nodiscard]] virtual Result<void> Set(domain::Snowflake user, std::string_view presence) = 0;
  // The presence of each of `users`, in order; nullopt for those offline everywhere.
  [[nodiscard]] virtual Result<std::vector<std::optional<std::string>>> Get(
      std::span<const domain::Snowflake> users) = 0;

  // Setting this node's entries right again after the directory lost or missed some. The users
  // this node has entries for:
  [[nodiscard]] virtual Result<std::vector<domain::Snowflake>> Held() = 0;
  // Sets how many sessions of `user` this node holds (> 0). True when they were offline
  // everywhere (their presence becomes `presence`).
  [[nodiscard]] virtual Result<bool> Rejoin(domain::Snowflake user, std::string_view presence,
                                            int sessions) = 0;
  // This node holds no session of `user`. True when they are now offline everywhere.
  [[nodiscard]] virtual Result<bool> Forget(domain::Snowflake user) = 0;

  // Voice states (opaque text), one per user and guild, held by a session of this node. Puts
  // `state`, replacing what any node held for the user (with `unless_taken`, only a state absent
  // or held by the same session); empty: the user left. False when nothing changed.
  [[nodiscard]] virtual Result<bool> PutVoice(domain::Snowflake guild, domain::Snowflake user,
                                              std::string_view session_id, std::string_view state,
                                              bool unless_taken = false) = 0;
  // Clears the user's state if `session_id` of this node still holds it (a session elsewhere may
  // have taken it over since). True when it did.
  [[nodiscard]] virtual Result<bool> DropVoice(domain::Snowflake guild, domain::Snowflake user,
                                               std::string_view session_id) = 0;
  // The states in `guild` that live nodes hold.
  [[nodiscard]] virtual Result<std::vector<std::string>> VoiceInGuild(domain::Snowflake guild) = 0;

  // Marks this node alive for three pulses. True when it was not: its first pulse, or its entries
  // were lost (Redis restarted empty, or the others took it for dead): it must rejoin its users.
  [[nodiscard]] virtual Result<bool> Pulse() = 0;
  struct Swept {
    std::vector<domain::Snowflake> gone;  // users of dead nodes, now offline everywhere
    std::vector<std::string> voice_left;  // the voice states dead nodes held, now cleared
    bool more = false;                    // a batch remains: call again
  };
  // Takes off a batch of the users and voice states of nodes that stopped pulsing.
  [[nodiscard]] virtual Result<Swept> Sweep() = 0;
};

}  // namespace chat::bus
