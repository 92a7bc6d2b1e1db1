// commands.hpp — the maintenance commands: `chat-server migrate up|down [N|--all]|status` and
// `chat-server seed [--load-test-users N]`. Each returns the process exit code and prints one
// line per step; they run on the calling thread with no server started.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"

namespace chat {

int RunMigrate(const config::Settings& settings, const std::vector<std::string>& args);
int RunSeed(const config::Settings& settings, const std::vector<std::string>& args);

}  // namespace chat
