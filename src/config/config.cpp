#include "config/config.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>

namespace chat::config {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

[[noreturn]] void Fail(const std::string& message) { throw ConfigError{message}; }

template <class T>
bool ParseUnsigned(const std::string& text, T& out, T min, T max) {
  unsigned long long value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return false;
  if (value < min || value > max) return false;
  out = static_cast<T>(value);
  return true;
}

// One setting: its variable, default and help, and how to store a value into Settings.
struct Spec {
  const char* name;
  const char* fallback;  // default as text, shown by --help
  const char* expected;  // the form expected, for errors and --help
  const char* help;
  std::function<bool(Settings&, const std::string&)> apply;
};

auto Text(std::string Settings::*field) {
  return [field](Settings& s, const std::string& v) {
    s.*field = v;
    return true;
  };
}
template <class T>
auto Number(T Settings::*field, T min, T max) {
  return [=](Settings& s, const std::string& v) { return ParseUnsigned<T>(v, s.*field, min, max); };
}
auto Flag(bool Settings::*field) {
  return [field](Settings& s, const std::string& v) { return ParseBool(v, s.*field); };
}
template <class D>
auto Duration(D Settings::*field) {
  return [field](Settings& s, const std::string& v) {
    milliseconds ms;
    if (!ParseDuration(v, ms) || ms.count() <= 0) return false;
    s.*field = std::chrono::duration_cast<D>(ms);
    return true;
  };
}
auto OneOf(std::string Settings::*field, std::vector<std::string> allowed) {
  return [=](Settings& s, const std::string& v) {
    if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) return false;
    s.*field = v;
    return true;
  };
}
auto Fraction(double Settings::*field) {
  return [field](Settings& s, const std::string& v) {
    double value = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
    if (ec != std::errc() || end != v.data() + v.size() || !(value >= 0.0 && value <= 1.0)) {
      return false;
    }
    s.*field = value;
    return true;
  };
}
auto Url(std::string Settings::*field, std::vector<std::string> schemes) {
  return [=](Settings& s, const std::string& v) {
    if (!v.empty()) {
      bool ok = false;
      for (const auto& scheme : schemes) ok = ok || v.rfind(scheme + "://", 0) == 0;
      if (!ok) return false;
    }
    s.*field = v;
    return true;
  };
}

