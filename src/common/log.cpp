#include "common/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <memory>

namespace chat::log {
namespace {

struct State {
  Filter filter;
  bool json = true;
  std::shared_ptr<spdlog::logger> logger;
};
// Set once by Init before other threads start; read-only afterwards.
State g_state;

bool ParseLevel(std::string_view s, Level& out) {
  if (s == "trace")
    out = Level::kTrace;
  else if (s == "debug")
    out = Level::kDebug;
  else if (s == "info")
    out = Level::kInfo;
  else if (s == "warn" || s == "warning")
    out = Level::kWarn;
  else if (s == "error")
    out = Level::kError;
  else if (s == "off")
    out = Level::kOff;
  else
    return false;
  return true;
}

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kTrace:
      return "TRACE";
    case Level::kDebug:
      return "DEBUG";
    case Level::kInfo:
      return "INFO";
    case Level::kWarn:
      return "WARN";
    case Level::kError:
      return "ERROR";
    case Level::kOff:
      break;
  }
  return "OFF";
}

void AppendEscaped(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
}

void AppendValue(std::string& out, const Value& v, bool quote_strings) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string_view>) {
          if (quote_strings) out += '"';
          AppendEscaped(out, x);
          if (quote_strings) out += '"';
        } else if constexpr (std::is_same_v<T, bool>) {
          out += x ? "true" : "false";
        } else {
          out += std::to_string(x);
        }
      },
      v);
}

std::string Iso8601(std::int64_t unix_ms) {
  std::time_t secs = unix_ms / 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(unix_ms % 1000));
  return buf;
}

std::int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

Level Filter::For(std::string_view target) const {
  Level level = fallback;
  std::size_t best = 0;
  for (const auto& [prefix, lvl] : targets) {
    if (target.substr(0, prefix.size()) == prefix && prefix.size() >= best) {
      best = prefix.size();
      level = lvl;
    }
  }
  return level;
}

bool ParseFilter(std::string_view text, Filter& out) {
  Filter f;
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty()) continue;
    auto eq = item.find('=');
    Level level;
    if (eq == std::string_view::npos) {
      if (!ParseLevel(item, level)) return false;
      f.fallback = level;
    } else {
      if (!ParseLevel(item.substr(eq + 1), level) || eq == 0) return false;
      f.targets.emplace_back(std::string(item.substr(0, eq)), level);
    }
  }
  out = std::move(f);
  return true;
}

std::string FormatJson(std::int64_t unix_ms, Level level, std::string_view target,
                       std::string_view msg, Fields fields) {
  std::string line;
  line.reserve(128);
  line += "{\"time\":\"";
  line += Iso8601(unix_ms);
  line += "\",\"level\":\"";
  line += LevelName(level);
  line += "\",\"target\":\"";
  AppendEscaped(line, target);
  line += "\",\"msg\":\"";
  AppendEscaped(line, msg);
  line += '"';
  for (const auto& f : fields) {
    line += ",\"";
    AppendEscaped(line, f.key);
    line += "\":";
    AppendValue(line, f.value, true);
  }
  line += '}';
  return line;
}

bool Init(const std::string& filter, const std::string& format) {
  bool ok = ParseFilter(filter, g_state.filter);
  g_state.json = format == "json" || (format == "auto" && !::isatty(STDOUT_FILENO));
  g_state.logger = spdlog::stdout_logger_mt("chat");
  g_state.logger->set_pattern("%v");
  g_state.logger->set_level(spdlog::level::trace);
  g_state.logger->flush_on(spdlog::level::trace);
  return ok;
}

bool Enabled(Level level, std::string_view target) {
  return level != Level::kOff && level >= g_state.filter.For(target);
}

void Write(Level level, std::string_view target, std::string_view msg, Fields fields) {
  if (!Enabled(level, target)) return;
  std::string line;
  if (g_state.json) {
    line = FormatJson(NowMs(), level, target, msg, fields);
  } else {
    line = Iso8601(NowMs());
    line += ' ';
    line += LevelName(level);
    line += ' ';
    line += target;
    line += ": ";
    line += msg;
    for (const auto& f : fields) {
      line += ' ';
      line += f.key;
      line += '=';
      AppendValue(line, f.value, false);
    }
  }
  if (g_state.logger) {
    g_state.logger->info("{}", line);
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
}

}  // namespace chat::log
