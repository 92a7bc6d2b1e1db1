// app.hpp — the composition root: the only place that names concrete stores, buses and pools.
// It builds every part from Settings, wires them together and runs the server until a signal.
#pragma once

#include <memory>

#include "config/config.hpp"
#include "service/auth/password_hasher.hpp"

namespace chat {

// The argon2id cost of new password hashes (PASSWORD_HASH_*): the server's and the seed
// command's.
service::auth::HashParams HashParamsOf(const config::Settings& settings);

class App {
 public:
  explicit App(config::Settings settings);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Serves until SIGINT/SIGTERM; returns the process exit code.
  int Serve();

 private:
  void AddMetrics();

  struct Parts;
  config::Settings settings_;
  std::unique_ptr<Parts> parts_;
};

}  // namespace chat
