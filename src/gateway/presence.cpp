#include "gateway/presence.hpp"

#include <algorithm>

#include <boost/json.hpp>

namespace chat::gateway {
namespace {

namespace bj = boost::json;

constexpr std::size_t kMaxActivities = 5;
constexpr std::size_t kMaxText = 128;

bool CopyString(const bj::object& from, bj::object& to, std::string_view key) {
  auto* v = from.if_contains(key);
  if (!v || v->is_null()) return true;
  if (!v->is_string() || v->get_string().size() > kMaxText) return false;
  to[key] = v->get_string();
  return true;
}

}  // namespace

std::optional<Presence> ParsePresence(const bj::value& d) {
  if (!d.is_object()) return std::nullopt;
  const auto& o = d.get_object();
  Presence p;
  if (auto* s = o.if_contains("status"); s && !s->is_null()) {
    if (!s->is_string()) return std::nullopt;
    const std::string_view status = s->get_string();
    if (status == "offline") {
      p.status = "invisible";  // Discord treats a client asking for offline as invisible
    } else if (status == "online" || status == "idle" || status == "dnd" || status == "invisible") {
      p.status = std::string(status);
    } else {
      return std::nullopt;
    }
  }
  bj::array activities;
  if (auto* a = o.if_contains("activities"); a && !a->is_null()) {
    if (!a->is_array() || a->get_array().size() > kMaxActivities) return std::nullopt;
    // Only the fields others need are relayed: nothing a client invents reaches other clients.
    for (const auto& item : a->get_array()) {
      if (!item.is_object()) return std::nullopt;
      const auto& in = item.get_object();
      auto* name = in.if_contains("name");
      if (!name || !name->is_string() || name->get_string().size() > kMaxText) return std::nullopt;
      bj::object out{{"name", name->get_string()}};
      auto* type = in.if_contains("type");
      out["type"] = type && type->is_int64() && type->get_int64() >= 0 && type->get_int64() <= 6
                        ? type->get_int64()
                        : 0;
      if (!CopyString(in, out, "state") || !CopyString(in, out, "url") ||
          !CopyString(in, out, "details")) {
        return std::nullopt;
      }
      activities.push_back(std::move(out));
    }
  }
  p.activities_json = bj::serialize(activities);
  return p;
}

bj::object PresenceJson(domain::Snowflake user, domain::Snowflake guild, const Presence& p) {
  const std::string status = p.status == "invisible" ? "offline" : p.status;
  bj::object o;
  o["user"] = bj::object{{"id", domain::ToString(user)}};
  o["guild_id"] = domain::ToString(guild);
  o["status"] = status;
  boost::system::error_code ec;
  auto activities = bj::parse(p.activities_json, ec);
  o["activities"] = status == "offline" || ec ? bj::value(bj::array()) : std::move(activities);
  bj::object client_status;
  if (status != "offline") client_status["desktop"] = status;
  o["client_status"] = std::move(client_status);
  return o;
}

std::string EncodePresence(const Presence& presence) {
  // The status never holds a newline, and serialized JSON never holds a raw one.
  return presence.status + "\n" + presence.activities_json;
}

std::optional<Presence> DecodePresence(std::string_view text) {
  const auto split = text.find('\n');
  if (split == std::string_view::npos) return std::nullopt;
  Presence p;
  p.status = std::string(text.substr(0, split));
  if (p.status != "online" && p.status != "idle" && p.status != "dnd" && p.status != "invisible") {
    return std::nullopt;
  }
  p.activities_json = std::string(text.substr(split + 1));
  boost::system::error_code ec;
  auto activities = bj::parse(p.activities_json, ec);
  if (ec || !activities.is_array()) return std::nullopt;
  return p;
}

bool PresenceTracker::SessionStarted(domain::Snowflake user, const Presence& initial, bool stated) {
  bool first_here = false;
  {
    std::lock_guard lock(mutex_);
    auto& e = users_[user];
    first_here = ++e.sessions == 1;
    if (first_here || stated) e.presence = initial;
  }
  if (directory_ != nullptr) {
    // Every session is told, not just this node's first: the directory counts them, so this
    // start and the end of another session of the user may reach it in either order.
    auto came = directory_->Joined(user, EncodePresence(initial), stated);
    if (came) {
      outage_.Worked();
      return *came;
    }
    Failed(came.error());
  }
  return first_here;
}

bool PresenceTracker::SessionEnded(domain::Snowflake user) {
  bool last_here = false;
  {
    std::lock_guard lock(mutex_);
    auto it = users_.find(user);
    if (it == users_.end()) return false;
    last_here = --it->second.sessions == 0;
    if (last_here) users_.erase(it);
  }
  if (directory_ != nullptr) {
    auto gone = directory_->Left(user);
    if (gone) {
      outage_.Worked();
      return *gone;
    }
    Failed(gone.error());
  }
  return last_here;
}

void PresenceTracker::Update(domain::Snowflake user, const Presence& presence) {
  {
    std::lock_guard lock(mutex_);
    auto it = users_.find(user);
    if (it == users_.end()) return;
    it->second.presence = presence;
  }
  if (directory_ != nullptr) {
    if (auto set = directory_->Set(user, EncodePresence(presence)); set) {
      outage_.Worked();
    } else {
      Failed(set.error());
    }
  }
}

std::pair<int, Presence> PresenceTracker::Held(domain::Snowflake user) const {
  std::lock_guard lock(mutex_);
  auto it = users_.find(user);
  if (it == users_.end()) return {0, Presence{}};
  return {it->second.sessions, it->second.presence};
}

std::optional<Presence> PresenceTracker::Visible(domain::Snowflake user) const {
  auto shown = Visible(std::span<const domain::Snowflake>(&user, 1));
  return std::move(shown.front());
}

std::vector<std::optional<Presence>> PresenceTracker::Visible(
    std::span<const domain::Snowflake> users) const {
  std::vector<std::optional<Presence>> out;
  out.reserve(users.size());
  if (directory_ != nullptr && !users.empty()) {
    auto shared = directory_->Get(users);
    if (shared) {
      outage_.Worked();
      for (const auto& text : *shared) {
        auto p = text ? DecodePresence(*text) : std::nullopt;
        if (p && p->status == "invisible") p.reset();
        out.push_back(std::move(p));
      }
      return out;
    }
    Failed(shared.error());
  }
  std::lock_guard lock(mutex_);
  for (const auto user : users) {
    auto it = users_.find(user);
    const bool shown = it != users_.end() && it->second.presence.status != "invisible";
    out.push_back(shown ? std::optional<Presence>(it->second.presence) : std::nullopt);
  }
  return out;
}

std::optional<Presence> PresenceTracker::Current(domain::Snowflake user) const {
  if (directory_ != nullptr) {
    auto shared = directory_->Get(std::span<const domain::Snowflake>(&user, 1));
    if (shared) {
      outage_.Worked();
      if (shared->front()) {
        if (auto p = DecodePresence(*shared->front())) return p;
      }
      // Not there: the directory lost it, and this node's own sessions answer.
    } else {
      Failed(shared.error());
    }
  }
  auto [sessions, presence] = Held(user);
  if (sessions == 0) return std::nullopt;
  return presence;
}

void PresenceTracker::Failed(const Error& error) const {
  outage_.Failed(error);
  resync_ = true;
}

void PresenceTracker::Pulse() {
  if (directory_ == nullptr) return;
  auto lost = directory_->Pulse();
  if (!lost) {
    Failed(lost.error());
    return;
  }
  outage_.Worked();
  if (*lost) resync_ = true;
}

PresenceTracker::Swept PresenceTracker::Sweep() {
  Swept out;
  if (directory_ == nullptr) return out;
  for (;;) {
    auto swept = directory_->Sweep();
    if (!swept) {
      Failed(swept.error());
      return out;
    }
    outage_.Worked();
    out.users.insert(out.users.end(), swept->gone.begin(), swept->gone.end());
    out.voice_left.insert(out.voice_left.end(), swept->voice_left.begin(), swept->voice_left.end());
    if (!swept->more) break;
  }
  if (!resync_.exchange(false)) return out;
  // The directory may be wrong about this node: calls failed (a start, an end or a change it
  // never heard of), or it lost this node's entries (Redis restarted empty, or the others took
  // this node for dead). Its entries are set to what this node holds: users it no longer holds
  // are forgotten, the others get their session counts again. Whoever that turns online or
  // offline for the others is published.
  out.resynced = true;
  auto held = directory_->Held();
  if (!held) {
    Failed(held.error());
    return out;
  }
  std::vector<domain::Snowflake> users = *held;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [user, e] : users_) users.push_back(user);
  }
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  for (const auto user : users) {
    // A session starting or ending meanwhile has told the directory its own change, which this
    // count would overwrite: the count is set again until it is the one held here.
    for (int tries = 0; tries < 3; ++tries) {
      const auto [sessions, presence] = Held(user);
      auto changed = sessions > 0 ? directory_->Rejoin(user, EncodePresence(presence), sessions)
                                  : directory_->Forget(user);
      if (!changed) {
        Failed(changed.error());
        return out;
      }
      if (*changed) out.users.push_back(user);
      if (Held(user).first == sessions) break;
    }
  }
  return out;
}

}  // namespace chat::gateway