const std::vector<Spec>& Specs() {
  static const std::vector<Spec> specs = {
      {"CHAT_ENV", "development", "development|production",
       "production refuses to start without JWT_SECRET",
       OneOf(&Settings::env, {"development", "production"})},
      {"HOST", "127.0.0.1", "an address", "address to listen on", Text(&Settings::host)},
      {"PORT", "8080", "a port 1-65535", "HTTP and gateway port",
       Number<std::uint16_t>(&Settings::port, 1, 65535)},
      {"PUBLIC_URL", "", "http(s)://host:port", "URL clients reach this server at (behind a proxy)",
       Url(&Settings::public_url, {"http", "https"})},
      {"DATA_DIR", "./data", "a directory", "SQLite database, generated secret, attachments",
       Text(&Settings::data_dir)},
      {"DATABASE_URL", "", "postgres://… or sqlite://PATH", "empty: SQLite at DATA_DIR/chat.db",
       Url(&Settings::database_url, {"postgres", "postgresql", "sqlite"})},
      {"DATABASE_MAX_CONNECTIONS", "10", "an integer 1-1000", "database pool size (max)",
       Number<unsigned>(&Settings::database_max_connections, 1, 1000)},
      {"DATABASE_MIN_CONNECTIONS", "1", "an integer 0-1000", "connections opened at start",
       Number<unsigned>(&Settings::database_min_connections, 0, 1000)},
      {"REDIS_URL", "", "redis://host:port", "empty: in-process event bus",
       Url(&Settings::redis_url, {"redis"})},
      {"REDIS_CHANNEL", "chat:events", "1-128 characters, no spaces",
       "the pub/sub channel of the event bus, and the prefix of the deployment's Redis keys "
       "(slowmode, nonces, login counts): nodes share both when they share it",
       Text(&Settings::redis_channel)},
      {"REDIS_POOL_SIZE", "4", "an integer 1-256",
       "kept for the seed's .env; the bus uses one publisher and one subscriber connection",
       Number<unsigned>(&Settings::redis_pool_size, 1, 256)},
      {"JWT_SECRET", "", "at least 32 bytes",
       "HS256 key; empty: generated into DATA_DIR/jwt_secret", Text(&Settings::jwt_secret)},
      {"JWT_ACCESS_EXPIRY", "15m", "a duration like 15m, 3600s, 7d", "access token lifetime",
       Duration(&Settings::jwt_access_expiry)},
      {"JWT_REFRESH_EXPIRY", "7d", "a duration like 15m, 3600s, 7d", "refresh token lifetime",
       Duration(&Settings::jwt_refresh_expiry)},
      {"FEATURE_RATE_LIMITING", "true", "true|false|1|0",
       "REST rate limits and the failed-login throttle", Flag(&Settings::feature_rate_limiting)},
      {"FEATURE_AUDIT_LOGGING", "true", "true|false|1|0", "guild audit log",
       Flag(&Settings::feature_audit_logging)},
      {"FEATURE_METRICS", "true", "true|false|1|0", "GET /metrics (Prometheus)",
       Flag(&Settings::feature_metrics)},
      {"SMTP_HOST", "", "a host name",
       "SMTP relay for password-reset and verification mail; empty: no mail, and /auth/forgot "
       "answers 503",
       Text(&Settings::smtp_host)},
      {"SMTP_PORT", "1025", "a port 1-65535", "mail relay port",
       Number<std::uint16_t>(&Settings::smtp_port, 1, 65535)},
      {"SMTP_FROM", "noreply@chat.local", "an address", "sender of mail",
       Text(&Settings::smtp_from)},
      {"SMTP_TLS", "try", "off|try|require|implicit",
       "try: STARTTLS when the relay offers it; require: refuse to send without it; implicit: TLS "
       "from the first byte (smtps, usually port 465); the relay's certificate is verified",
       OneOf(&Settings::smtp_tls, {"off", "try", "require", "implicit"})},
      {"SMTP_USERNAME", "", "a name", "SMTP login (empty: none)", Text(&Settings::smtp_username)},
      {"SMTP_PASSWORD", "", "a password", "SMTP login password", Text(&Settings::smtp_password)},
      {"OTEL_EXPORTER_OTLP_ENDPOINT", "", "http://host:port", "OTLP trace export; empty: off",
       Url(&Settings::otel_endpoint, {"http", "https"})},
      {"OTEL_SERVICE_NAME", "chat-server", "a name", "service.name of exported traces",
       Text(&Settings::otel_service_name)},
      {"OTEL_TRACES_SAMPLER", "parentbased_always_on",
       "[parentbased_]always_on|always_off|traceidratio",
       "which requests become spans; parentbased_ ones follow the caller's traceparent flag",
       OneOf(&Settings::otel_sampler,
             {"always_on", "always_off", "traceidratio", "parentbased_always_on",
              "parentbased_always_off", "parentbased_traceidratio"})},
      {"OTEL_TRACES_SAMPLER_ARG", "1", "a number 0-1", "the share of traces traceidratio keeps",
       Fraction(&Settings::otel_sampler_arg)},
      {"CHAT_LOG", "info", "a filter like info,chat_server::http=debug",
       "log filter (RUST_LOG is read when CHAT_LOG is unset)", Text(&Settings::log_filter)},
      {"LOG_FORMAT", "auto", "auto|json|text", "auto: JSON unless stdout is a terminal",
       OneOf(&Settings::log_format, {"auto", "json", "text"})},
      {"WORKER_ID", "0", "an integer 0-31", "snowflake worker id; unique per node",
       Number<unsigned>(&Settings::worker_id, 0, 31)},
      {"HTTP_THREADS", "0", "an integer 0-256", "I/O threads; 0: one per core",
       Number<unsigned>(&Settings::http_threads, 0, 256)},
      {"BLOCKING_THREADS", "0", "an integer 0-1000", "database worker threads; 0: the pool size",
       Number<unsigned>(&Settings::blocking_threads, 0, 1000)},
      {"HASH_THREADS", "0", "an integer 0-256", "password hashing threads; 0: one per core",
       Number<unsigned>(&Settings::hash_threads, 0, 256)},
      {"PASSWORD_HASH_MEMORY_KIB", "65536", "an integer 8-1048576",
       "argon2id memory of new password hashes, in KiB (at least 8 per lane)",
       Number<unsigned>(&Settings::password_hash_memory_kib, 8, 1u << 20)},
      {"PASSWORD_HASH_ITERATIONS", "3", "an integer 1-32", "argon2id passes of new password hashes",
       Number<unsigned>(&Settings::password_hash_iterations, 1, 32)},
      {"PASSWORD_HASH_PARALLELISM", "4", "an integer 1-64", "argon2id lanes of new password hashes",
       Number<unsigned>(&Settings::password_hash_parallelism, 1, 64)},
      {"MAX_BODY_BYTES", "1048576", "an integer 1024-104857600", "largest JSON request body",
       Number<std::size_t>(&Settings::max_body_bytes, 1024, 100u << 20)},
      {"MAX_UPLOAD_BYTES", "26214400", "an integer 1024-1073741824", "largest multipart upload",
       Number<std::size_t>(&Settings::max_upload_bytes, 1024, 1u << 30)},
      {"HTTP_HEADER_TIMEOUT", "10s", "a duration", "time allowed to send request headers",
       Duration(&Settings::http_header_timeout)},
      {"HTTP_IDLE_TIMEOUT", "60s", "a duration", "keep-alive idle time",
       Duration(&Settings::http_idle_timeout)},
      {"SHUTDOWN_TIMEOUT", "10s", "a duration", "grace period for in-flight work on SIGTERM",
       Duration(&Settings::shutdown_timeout)},
      {"GATEWAY_HEARTBEAT_INTERVAL", "41250ms", "a duration like 41250ms or 45s",
       "gateway HELLO heartbeat interval; 1.5 intervals of silence close a session (4009)",
       Duration(&Settings::gateway_heartbeat_interval)},
      {"PRESENCE_BEAT", "10s", "a duration",
       "with REDIS_URL: how often a node tells the others it lives; a node silent for 3 beats is "
       "dead and its users go offline",
       Duration(&Settings::presence_beat)},
      {"LOGIN_MAX_FAILURES", "5", "an integer 1-1000",
       "failed logins per account before 429 (FEATURE_RATE_LIMITING)",
       Number<unsigned>(&Settings::login_max_failures, 1, 1000)},
      {"LOGIN_FAILURE_WINDOW", "60s", "a duration", "window of LOGIN_MAX_FAILURES",
       Duration(&Settings::login_failure_window)},
      {"RATE_LIMIT_GLOBAL", "50", "an integer 0-1000000",
       "REST requests per second per user or bot, all routes together (FEATURE_RATE_LIMITING; 0: "
       "none)",
       Number<unsigned>(&Settings::rate_limit_global, 0, 1000000)},
      {"RATE_LIMIT_ROUTE", "25", "an integer 0-1000000",
       "REST requests per 5 s per user or bot to one route of one channel or guild "
       "(FEATURE_RATE_LIMITING; "
       "0: none)",
       Number<unsigned>(&Settings::rate_limit_route, 0, 1000000)},
      {"DB_TIMEOUT", "5s", "a duration", "longest wait for a database connection",
       Duration(&Settings::db_timeout)},
  };
  return specs;
}

