#include "http/multipart.hpp"

#include <algorithm>
#include <functional>

#include "http/request.hpp"

namespace chat::http::multipart {
namespace {

constexpr std::size_t kMaxBoundary = 70;  // RFC 2046 §5.1.1
constexpr std::string_view kCrlf = "\r\n";

Error Malformed(std::string detail) {
  return Error::Validation("Invalid Form Body",
                           {{"multipart", "MULTIPART_INVALID", std::move(detail)}});
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerCopy(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = Lower(c);
  return out;
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return Lower(x) == Lower(y); });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsTokenChar(char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsBoundaryChar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

// `name=value` parameters after the first ';' of a header value. Values are tokens or quoted
// strings (backslash escapes honoured). Names come back lower-cased. nullopt when malformed.
std::optional<std::vector<std::pair<std::string, std::string>>> Params(std::string_view s,
                                                                       std::string_view& head) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t semi = s.find(';');
  head = Trim(s.substr(0, semi));
  if (semi == std::string_view::npos) return out;
  std::size_t i = semi + 1;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i == s.size()) break;  // a trailing ';'
    std::size_t name_start = i;
    while (i < s.size() && IsTokenChar(s[i])) ++i;
    if (i == name_start) return std::nullopt;
    std::string name = LowerCopy(s.substr(name_start, i - name_start));
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i == s.size() || s[i] != '=') return std::nullopt;
    ++i;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    std::string value;
    if (i < s.size() && s[i] == '"') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        char c = s[i++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\' && i < s.size()) c = s[i++];
        value.push_back(c);
      }
      if (!closed) return std::nullopt;
    } else {
      std::size_t start = i;
      while (i < s.size() && s[i] != ';' && s[i] != ' ' && s[i] != '\t') ++i;
      if (i == start) return std::nullopt;
      value = std::string(s.substr(start, i - start));
    }
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i < s.size()) {
      if (s[i] != ';') return std::nullopt;
      ++i;
    }
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

// RFC 5987 ext-value: charset'language'percent-encoded. Only UTF-8 (and its ASCII subset).
std::optional<std::string> ExtValue(std::string_view v) {
  std::size_t q1 = v.find('\'');
  if (q1 == std::string_view::npos) return std::nullopt;
  std::size_t q2 = v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return std::nullopt;
  std::string charset = LowerCopy(v.substr(0, q1));
  if (charset != "utf-8" && charset != "us-ascii") return std::nullopt;
  return PercentDecode(v.substr(q2 + 1), false);
}

// Fills name/filename/content_type of `part` from its header block (lines without the final
// CRLF CRLF).
Result<void> ReadHeaders(std::string_view block, Part& part) {
  bool have_disposition = false;
  bool have_type = false;
  while (!block.empty()) {
    std::size_t eol = block.find(kCrlf);
    std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 2);
    if (line.empty()) return Malformed("Empty line inside a part header.");
    if (line.front() == ' ' || line.front() == '\t') {
      return Malformed("Folded part header lines are not accepted.");
    }
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return Malformed("A part header line is not \"Name: value\".");
    }
    std::string_view name = line.substr(0, colon);
    if (!std::all_of(name.begin(), name.end(), IsTokenChar)) {
      return Malformed("A part header name has invalid characters.");
    }
    std::string_view value = Trim(line.substr(colon + 1));
    if (std::any_of(value.begin(), value.end(), [](char c) {
          return (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f;
        })) {
      return Malformed("A part header value has control characters.");
    }
    if (IEquals(name, "content-disposition")) {
      if (have_disposition) return Malformed("A part has two Content-Disposition headers.");
      have_disposition = true;
      std::string_view kind;
      auto params = Params(value, kind);
      if (!params) return Malformed("Malformed Content-Disposition header.");
      if (!IEquals(kind, "form-data")) return Malformed("A part's disposition is not form-data.");
      bool have_name = false;
      std::optional<std::string> ext_filename;
      for (auto& [key, v] : *params) {
        if (key == "name") {
          part.name = v;
          have_name = true;
        } else if (key == "filename") {
          part.filename = v;
        } else if (key == "filename*") {
          ext_filename = ExtValue(v);
          if (!ext_filename) return Malformed("Malformed filename* parameter.");
        }
      }
      if (ext_filename) part.filename = std::move(ext_filename);
      if (!have_name) return Malformed("A part has no name.");
    } else if (IEquals(name, "content-type")) {
      if (have_type) return Malformed("A part has two Content-Type headers.");
      have_type = true;
      part.content_type = LowerCopy(value);
    }
    // Other headers (Content-Transfer-Encoding, …) are ignored, as RFC 7578 §4.7 advises.
  }
  if (!have_disposition) return Malformed("A part has no Content-Disposition header.");
  return {};
}

}  // namespace

