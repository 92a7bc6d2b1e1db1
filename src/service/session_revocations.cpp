#include "service/session_revocations.hpp"

#include <mutex>
#include <string>

#include <boost/json.hpp>

namespace chat::service {

bus::Event SessionsEndedEvent(const store::SessionsEnded& ended) {
  bus::Event e;
  e.type = std::string(kSessionsEndedEvent);
  e.recipients = {ended.user_id};
  e.payload = boost::json::serialize(boost::json::object{
      {"user_id", domain::ToString(ended.user_id)}, {"token_version", ended.token_version}});
  return e;
}

std::optional<store::SessionsEnded> ParseSessionsEnded(const bus::Event& event) {
  if (event.type != kSessionsEndedEvent) return std::nullopt;
  boost::system::error_code ec;
  const auto value = boost::json::parse(event.payload, ec);
  const auto* o = ec ? nullptr : value.if_object();
  if (o == nullptr) return std::nullopt;
  const auto* user = o->if_contains("user_id");
  const auto* version = o->if_contains("token_version");
  if (!user || !user->is_string() || !version || !version->is_int64()) return std::nullopt;
  const auto id = domain::ParseSnowflake(user->get_string());
  if (!id || version->get_int64() < 0) return std::nullopt;
  return store::SessionsEnded{*id, version->get_int64()};
}

SessionRevocations::~SessionRevocations() {
  if (bus_ != nullptr) bus_->Unsubscribe(subscription_);
}

void SessionRevocations::Load(std::span<const store::TokenVersionList::value_type> versions) {
  for (const auto& [user, version] : versions) Raise(user, version);
}

void SessionRevocations::Attach(bus::EventBus& bus) {
  bus_ = &bus;
  subscription_ = bus.Subscribe([this](const bus::EventPtr& event) {
    if (auto ended = ParseSessionsEnded(*event)) Raise(ended->user_id, ended->token_version);
  });
}

std::int64_t SessionRevocations::VersionOf(domain::Snowflake user) const {
  if (!any_.load(std::memory_order_acquire)) return 0;
  std::shared_lock lock(mutex_);
  auto it = versions_.find(user);
  return it == versions_.end() ? 0 : it->second;
}

void SessionRevocations::Ended(const store::SessionsEnded& ended) {
  Raise(ended.user_id, ended.token_version);
  if (bus_ != nullptr) bus_->Publish(SessionsEndedEvent(ended));
}

void SessionRevocations::Raise(domain::Snowflake user, std::int64_t version) {
  if (version <= 0) return;
  std::unique_lock lock(mutex_);
  auto& known = versions_[user];
  // Versions only grow: an older event arriving late changes nothing.
  if (version > known) known = version;
  any_.store(true, std::memory_order_release);
}

}  // namespace chat::service
