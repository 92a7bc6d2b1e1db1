// http/router.hpp — maps (method, path template) to a coroutine handler. Templates look like
// "/channels/{channel_id}/messages"; a path that matches a template under another method gives
// 405, no template 404. Discord's API bases (/api, /api/v1, /api/v9, /api/v10) are stripped
// before matching, so one table serves every version. Routes are added at start-up; Find is
// read-only and safe from any thread.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"
#include "http/response.hpp"

namespace chat::http {

struct Context {
  Request& request;
  std::vector<std::pair<std::string, std::string>> params;  // {name, value} from the template
  std::string_view route;  // the matched template, for metrics and logs

  std::string_view Param(std::string_view name) const;
};

using Handler = std::function<boost::asio::awaitable<Response>(Context&)>;

class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler);

  struct Match {
    const Handler* handler = nullptr;  // null: see status
    int status = 404;                  // 404 or 405 when handler is null
    std::string_view route;
    std::vector<std::pair<std::string, std::string>> params;
  };
  Match Find(std::string_view method, std::string_view path) const;

  // "/api/v10/users/@me" → "/users/@me" (is_api = true); other paths unchanged.
  static std::string_view StripApiBase(std::string_view path, bool& is_api);

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;  // "{name}" marks a parameter
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace chat::http