std::string FlagName(const char* var) {
  std::string flag = "--";
  for (const char* p = var; *p; ++p) flag += *p == '_' ? '-' : static_cast<char>(std::tolower(*p));
  return flag;
}

std::string Trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail("cannot read env file " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

bool ParseDuration(const std::string& text, milliseconds& out) {
  std::string t = Trim(text);
  std::size_t digits = 0;
  while (digits < t.size() && std::isdigit(static_cast<unsigned char>(t[digits]))) ++digits;
  if (digits == 0 || digits > 12) return false;
  long long n = std::stoll(t.substr(0, digits));
  std::string unit = t.substr(digits);
  long long ms;
  if (unit.empty() || unit == "s")
    ms = n * 1000;
  else if (unit == "ms")
    ms = n;
  else if (unit == "m")
    ms = n * 60'000;
  else if (unit == "h")
    ms = n * 3'600'000;
  else if (unit == "d")
    ms = n * 86'400'000;
  else
    return false;
  out = milliseconds(ms);
  return true;
}

bool ParseBool(const std::string& text, bool& out) {
  std::string t = Trim(text);
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  if (t == "true" || t == "1" || t == "yes" || t == "on") return out = true, true;
  if (t == "false" || t == "0" || t == "no" || t == "off") return out = false, true;
  return false;
}

std::map<std::string, std::string> ParseDotEnv(const std::string& text, const std::string& name) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    line = Trim(line);
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("export ", 0) == 0) line = Trim(line.substr(7));
    auto eq = line.find('=');
    if (eq == std::string::npos || eq == 0) {
      Fail(name + ":" + std::to_string(number) + ": expected KEY=VALUE");
    }
    std::string key = Trim(line.substr(0, eq));
    std::string value = Trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    } else if (auto hash = value.find(" #"); hash != std::string::npos) {
      value = Trim(value.substr(0, hash));
    }
    out[key] = value;
  }
  return out;
}

