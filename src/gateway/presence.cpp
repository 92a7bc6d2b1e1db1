#include "gateway/presence.hpp"

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

bool PresenceTracker::SessionStarted(domain::Snowflake user, const Presence& initial) {
  std::lock_guard lock(mutex_);
  auto& e = users_[user];
  if (++e.sessions == 1) {
    e.presence = initial;
    return true;
  }
  return false;
}

bool PresenceTracker::SessionEnded(domain::Snowflake user) {
  std::lock_guard lock(mutex_);
  auto it = users_.find(user);
  if (it == users_.end()) return false;
  if (--it->second.sessions > 0) return false;
  users_.erase(it);
  return true;
}

void PresenceTracker::Update(domain::Snowflake user, const Presence& presence) {
  std::lock_guard lock(mutex_);
  auto it = users_.find(user);
  if (it != users_.end()) it->second.presence = presence;
}

std::optional<Presence> PresenceTracker::Visible(domain::Snowflake user) const {
  std::lock_guard lock(mutex_);
  auto it = users_.find(user);
  if (it == users_.end() || it->second.presence.status == "invisible") return std::nullopt;
  return it->second.presence;
}

std::optional<Presence> PresenceTracker::Current(domain::Snowflake user) const {
  std::lock_guard lock(mutex_);
  auto it = users_.find(user);
  if (it == users_.end()) return std::nullopt;
  return it->second.presence;
}

}  // namespace chat::gateway
