// http/request.hpp — the request as handlers see it: plain strings, no Beast. The session fills it
// from the wire; header names are lower-cased. Handlers run on the connection's thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chat::http {

struct Request {
  std::string method;  // "GET", "POST", …
  std::string target;  // as sent: path + query
  std::string path;    // percent-decoded path, API base prefix removed
  std::string query;   // raw query string, without '?'
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_address;

  std::optional<std::string_view> Header(std::string_view lower_name) const;
  // First value of a query parameter, percent-decoded ('+' as space).
  std::optional<std::string> Query(std::string_view name) const;
};

// Decodes %XX and, for form bodies and queries, '+' as space. Invalid escapes are kept verbatim.
std::string PercentDecode(std::string_view s, bool plus_as_space);
// Parses application/x-www-form-urlencoded (the seed's k6 login posts one).
std::vector<std::pair<std::string, std::string>> ParseForm(std::string_view body);

}  // namespace chat::http
