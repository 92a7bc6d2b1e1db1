// main.cpp — parse settings (exit 2 on a bad one), start logging, run the chosen command.
#include <cstdio>

#include "app.hpp"
#include "commands.hpp"
#include "common/log.hpp"
#include "config/config.hpp"

extern char** environ;

int main(int argc, char** argv) {
  using namespace chat;
  config::Invocation inv;
  try {
    inv = config::Load(argc, argv, environ);
    if (inv.command == "help") {
      std::fputs(config::HelpText().c_str(), stdout);
      return 0;
    }
    if (inv.command == "version") {
      std::puts("chat-server " CHAT_VERSION);
      return 0;
    }
    if (!log::Init(inv.settings.log_filter, inv.settings.log_format)) {
      throw config::ConfigError{"invalid CHAT_LOG='" + inv.settings.log_filter +
                                "': expected a filter like info,chat_server::http=debug"};
    }
    config::PrepareDataDir(inv.settings);
  } catch (const config::ConfigError& e) {
    std::fprintf(stderr, "chat-server: %s\n", e.message.c_str());
    return 2;
  }
  if (inv.command == "migrate") return RunMigrate(inv.settings, inv.arguments);
  if (inv.command == "seed") return RunSeed(inv.settings, inv.arguments);
  return App(std::move(inv.settings)).Serve();
}
