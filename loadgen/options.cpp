#include "loadgen/options.hpp"

#include <charconv>
#include <cmath>
#include <functional>
#include <sstream>

namespace chat::loadgen {

namespace {

enum Scope : unsigned {
  kSessions = 1,
  kFanout = 2,
  kRest = 4,
  kSeed = 8,
  kAll = 15,
  kAccounts = kSessions | kFanout | kRest,
};

unsigned ScopeOf(Scenario s) {
  switch (s) {
    case Scenario::kSessions:
      return kSessions;
    case Scenario::kFanout:
      return kFanout;
    case Scenario::kRest:
      return kRest;
    case Scenario::kSeed:
      return kSeed;
    case Scenario::kNone:
      return kAll;
  }
  return kAll;
}

using Setter = std::function<std::optional<std::string>(Options&, const std::string&)>;

struct Spec {
  const char* name;
  const char* arg;  // nullptr: a flag
  unsigned scope;
  const char* help;
  Setter set;
};

std::optional<std::string> Int(const std::string& v, int lo, int hi, int& out) {
  int x = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || p != v.data() + v.size() || x < lo || x > hi) {
    return "expects an integer in " + std::to_string(lo) + ".." + std::to_string(hi);
  }
  out = x;
  return std::nullopt;
}

std::optional<std::string> Real(const std::string& v, double lo, double hi, double& out) {
  char* end = nullptr;
  const double x = std::strtod(v.c_str(), &end);
  if (v.empty() || end != v.c_str() + v.size() || !std::isfinite(x) || x < lo || x > hi) {
    std::ostringstream s;
    s << "expects a number in " << lo << ".." << hi;
    return s.str();
  }
  out = x;
  return std::nullopt;
}

Setter IntField(int Options::*field, int lo, int hi) {
  return [=](Options& o, const std::string& v) { return Int(v, lo, hi, o.*field); };
}
Setter RealField(double Options::*field, double lo, double hi) {
  return [=](Options& o, const std::string& v) { return Real(v, lo, hi, o.*field); };
}
Setter TextField(std::string Options::*field) {
  return [=](Options& o, const std::string& v) -> std::optional<std::string> {
    if (v.empty()) return "expects a value";
    o.*field = v;
    return std::nullopt;
  };
}
Setter Flag(bool Options::*field) {
  return [=](Options& o, const std::string&) -> std::optional<std::string> {
    o.*field = true;
    return std::nullopt;
  };
}

const std::vector<Spec>& Specs() {
  static const std::vector<Spec> specs = {
      // Target.
      {"--target", "URL", kAll, "server base URL, http://host:port (default http://127.0.0.1:8080)",
       TextField(&Options::target)},
      {"--api-base", "PATH", kAll, "REST prefix (default /api/v10)", TextField(&Options::api_base)},
      {"--gateway-path", "PATH", kAccounts, "gateway path and query (default /?v=10&encoding=json)",
       TextField(&Options::gateway_path)},
      {"--allow-remote", nullptr, kAll, "permit a non-loopback target (off: refused)",
       Flag(&Options::allow_remote)},
      {"--intents", "N", kAccounts,
       "IDENTIFY intents (default 33281 = GUILDS|GUILD_MESSAGES|"
       "MESSAGE_CONTENT)",
       [](Options& o, const std::string& v) -> std::optional<std::string> {
         int x = 0;
         if (auto e = Int(v, 0, (1 << 26) - 1, x)) return e;
         o.intents = static_cast<std::uint64_t>(x);
         return std::nullopt;
       }},
      {"--timeout", "SECONDS", kAll, "per request / connect / READY timeout (default 30)",
       IntField(&Options::timeout_s, 1, 600)},
      // Accounts.
      {"--login", "MODE", kAccounts,
       "seed: form POST /api/v1/auth/login username=&password= (default); discord: JSON POST "
       "<api-base>/auth/login {login,password}; tokens: one token per line of --tokens-file",
       [](Options& o, const std::string& v) -> std::optional<std::string> {
         if (v == "seed") {
           o.login = LoginMode::kSeed;
         } else if (v == "discord") {
           o.login = LoginMode::kDiscord;
         } else if (v == "tokens") {
           o.login = LoginMode::kTokensFile;
         } else {
           return "expects seed, discord or tokens";
         }
         return std::nullopt;
       }},
      {"--seed-login-path", "PATH", kAll, "login path of --login seed (default /api/v1/auth/login)",
       TextField(&Options::seed_login_path)},
      {"--tokens-file", "FILE", kAccounts, "tokens, one per line (implies --login tokens)",
       [](Options& o, const std::string& v) -> std::optional<std::string> {
         if (v.empty()) return "expects a file";
         o.tokens_file = v;
         o.login = LoginMode::kTokensFile;
         return std::nullopt;
       }},
      {"--token-type", "TYPE", kAccounts,
       "Authorization scheme for tokens: Bearer (default) or Bot", TextField(&Options::token_type)},
      {"--user-prefix", "TEXT", kAll, "usernames are <prefix><i> (default user_)",
       TextField(&Options::user_prefix)},
      {"--user-start", "I", kAll, "first i (default 1)",
       IntField(&Options::user_start, 0, 1 << 30)},
      {"--password", "TEXT", kAll, "password of every account (default password123)",
       TextField(&Options::password)},
      {"--users", "N", kSessions | kRest,
       "distinct accounts; connections share them round-robin (default: one per connection)",
       IntField(&Options::users, 1, 10'000'000)},
      {"--create-users", nullptr, kAccounts,
       "register the accounts first (POST <api-base>/auth/register), then log in",
       Flag(&Options::create_users)},
      {"--create-guild", nullptr, kAccounts,
       "first account creates a guild, the others join it by invite; use its first text channel",
       Flag(&Options::create_guild)},
      {"--channel", "ID", kAccounts,
       "existing channel every account can read and write (default 1, "
       "the seed's #general)",
       TextField(&Options::channel_id)},
      {"--setup-concurrency", "N", kAccounts, "logins / registrations in flight (default 8)",
       IntField(&Options::setup_concurrency, 1, 1024)},
      // Scale and safety.
      {"--source-addrs", "K", kAll,
       "spread client sockets over 127.0.0.2 ... 127.0.0.(K+1) (default: one per 50,000 sockets)",
       IntField(&Options::source_addrs, 1, 250)},
      {"--max-connections", "N", kAll, "hard cap on connections of a run (default 20000)",
       IntField(&Options::max_connections, 1, 10'000'000)},
      {"--max-duration", "SECONDS", kAll, "hard cap on the measured phase (default 900)",
       IntField(&Options::max_duration_s, 1, 7 * 24 * 3600)},
      // Output.
      {"--json", nullptr, kAll, "print the result as JSON on stdout instead of the table",
       Flag(&Options::json)},
      {"--quiet", nullptr, kAll, "no progress line on stderr", Flag(&Options::quiet)},
      {"--server-pid", "PID", kSessions | kFanout | kRest,
       "read the server's figures from /proc/PID: sessions: VmRSS per session; fanout, rest: CPU "
       "time over the measured phase, per delivery / per request",
       IntField(&Options::server_pid, 1, 1 << 30)},
      // Scenarios.
      {"--sessions", "N", kSessions, "gateway sessions to open (default 100)",
       IntField(&Options::sessions, 1, 10'000'000)},
      {"--connect-rate", "N", kSessions, "new sessions per second (default 500)",
       IntField(&Options::connect_rate, 1, 1'000'000)},
      {"--connect-inflight", "N", kSessions,
       "sessions between connect and READY at once (default "
       "256)",
       IntField(&Options::connect_inflight, 1, 1'000'000)},
      {"--duration", "SECONDS", kSessions | kFanout | kRest,
       "sessions: idle hold; fanout: sending time; rest: run time (default 10)",
       RealField(&Options::duration_s, 0, 1e7)},
      {"--members", "N", kFanout,
       "members in the channel, each with a gateway session (default 20)",
       IntField(&Options::members, 1, 10'000'000)},
      {"--senders", "S", kFanout, "members that send, through REST (default 2)",
       IntField(&Options::senders, 1, 100000)},
      {"--rate", "R", kFanout, "messages per second, all senders together (default 20)",
       RealField(&Options::rate, 0.01, 1e6)},
      {"--drain", "SECONDS", kFanout, "wait for late deliveries after the last send (default 3)",
       RealField(&Options::drain_s, 0, 600)},
      {"--threads", "N", kFanout,
       "receiver threads: 1 runs everything on one thread (default); N > 1 spreads the receivers' "
       "sessions round-robin over N threads of their own, for when the generator's CPU per "
       "delivery x deliveries/s nears one core",
       IntField(&Options::threads, 1, 16)},
      {"--concurrency", "C", kRest,
       "requests in flight, one keep-alive connection each (default 8)",
       IntField(&Options::concurrency, 1, 10'000'000)},
      {"--history-percent", "P", kRest,
       "share of requests that are GET ?limit=50 history, the rest POST a message (default 50)",
       IntField(&Options::history_percent, 0, 100)},
      {"--vus", "N", kSeed, "peak virtual users (default 500; stage 1 ramps to N/5)",
       IntField(&Options::vus, 1, 10'000'000)},
      {"--time-scale", "F", kSeed, "multiply stage durations, socket hold and sleep (default 1)",
       RealField(&Options::time_scale, 0.0001, 100)},
      {"--hold", "SECONDS", kSeed, "socket hold per iteration (default 10 x time-scale, >= 1)",
       RealField(&Options::hold_s, 0, 3600)},
      {"--sleep", "SECONDS", kSeed, "pause between iterations (default 1 x time-scale)",
       RealField(&Options::sleep_s, 0, 3600)},
  };
  return specs;
}

const char* Purpose(Scenario s) {
  switch (s) {
    case Scenario::kSessions:
      return "Open N gateway sessions (HELLO, IDENTIFY, READY), hold them idle for --duration, "
             "close.\n"
             "Reports connect->READY latency percentiles, failures, and with --server-pid the\n"
             "server's resident memory per session. FAIL if any session fails or drops.";
    case Scenario::kFanout:
      return "N members in one channel hold gateway sessions; S of them POST messages at a total "
             "of\n"
             "R/s for --duration seconds. Every receiver timestamps every MESSAGE_CREATE. Reports\n"
             "end-to-end latency percentiles, deliveries/s, lost and duplicated deliveries, and\n"
             "CPU time per delivery from first send to end of drain: the generator's own, and "
             "with\n"
             "--server-pid the server's. FAIL unless lost = duplicated = 0 and every send "
             "succeeded.";
    case Scenario::kRest:
      return "C keep-alive clients POST messages and GET 50-message history for --duration "
             "seconds.\n"
             "With GETs, it first posts until the channel holds 50 messages (prefilled_messages),\n"
             "so that every GET reads a full page.\n"
             "Reports requests/s, latency percentiles per operation and CPU time per request (the\n"
             "generator's own, and with --server-pid the server's). FAIL on any non-2xx.";
    case Scenario::kSeed:
      return "The seed's k6 scenario: stages 1m->N/5 VUs, 3m hold, 1m->N, 2m hold, 1m->0 (scaled "
             "by\n"
             "--time-scale). Each iteration: form login user_<VU>/password123, ws /ws?token=,\n"
             "op 2, on READY op 0 MESSAGE_CREATE in channel 1, hold the socket, close, sleep.\n"
             "Thresholds: http_req_duration p95<500ms, errors<1%, message_latency p95<100ms\n"
             "(message_latency = send op 0 -> its MESSAGE_CREATE back on the same socket).\n"
             "Also reported: close_latency (close frame sent -> the server ended the connection)\n"
             "and closes_unfinished (no end within 5 s; the VU waited that long).";
    case Scenario::kNone:
      break;
  }
  return "";
}

const char* Example(Scenario s) {
  switch (s) {
    case Scenario::kSessions:
      return "  chat-server seed --load-test-users 1000   # once, on the server's database\n"
             "  chat-loadgen sessions --sessions 1000 --duration 30 --server-pid $(pidof "
             "chat-server)";
    case Scenario::kFanout:
      return "  chat-server seed --load-test-users 200\n"
             "  chat-loadgen fanout --members 200 --senders 1 --rate 50 --duration 10 \\\n"
             "      --server-pid $(pidof chat-server)";
    case Scenario::kRest:
      return "  chat-server seed --load-test-users 64\n"
             "  chat-loadgen rest --concurrency 64 --duration 10 --server-pid $(pidof chat-server)";
    case Scenario::kSeed:
      return "  chat-server seed --load-test-users 500\n"
             "  chat-loadgen seed --vus 500 --time-scale 0.1";
    case Scenario::kNone:
      break;
  }
  return "";
}

}  // namespace

