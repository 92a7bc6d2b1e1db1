#include "bus/redis/redis_connection.hpp"

#include <sys/time.h>

#include <boost/url/parse.hpp>
#include <charconv>
#include <vector>

namespace chat::bus::redis {
namespace {

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

std::optional<int> ParseInt(std::string_view text, int min, int max) {
  int value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value < min || value > max) return std::nullopt;
  return value;
}

// Runs one command whose reply must not be an error; `what` names it in the message.
Result<void> Simple(redisContext* c, const std::vector<std::string>& args, std::string_view what) {
  ReplyPtr reply = RunCommand(c, args);
  if (!reply) return Error{Errc::kCache, std::string(what) + ": " + ContextError(c)};
  if (reply->type == REDIS_REPLY_ERROR) {
    return Error{Errc::kCache, std::string(what) + ": " + std::string(reply->str, reply->len)};
  }
  return {};
}

}  // namespace

std::string RedisEndpoint::Describe() const {
  return host + ":" + std::to_string(port) + "/" + std::to_string(db);
}

Result<RedisEndpoint> ParseRedisUrl(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return Error::Validation("REDIS_URL does not parse");
  if (parsed->scheme() != "redis") return Error::Validation("REDIS_URL must start with redis://");
  RedisEndpoint out;
  if (!parsed->encoded_host().empty()) out.host = parsed->host();
  if (parsed->has_port()) {
    auto port = ParseInt(parsed->port(), 1, 65535);
    if (!port) return Error::Validation("REDIS_URL has a bad port");
    out.port = *port;
  }
  if (parsed->has_userinfo()) {
    out.user = parsed->user();
    if (parsed->has_password()) out.password = parsed->password();
  }
  std::string path = parsed->path();
  if (!path.empty() && path != "/") {
    auto db = ParseInt(std::string_view(path).substr(1), 0, 1'000'000);
    if (path[0] != '/' || !db)
      return Error::Validation("REDIS_URL's path must be a database number");
    out.db = *db;
  }
  return out;
}

std::string ContextError(const redisContext* c) {
  if (!c) return "cannot allocate a Redis context";
  if (c->err == 0) return "no reply";
  return c->errstr[0] ? std::string(c->errstr) : "error " + std::to_string(c->err);
}

Result<ContextPtr> Connect(const RedisEndpoint& endpoint, std::chrono::milliseconds connect_timeout,
                           std::optional<std::chrono::milliseconds> io_timeout,
                           const std::string& client_name) {
  ContextPtr c(
      redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, ToTimeval(connect_timeout)));
  if (!c || c->err) return Error{Errc::kCache, "connect: " + ContextError(c.get())};
  // A peer that vanished without a FIN would otherwise leave the subscriber blocked forever.
  redisEnableKeepAlive(c.get());
  if (io_timeout && redisSetTimeout(c.get(), ToTimeval(*io_timeout)) != REDIS_OK) {
    return Error{Errc::kCache, "set timeout: " + ContextError(c.get())};
  }
  if (!endpoint.password.empty()) {
    std::vector<std::string> auth{"AUTH"};
    if (!endpoint.user.empty()) auth.push_back(endpoint.user);
    auth.push_back(endpoint.password);
    if (auto r = Simple(c.get(), auth, "AUTH"); !r) return r.error();
  }
  if (endpoint.db != 0) {
    if (auto r = Simple(c.get(), {"SELECT", std::to_string(endpoint.db)}, "SELECT"); !r) {
      return r.error();
    }
  }
  if (!client_name.empty()) {
    if (auto r = Simple(c.get(), {"CLIENT", "SETNAME", client_name}, "CLIENT SETNAME"); !r) {
      return r.error();
    }
  }
  return c;
}

}  // namespace chat::bus::redis