Result<std::string> BoundaryOf(std::string_view content_type) {
  std::string_view kind;
  auto params = Params(content_type, kind);
  if (!params) return Malformed("Malformed Content-Type header.");
  if (!IEquals(kind, "multipart/form-data")) {
    return Malformed("The Content-Type is not multipart/form-data.");
  }
  for (auto& [key, value] : *params) {
    if (key != "boundary") continue;
    if (value.empty() || value.size() > kMaxBoundary || value.back() == ' ' ||
        !std::all_of(value.begin(), value.end(), IsBoundaryChar)) {
      return Malformed("The multipart boundary is malformed.");
    }
    return value;
  }
  return Malformed("The multipart Content-Type has no boundary.");
}

Result<std::vector<Part>> Parse(std::string_view body, std::string_view boundary,
                                const Limits& limits) {
  if (boundary.empty() || boundary.size() > kMaxBoundary) {
    return Malformed("The multipart boundary is malformed.");
  }
  const std::string delimiter = "\r\n--" + std::string(boundary);
  const std::boyer_moore_horspool_searcher searcher(delimiter.begin(), delimiter.end());
  auto find_delimiter = [&](std::size_t from) -> std::size_t {
    auto it = std::search(body.begin() + static_cast<std::ptrdiff_t>(from), body.end(), searcher);
    return it == body.end() ? std::string_view::npos : static_cast<std::size_t>(it - body.begin());
  };

  // The first delimiter may open the body (no CRLF before it) or follow a preamble.
  std::size_t pos = 0;
  std::string_view first = std::string_view(delimiter).substr(2);
  if (body.substr(0, first.size()) == first) {
    pos = first.size();
  } else {
    std::size_t d = find_delimiter(0);
    if (d == std::string_view::npos) return Malformed("The body has no multipart delimiter.");
    pos = d + delimiter.size();
  }

  std::vector<Part> parts;
  std::size_t files = 0;
  for (;;) {
    if (body.substr(pos, 2) == "--") return parts;  // close delimiter; the epilogue is ignored
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != kCrlf) return Malformed("Truncated or malformed delimiter line.");
    pos += 2;

    if (body.substr(pos, 2) == kCrlf) return Malformed("A part has no Content-Disposition header.");
    std::string_view window = body.substr(pos, limits.max_header_bytes + 4);
    std::size_t end = window.find("\r\n\r\n");
    if (end == std::string_view::npos) {
      if (window.size() > limits.max_header_bytes) return Malformed("A part header is too large.");
      return Malformed("Truncated part header.");
    }
    if (end > limits.max_header_bytes) return Malformed("A part header is too large.");
    Part part;
    if (auto r = ReadHeaders(window.substr(0, end), part); !r) return r.error();
    const std::size_t data_start = pos + end + 4;
    if (part.name.empty()) return Malformed("A part has an empty name.");

    std::size_t d = find_delimiter(data_start);
    if (d == std::string_view::npos) return Malformed("The body has no closing delimiter.");
    part.data = body.substr(data_start, d - data_start);
    pos = d + delimiter.size();

    if (part.filename) ++files;
    parts.push_back(std::move(part));
    if (parts.size() > limits.max_parts) return Malformed("Too many parts in the form.");
    if (files > limits.max_files) {
      return Error::Validation(
          "Invalid Form Body",
          {{"files", "BASE_TYPE_MAX_LENGTH",
            "Must be " + std::to_string(limits.max_files) + " or fewer in length."}});
    }
  }
}

}  // namespace chat::http::multipart