const char* ScenarioName(Scenario s) {
  switch (s) {
    case Scenario::kSessions:
      return "sessions";
    case Scenario::kFanout:
      return "fanout";
    case Scenario::kRest:
      return "rest";
    case Scenario::kSeed:
      return "seed";
    case Scenario::kNone:
      return "";
  }
  return "";
}

std::string HelpText(Scenario scenario) {
  std::ostringstream out;
  if (scenario == Scenario::kNone) {
    out << "chat-loadgen — load generator for Discord-compatible servers (API v10 REST + "
           "gateway)\n\n"
           "usage: chat-loadgen SCENARIO [options]      chat-loadgen SCENARIO --help\n\n"
           "scenarios:\n"
           "  sessions   many idle gateway sessions: connect->READY latency, memory per session\n"
           "  fanout     one channel, many receivers: end-to-end delivery latency, loss, "
           "duplicates\n"
           "  rest       message POST + history GET throughput and latency\n"
           "  seed       the seed project's k6 scenario with its thresholds\n\n"
           "Accounts default to the seed's load-test users (chat-server seed --load-test-users N:\n"
           "user_1..user_N / password123 in guild 1, channel 1). Targets must be loopback unless\n"
           "--allow-remote. Exit code 0 = PASS, 1 = FAIL, 2 = usage or setup error.\n"
           "Run a server for load with FEATURE_RATE_LIMITING=false. See docs/LOADGEN.md.\n";
    return out.str();
  }
  out << "usage: chat-loadgen " << ScenarioName(scenario) << " [options]\n\n"
      << Purpose(scenario) << "\n\nexample:\n"
      << Example(scenario) << "\n\noptions:\n";
  const unsigned scope = ScopeOf(scenario);
  for (const auto& spec : Specs()) {
    if (!(spec.scope & scope)) continue;
    std::string left =
        std::string("  ") + spec.name + (spec.arg ? std::string(" ") + spec.arg : "");
    out << left;
    if (left.size() < 28) {
      out << std::string(28 - left.size(), ' ');
    } else {
      out << "\n" << std::string(28, ' ');
    }
    // Wraps the description at 100 columns under its own column.
    std::istringstream words(spec.help);
    std::string word;
    std::size_t col = 28;
    bool first = true;
    while (words >> word) {
      if (!first && col + 1 + word.size() > 100) {
        out << "\n" << std::string(28, ' ');
        col = 28;
      } else if (!first) {
        out << ' ';
        ++col;
      }
      out << word;
      col += word.size();
      first = false;
    }
    out << "\n";
  }
  out << "  --help                    this text\n";
  return out.str();
}

