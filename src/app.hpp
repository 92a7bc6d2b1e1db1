// app.hpp — the composition root: the only place that names concrete stores, buses and pools.
// It builds every part from Settings, wires them together and runs the server until a signal.
#pragma once

#include <memory>

#include "config/config.hpp"

namespace chat {

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
