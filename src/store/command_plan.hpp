// store/command_plan.hpp — what CommandStore's writes decide before they touch a row, the same on
// every backend: which stored command a registration replaces, and which ids a bulk replacement
// keeps. Each implementation reads the scope in its write transaction, then asks here.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <vector>

#include "store/command_store.hpp"

namespace chat::store {

// Registering `command` in a scope holding `stored`: it replaces the command of its name and type
// (taking that id; created false), or is added (created true) unless the scope already holds
// `max` of its type, which gives nothing.
inline std::optional<StoredCommand> PlanPut(const std::vector<domain::ApplicationCommand>& stored,
                                            const domain::ApplicationCommand& command,
                                            std::size_t max) {
  StoredCommand plan{command, true};
  std::size_t of_type = 0;
  for (const auto& c : stored) {
    if (c.type != command.type) continue;
    ++of_type;
    if (c.name == command.name) {
      plan.command.id = c.id;
      plan.created = false;
    }
  }
  if (plan.created && of_type >= max) return std::nullopt;
  return plan;
}

// A bulk replacement's commands: one named like a stored command of its type takes that id. The
// result is in id order, as the scope is listed.
inline std::vector<domain::ApplicationCommand> KeepIds(
    const std::vector<domain::ApplicationCommand>& stored,
    std::vector<domain::ApplicationCommand> incoming) {
  for (auto& c : incoming) {
    for (const auto& old : stored) {
      if (old.type == c.type && old.name == c.name) c.id = old.id;
    }
  }
  std::sort(incoming.begin(), incoming.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  return incoming;
}

}  // namespace chat::store
