#include "loadgen/setup.hpp"

#include <boost/asio.hpp>
#include <boost/json.hpp>
#include <ctime>
#include <fstream>
#include <memory>

#include "loadgen/events.hpp"
#include "loadgen/rest_client.hpp"
#include "loadgen/scenarios.hpp"

namespace chat::loadgen {

namespace net = boost::asio;

namespace {

std::string FormEscape(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Describe(const HttpResult& r) {
  if (r.status == 0) return r.error;
  return "HTTP " + std::to_string(r.status) + " " + r.body.substr(0, 200);
}

std::string StringField(const std::string& body, const char* key) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return {};
  const auto* f = v.get_object().if_contains(key);
  return f && f->is_string() ? std::string(f->get_string()) : std::string();
}

// One of ForEach's workers. A plain function, not a lambda: a coroutine lambda's captures live in
// the closure object, which would be gone before the coroutine ends.
template <typename Work>
net::awaitable<void> ForEachWorker(Context& ctx, int& next, int count, Work& work) {
  RestClient client(ctx.io, ctx.target, ctx.sources.Next(), ctx.opts.timeout_s);
  while (next < count) {
    const int i = next++;
    co_await work(i, client);
  }
}

// Runs `work(i, client)` for i in [0, count) on `workers` coroutines, each with its own client.
template <typename Work>
net::awaitable<void> ForEach(Context& ctx, int count, int workers, Work work) {
  int next = 0;
  int running = 0;
  Event done(ctx.io);
  workers = std::max(1, std::min(workers, count));
  for (int w = 0; w < workers && count > 0; ++w) {
    ++running;
    net::co_spawn(ctx.io, ForEachWorker(ctx, next, count, work), [&](std::exception_ptr) {
      if (--running == 0) done.Notify();
    });
  }
  while (running > 0) co_await done.WaitUntil(After(3600));
}

}  // namespace

std::string TokenFromBody(const std::string& body) {
  auto token = StringField(body, "access_token");
  if (token.empty()) token = StringField(body, "token");
  return token;
}

net::awaitable<std::string> Login(Context& ctx, RestClient& client, const std::string& username,
                                  std::string& error, std::int64_t* latency_us) {
  HttpRequest req;
  req.method = "POST";
  if (ctx.opts.login == LoginMode::kSeed) {
    req.target = ctx.opts.seed_login_path;
    req.content_type = "application/x-www-form-urlencoded";
    req.body = "username=" + FormEscape(username) + "&password=" + FormEscape(ctx.opts.password);
  } else {
    req.target = ctx.Api("/auth/login");
    req.content_type = "application/json";
    req.body = boost::json::serialize(
        boost::json::object{{"login", username}, {"password", ctx.opts.password}});
  }
  HttpResult res = co_await client.Send(req);
  if (latency_us) *latency_us = res.latency_us;
  std::string token = res.status == 200 ? TokenFromBody(res.body) : std::string();
  if (token.empty()) error = "login " + username + ": " + Describe(res);
  co_return token;
}

net::awaitable<Accounts> PrepareAccounts(Context& ctx, int count, bool need_channel) {
  Accounts out;
  const Options& o = ctx.opts;
  if (o.login == LoginMode::kTokensFile) {
    std::ifstream in(o.tokens_file);
    if (!in) {
      out.error = "cannot read --tokens-file " + o.tokens_file;
      co_return out;
    }
    std::string line;
    while (static_cast<int>(out.tokens.size()) < count && std::getline(in, line)) {
      while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
        line.pop_back();
      if (!line.empty()) out.tokens.push_back(line);
    }
    if (static_cast<int>(out.tokens.size()) < count) {
      out.error = o.tokens_file + " holds " + std::to_string(out.tokens.size()) +
                  " tokens; the run needs " + std::to_string(count);
      co_return out;
    }
  } else {
    out.tokens.assign(count, std::string());
    int done = 0;
    std::string first_error;
    ctx.progress.Show("login", [&] {
      return std::to_string(done) + "/" + std::to_string(count) + " accounts ready";
    });
    co_await ForEach(
        ctx, count, o.setup_concurrency, [&](int i, RestClient& client) -> net::awaitable<void> {
          const std::string name = o.user_prefix + std::to_string(o.user_start + i);
          std::string error;
          if (o.create_users) {
            HttpRequest reg;
            reg.method = "POST";
            reg.target = ctx.Api("/auth/register");
            reg.content_type = "application/json";
            reg.body =
                boost::json::serialize(boost::json::object{{"username", name},
                                                           {"email", name + "@loadgen.invalid"},
                                                           {"password", o.password}});
            HttpResult r = co_await client.Send(reg);
            // An existing account (from an earlier run) is fine: the login below decides.
            if (!r.ok() && r.status != 400 && r.status != 409 && first_error.empty()) {
              first_error = "register " + name + ": " + Describe(r);
            }
          }
          std::string token = co_await Login(ctx, client, name, error);
          if (token.empty() && first_error.empty()) first_error = error;
          out.tokens[static_cast<std::size_t>(i)] = std::move(token);
          ++done;
        });
    if (!first_error.empty()) {
      out.error = first_error;
      co_return out;
    }
  }
  if (!need_channel) co_return out;
  if (!o.create_guild) {
    out.channel_id = o.channel_id;
    co_return out;
  }

  // A fresh guild owned by the first account; the others join through one invite.
  RestClient owner(ctx.io, ctx.target, ctx.sources.Next(), o.timeout_s);
  const std::string owner_auth = ctx.Authorization(out.tokens[0]);
  HttpRequest create;
  create.method = "POST";
  create.target = ctx.Api("/guilds");
  create.content_type = "application/json";
  create.authorization = owner_auth;
  create.body = boost::json::serialize(
      boost::json::object{{"name", "loadgen " + std::to_string(std::time(nullptr))}});
  HttpResult guild = co_await owner.Send(create);
  const std::string guild_id = guild.ok() ? StringField(guild.body, "id") : std::string();
  if (guild_id.empty()) {
    out.error = "create guild: " + Describe(guild);
    co_return out;
  }
  HttpRequest list;
  list.target = ctx.Api("/guilds/" + guild_id + "/channels");
  list.authorization = owner_auth;
  HttpResult channels = co_await owner.Send(list);
  boost::system::error_code ec;
  auto parsed = boost::json::parse(channels.body, ec);
  if (!ec && parsed.is_array()) {
    for (const auto& c : parsed.get_array()) {
      if (!c.is_object()) continue;
      const auto* type = c.get_object().if_contains("type");
      const auto* id = c.get_object().if_contains("id");
      if (type && type->is_int64() && type->get_int64() == 0 && id && id->is_string()) {
        out.channel_id = std::string(id->get_string());
        break;
      }
    }
  }
  if (out.channel_id.empty()) {
    out.error = "guild " + guild_id + " has no text channel: " + Describe(channels);
    co_return out;
  }
  HttpRequest invite;
  invite.method = "POST";
  invite.target = ctx.Api("/channels/" + out.channel_id + "/invites");
  invite.content_type = "application/json";
  invite.authorization = owner_auth;
  invite.body = "{\"max_age\":0}";
  HttpResult inv = co_await owner.Send(invite);
  const std::string code = inv.ok() ? StringField(inv.body, "code") : std::string();
  if (code.empty()) {
    out.error = "create invite: " + Describe(inv);
    co_return out;
  }
  int joined = 0;
  std::string join_error;
  ctx.progress.Show("join", [&] { return std::to_string(joined) + " members joined"; });
  co_await ForEach(
      ctx, count - 1, o.setup_concurrency, [&](int i, RestClient& client) -> net::awaitable<void> {
        HttpRequest join;
        join.method = "POST";
        join.target = ctx.Api("/invites/" + code);
        join.content_type = "application/json";
        join.body = "{}";
        join.authorization = ctx.Authorization(out.tokens[static_cast<std::size_t>(i) + 1]);
        HttpResult r = co_await client.Send(join);
        if (!r.ok() && join_error.empty()) join_error = "join invite: " + Describe(r);
        ++joined;
      });
  if (!join_error.empty()) out.error = join_error;
  co_return out;
}

}  // namespace chat::loadgen
