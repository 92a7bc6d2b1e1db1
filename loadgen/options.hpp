// loadgen/options.hpp — the command line of chat-loadgen: one scenario name followed by options,
// per-scenario help texts, and the hard caps that bound every run. Pure (no I/O), unit tested.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chat::loadgen {

enum class Scenario { kNone, kSessions, kFanout, kRest, kSeed };
enum class LoginMode { kSeed, kDiscord, kTokensFile };

struct Options {
  Scenario scenario = Scenario::kNone;
  bool help = false;

  // Target and protocol.
  std::string target = "http://127.0.0.1:8080";
  std::string api_base = "/api/v10";
  std::string gateway_path = "/?v=10&encoding=json";
  bool allow_remote = false;
  std::uint64_t intents = (1u << 0) | (1u << 9) | (1u << 15);  // GUILDS|GUILD_MESSAGES|CONTENT
  int timeout_s = 30;

  // Accounts.
  LoginMode login = LoginMode::kSeed;
  std::string seed_login_path = "/api/v1/auth/login";
  std::string user_prefix = "user_";
  int user_start = 1;
  std::string password = "password123";
  std::string tokens_file;
  std::string token_type = "Bearer";
  bool create_users = false;
  bool create_guild = false;
  std::string channel_id = "1";
  int users = 0;  // distinct accounts; 0 = one per connection (scenario default)
  int setup_concurrency = 8;

  // Scale and safety.
  int source_addrs = 0;  // 0 = as many as the connection count needs
  int max_connections = 20000;
  int max_duration_s = 900;

  // Output.
  bool json = false;
  bool quiet = false;
  int server_pid = 0;

  // Scenario parameters.
  int sessions = 100;
  int connect_rate = 500;      // new sessions per second
  int connect_inflight = 256;  // sessions connecting at once
  double duration_s = 10;
  int members = 20;
  int senders = 2;
  double rate = 20;  // messages per second, all senders together
  double drain_s = 3;
  int threads = 1;  // fanout: receiver threads; 1 = everything on the main thread
  int concurrency = 8;
  int history_percent = 50;
  int vus = 500;
  double time_scale = 1.0;
  double hold_s = -1;   // seed: socket hold; <0 = 10 s scaled
  double sleep_s = -1;  // seed: pause between iterations; <0 = 1 s scaled
};

struct ParseOutcome {
  Options options;
  std::optional<std::string> error;  // usage error, printed with a hint to --help
};

ParseOutcome ParseOptions(const std::vector<std::string>& args);
std::string HelpText(Scenario scenario);  // kNone = the overview
const char* ScenarioName(Scenario scenario);

// Connections a run opens at its peak (gateway sockets + HTTP clients), for caps and source addrs.
int PlannedConnections(const Options& o);
// Wall-clock seconds the measured phase lasts (seed: the scaled stages), for caps and watchdog.
double PlannedSeconds(const Options& o);

}  // namespace chat::loadgen
