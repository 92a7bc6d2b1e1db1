// config/config.hpp — chat-server's settings. Sources, strongest first: command-line flags
// (--port 9000 or --port=9000, the variable's name in lower case with '-'), the process
// environment, a .env file (./.env or --env-file PATH), then defaults. Every setting is
// declared once in config.cpp's table, which also renders --help. Load() is called once by
// main before anything else starts; Settings is a plain value after that.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace chat::config {

struct Settings {
  std::string env = "development";  // CHAT_ENV: development | production
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::string public_url;  // PUBLIC_URL: what /gateway answers; derived from host:port if empty
  std::string data_dir = "./data";
  std::string database_url;  // empty → SQLite at data_dir/chat.db
  unsigned database_max_connections = 10;
  unsigned database_min_connections = 1;
  std::string redis_url;
  std::string redis_channel = "chat:events";
  unsigned redis_pool_size = 4;
  std::string jwt_secret;  // filled from DATA_DIR/jwt_secret when empty and not production
  std::chrono::seconds jwt_access_expiry{15 * 60};
  std::chrono::seconds jwt_refresh_expiry{7 * 24 * 3600};
  bool feature_rate_limiting = true;
  bool feature_audit_logging = true;
  bool feature_metrics = true;
  std::string smtp_host;
  std::uint16_t smtp_port = 1025;
  std::string smtp_from = "noreply@chat.local";
  std::string smtp_tls = "try";  // off | try (STARTTLS when offered) | require | implicit (smtps)
  std::string smtp_username;     // empty: no SMTP login
  std::string smtp_password;
  std::string otel_endpoint;
  std::string otel_service_name = "chat-server";
  std::string otel_sampler = "parentbased_always_on";  // OpenTelemetry's sampler names
  double otel_sampler_arg = 1.0;                       // traceidratio's ratio, 0..1
  std::string log_filter = "info";
  std::string log_format = "auto";  // auto | json | text
  unsigned worker_id = 0;
  unsigned http_threads = 0;      // 0 → one per core
  unsigned blocking_threads = 0;  // 0 → database_max_connections; see DatabaseThreads()
  unsigned hash_threads = 0;      // 0 → one per core
  // argon2id cost of new password hashes (the seed's by default). Each stored hash keeps its own,
  // so changing these touches only passwords set afterwards.
  unsigned password_hash_memory_kib = 65536;
  unsigned password_hash_iterations = 3;
  unsigned password_hash_parallelism = 4;
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_upload_bytes = 25u << 20;
  std::chrono::milliseconds http_header_timeout{10'000};
  std::chrono::milliseconds http_idle_timeout{60'000};
  std::chrono::milliseconds shutdown_timeout{10'000};
  std::chrono::milliseconds db_timeout{5'000};

  // Threads of the database pool (BLOCKING_THREADS, else the connection pool size); SQLite opens
  // one reader connection for each.
  unsigned DatabaseThreads() const {
    return blocking_threads ? blocking_threads : database_max_connections;
  }
  // HELLO's heartbeat_interval; a session silent for 1.5 intervals is closed with 4009.
  std::chrono::milliseconds gateway_heartbeat_interval{41'250};
  // With REDIS_URL: how often a node beats in the shared presence directory (dead after 3 silent).
  std::chrono::milliseconds presence_beat{10'000};
  unsigned login_max_failures = 5;
  std::chrono::milliseconds login_failure_window{60'000};
  // REST limits per token (FEATURE_RATE_LIMITING): requests per second in all, and per 5 s for
  // each route bucket (route and its channel/guild); 0 turns one off.
  unsigned rate_limit_global = 50;
  unsigned rate_limit_route = 25;

  bool IsProduction() const { return env == "production"; }
};

// What main should do after parsing the command line.
struct Invocation {
  Settings settings;
  std::string command = "serve";       // serve | migrate | seed | help | version
  std::vector<std::string> arguments;  // what follows the command
};

// Outcome of a failed load: a one-line message for stderr; exit code 2.
struct ConfigError {
  std::string message;
};

// argv as main received it; env as KEY=VALUE strings (environ). Throws ConfigError.
Invocation Load(int argc, const char* const* argv, const char* const* envp);

std::string HelpText();

// Parsers shared with tests: "15m", "7d", "3600s", "250ms", "2h" or plain seconds.
bool ParseDuration(const std::string& text, std::chrono::milliseconds& out);
bool ParseBool(const std::string& text, bool& out);

// Reads KEY=VALUE lines (comments, blank lines, `export`, quotes); throws ConfigError on
// a line it cannot read, naming file and line.
std::map<std::string, std::string> ParseDotEnv(const std::string& text, const std::string& name);

// Makes data_dir, and when jwt_secret is empty creates or reads DATA_DIR/jwt_secret.
// Refuses (ConfigError) in production without a secret of ≥ 32 bytes.
void PrepareDataDir(Settings& settings);

}  // namespace chat::config