Invocation Load(int argc, const char* const* argv, const char* const* envp) {
  std::map<std::string, std::string> env;
  for (const char* const* e = envp; e && *e; ++e) {
    std::string kv = *e;
    auto eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }

  Invocation inv;
  std::map<std::string, std::string> flags;
  std::string env_file;
  bool command_seen = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      inv.command = "help";
      return inv;
    }
    if (arg == "--version") {
      inv.command = "version";
      return inv;
    }
    // Settings flags are accepted anywhere; other words after a command are its arguments
    // (`migrate down --all`, `seed --load-test-users 5`).
    const std::string flag_name = arg.substr(0, arg.find('='));
    const bool is_setting = flag_name == "--env-file" ||
                            std::any_of(Specs().begin(), Specs().end(), [&](const Spec& s) {
                              return FlagName(s.name) == flag_name;
                            });
    if (command_seen && !is_setting) {
      inv.arguments.push_back(arg);
      continue;
    }
    if (arg.rfind("--", 0) != 0) {
      if (arg != "serve" && arg != "migrate" && arg != "seed") {
        Fail("unknown command '" + arg + "' (expected serve, migrate or seed; see --help)");
      }
      inv.command = arg;
      command_seen = true;
      continue;
    }
    std::string name = arg, value;
    bool has_value = false;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    const Spec* spec = nullptr;
    for (const auto& s : Specs()) {
      if (FlagName(s.name) == name) spec = &s;
    }
    if (!spec && name != "--env-file") Fail("unknown option " + name + " (see --help)");
    if (!has_value) {
      if (i + 1 >= argc) Fail("option " + name + " needs a value");
      value = argv[++i];
    }
    if (name == "--env-file")
      env_file = value;
    else
      flags[spec->name] = value;
  }

  std::map<std::string, std::string> file_values;
  if (!env_file.empty()) {
    file_values = ParseDotEnv(ReadFile(env_file), env_file);
  } else if (std::filesystem::exists(".env")) {
    file_values = ParseDotEnv(ReadFile(".env"), ".env");
  }

  auto lookup = [&](const std::string& key) -> const std::string* {
    if (auto it = flags.find(key); it != flags.end()) return &it->second;
    if (auto it = env.find(key); it != env.end()) return &it->second;
    if (auto it = file_values.find(key); it != file_values.end()) return &it->second;
    return nullptr;
  };

  for (const auto& spec : Specs()) {
    const std::string* value = lookup(spec.name);
    std::string source = spec.name;
    if (!value && std::string(spec.name) == "CHAT_LOG") {
      value = lookup("RUST_LOG");
      source = "RUST_LOG";
    }
    if (!value) continue;
    if (!spec.apply(inv.settings, *value)) {
      Fail("invalid " + source + "='" + *value + "': expected " + spec.expected);
    }
  }
  if (inv.settings.database_min_connections > inv.settings.database_max_connections) {
    Fail("invalid DATABASE_MIN_CONNECTIONS: expected at most DATABASE_MAX_CONNECTIONS (" +
         std::to_string(inv.settings.database_max_connections) + ")");
  }
  const auto& channel = inv.settings.redis_channel;
  if (channel.empty() || channel.size() > 128 ||
      std::any_of(channel.begin(), channel.end(),
                  [](unsigned char ch) { return ch <= ' ' || ch >= 0x7f; })) {
    Fail("invalid REDIS_CHANNEL: expected 1-128 characters, no spaces");
  }
  const Settings& st = inv.settings;
  if (st.password_hash_memory_kib < 8 * st.password_hash_parallelism) {
    Fail("invalid PASSWORD_HASH_MEMORY_KIB: argon2 expects at least 8 KiB per lane (" +
         std::to_string(8 * st.password_hash_parallelism) +
         " for PASSWORD_HASH_PARALLELISM=" + std::to_string(st.password_hash_parallelism) + ")");
  }
  // OWASP's argon2id settings (Password Storage Cheat Sheet): the least memory for 1, 2, 3, 4 and
  // 5 or more passes. Cheaper hashes are for tests and load-test machines, never real accounts.
  static constexpr unsigned kOwaspMinKib[] = {47104, 19456, 12288, 9216, 7168};
  const unsigned passes = std::min(st.password_hash_iterations, 5u);
  if (st.IsProduction() && st.password_hash_memory_kib < kOwaspMinKib[passes - 1]) {
    Fail("invalid PASSWORD_HASH_MEMORY_KIB: CHAT_ENV=production expects at least " +
         std::to_string(kOwaspMinKib[passes - 1]) +
         " KiB for PASSWORD_HASH_ITERATIONS=" + std::to_string(st.password_hash_iterations) +
         " (OWASP: 47104 for 1 pass, 19456 for 2, 12288 for 3, 9216 for 4, 7168 for 5 or more)");
  }
  if (!inv.settings.jwt_secret.empty() && inv.settings.jwt_secret.size() < 32) {
    Fail("invalid JWT_SECRET: expected at least 32 bytes");
  }
  return inv;
}