ParseOutcome ParseOptions(const std::vector<std::string>& args) {
  ParseOutcome r;
  Options& o = r.options;
  std::size_t i = 0;
  if (i < args.size() && args[i].rfind("--", 0) != 0) {
    const std::string& name = args[i];
    if (name == "sessions") {
      o.scenario = Scenario::kSessions;
    } else if (name == "fanout") {
      o.scenario = Scenario::kFanout;
    } else if (name == "rest") {
      o.scenario = Scenario::kRest;
    } else if (name == "seed") {
      o.scenario = Scenario::kSeed;
    } else if (name == "help") {
      o.help = true;
      return r;
    } else {
      r.error = "unknown scenario '" + name + "' (sessions, fanout, rest, seed)";
      return r;
    }
    ++i;
  }
  const unsigned scope = ScopeOf(o.scenario);
  for (; i < args.size(); ++i) {
    std::string name = args[i];
    if (name == "--help" || name == "-h") {
      o.help = true;
      return r;
    }
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos && name.rfind("--", 0) == 0) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    const Spec* spec = nullptr;
    for (const auto& s : Specs()) {
      if (name == s.name) spec = &s;
    }
    if (!spec) {
      r.error = "unknown option " + name;
      return r;
    }
    if (o.scenario != Scenario::kNone && !(spec->scope & scope)) {
      r.error = name + " does not apply to " + ScenarioName(o.scenario);
      return r;
    }
    std::string value;
    if (spec->arg) {
      if (inline_value) {
        value = *inline_value;
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        r.error = name + " needs " + spec->arg;
        return r;
      }
    } else if (inline_value) {
      r.error = name + " takes no value";
      return r;
    }
    if (auto e = spec->set(o, value)) {
      r.error = name + " " + *e;
      return r;
    }
  }
  if (o.scenario == Scenario::kNone) {
    r.error = "no scenario given";
    return r;
  }
  if (o.scenario == Scenario::kFanout && o.senders > o.members) {
    r.error = "--senders must not exceed --members";
    return r;
  }
  if (o.create_users && o.login == LoginMode::kTokensFile) {
    r.error = "--create-users needs a password login, not --tokens-file";
    return r;
  }
  if (PlannedConnections(o) > o.max_connections) {
    r.error = "the run needs " + std::to_string(PlannedConnections(o)) +
              " connections, above the cap of " + std::to_string(o.max_connections) +
              " (raise it with --max-connections)";
    return r;
  }
  if (PlannedSeconds(o) > o.max_duration_s) {
    r.error = "the run lasts " + std::to_string(static_cast<long>(PlannedSeconds(o))) +
              " s, above the cap of " + std::to_string(o.max_duration_s) +
              " s (raise it with --max-duration)";
    return r;
  }
  return r;
}

int PlannedConnections(const Options& o) {
  switch (o.scenario) {
    case Scenario::kSessions:
      return o.sessions + 1;
    case Scenario::kFanout:
      return o.members + o.senders + 1;
    case Scenario::kRest:
      return o.concurrency + 1;
    case Scenario::kSeed:
      return 2 * o.vus;
    case Scenario::kNone:
      break;
  }
  return 0;
}

double PlannedSeconds(const Options& o) {
  switch (o.scenario) {
    case Scenario::kSessions:
      return o.duration_s;
    case Scenario::kFanout:
      return o.duration_s + o.drain_s;
    case Scenario::kRest:
      return o.duration_s;
    case Scenario::kSeed:
      return 480.0 * o.time_scale;
    case Scenario::kNone:
      break;
  }
  return 0;
}

}  // namespace chat::loadgen
