#include "http/router.hpp"

namespace chat::http {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash);
  }
  return out;
}

bool IsParam(std::string_view seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}

}  // namespace

std::string_view Context::Param(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return {};
}

void Router::Add(std::string method, std::string pattern, Handler handler) {
  Route r{std::move(method), std::move(pattern), {}, std::move(handler)};
  for (auto seg : Split(r.pattern)) r.segments.emplace_back(seg);
  routes_.push_back(std::move(r));
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match best;
  const auto parts = Split(path);
  for (const auto& route : routes_) {
    if (route.segments.size() != parts.size()) continue;
    std::vector<std::pair<std::string, std::string>> params;
    bool ok = true;
    for (std::size_t i = 0; i < parts.size() && ok; ++i) {
      const auto& seg = route.segments[i];
      if (IsParam(seg)) {
        params.emplace_back(seg.substr(1, seg.size() - 2), PercentDecode(parts[i], false));
      } else {
        ok = seg == parts[i];
      }
    }
    if (!ok) continue;
    if (route.method == method || (method == "HEAD" && route.method == "GET")) {
      // A literal segment beats a parameter at the same place ("/users/@me" over "/users/{id}"):
      // the first registered wins, so literal routes are registered first by convention.
      return Match{&route.handler, 200, route.pattern, std::move(params)};
    }
    best.status = 405;
    best.route = route.pattern;
  }
  return best;
}

std::string_view Router::StripApiBase(std::string_view path, bool& is_api) {
  is_api = false;
  if (path.substr(0, 4) != "/api") return path;
  std::string_view rest = path.substr(4);
  if (!rest.empty() && rest.front() != '/') return path;
  is_api = true;
  if (rest.substr(0, 2) == "/v") {
    std::size_t i = 2;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') ++i;
    if (i > 2 && (i == rest.size() || rest[i] == '/')) rest.remove_prefix(i);
  }
  return rest.empty() ? std::string_view("/") : rest;
}

}  // namespace chat::http