std::string HelpText() {
  std::ostringstream out;
  out << "chat-server — a self-hostable, Discord-compatible chat server\n\n"
         "Usage:\n"
         "  chat-server [serve] [options]        run the server (the default)\n"
         "  chat-server migrate up|down [N|--all]|status\n"
         "  chat-server seed [--load-test-users N]\n\n"
         "Every setting is read from flags, the environment, then .env (or --env-file PATH).\n\n"
         "Settings (variable / flag, default):\n";
  for (const auto& s : Specs()) {
    out << "  " << s.name << " / " << FlagName(s.name) << "\n      " << s.help << "; " << s.expected
        << " (default: " << (*s.fallback ? s.fallback : "empty") << ")\n";
  }
  out << "  --env-file PATH\n      read settings from PATH instead of ./.env\n";
  return out.str();
}

void PrepareDataDir(Settings& settings) {
  std::error_code ec;
  std::filesystem::create_directories(settings.data_dir, ec);
  if (ec) Fail("invalid DATA_DIR='" + settings.data_dir + "': " + ec.message());
  if (!settings.jwt_secret.empty()) return;
  if (settings.IsProduction()) {
    Fail("JWT_SECRET is required when CHAT_ENV=production: expected at least 32 bytes");
  }
  const auto path = std::filesystem::path(settings.data_dir) / "jwt_secret";
  if (std::filesystem::exists(path)) {
    settings.jwt_secret = Trim(ReadFile(path.string()));
    if (settings.jwt_secret.size() < 32) Fail(path.string() + " holds fewer than 32 bytes");
    return;
  }
  std::random_device rd;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string secret;
  for (int i = 0; i < 64; ++i) secret += kHex[rd() & 0xF];
  {
    std::ofstream out(path, std::ios::trunc);
    if (!out) Fail("cannot write " + path.string());
    out << secret << "\n";
  }
  ::chmod(path.c_str(), 0600);
  settings.jwt_secret = secret;
}

}  // namespace chat::config
