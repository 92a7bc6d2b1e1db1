// common/log.hpp — structured logging on spdlog. One line per event: JSON (time, level, target,
// msg, fields) when stdout is not a terminal, readable text when it is. Targets are names such as
// "chat_server::http"; the filter uses the seed's syntax ("info,chat_server::store=debug"), the
// longest matching target prefix deciding. Callable from any thread after Init().
// Never pass a password, token or secret as a field.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace chat::log {

enum class Level { kTrace, kDebug, kInfo, kWarn, kError, kOff };

using Value = std::variant<std::string_view, std::int64_t, std::uint64_t, double, bool>;
struct Field {
  std::string_view key;
  Value value;
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, int v) : key(k), value(static_cast<std::int64_t>(v)) {}
  Field(std::string_view k, long v) : key(k), value(static_cast<std::int64_t>(v)) {}
  Field(std::string_view k, long long v) : key(k), value(static_cast<std::int64_t>(v)) {}
  Field(std::string_view k, unsigned v) : key(k), value(static_cast<std::uint64_t>(v)) {}
  Field(std::string_view k, unsigned long v) : key(k), value(static_cast<std::uint64_t>(v)) {}
  Field(std::string_view k, unsigned long long v) : key(k), value(static_cast<std::uint64_t>(v)) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
};
using Fields = std::initializer_list<Field>;

// format: "json", "text" or "auto". Returns false (and keeps the default) on a bad filter.
bool Init(const std::string& filter, const std::string& format);

bool Enabled(Level level, std::string_view target);
void Write(Level level, std::string_view target, std::string_view msg, Fields fields = {});

inline void Debug(std::string_view t, std::string_view m, Fields f = {}) {
  Write(Level::kDebug, t, m, f);
}
inline void Info(std::string_view t, std::string_view m, Fields f = {}) {
  Write(Level::kInfo, t, m, f);
}
inline void Warn(std::string_view t, std::string_view m, Fields f = {}) {
  Write(Level::kWarn, t, m, f);
}
inline void Error(std::string_view t, std::string_view m, Fields f = {}) {
  Write(Level::kError, t, m, f);
}

// Exposed for tests: parses the seed's filter syntax into per-target levels.
struct Filter {
  Level fallback = Level::kInfo;
  std::vector<std::pair<std::string, Level>> targets;
  Level For(std::string_view target) const;
};
bool ParseFilter(std::string_view text, Filter& out);
// Exposed for tests: one JSON log line (no trailing newline).
std::string FormatJson(std::int64_t unix_ms, Level level, std::string_view target,
                       std::string_view msg, Fields fields);

}  // namespace chat::log
