// http/multipart.hpp — a strict multipart/form-data parser (RFC 7578 over RFC 2046), for message
// uploads (payload_json + files[n]). Hand-written because no Debian 12 library fits: Beast has no
// multipart support and the C parsers packaged there (e.g. GMime) are MIME mail libraries.
// Parts are views into the caller's body, which must outlive them. Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace chat::http::multipart {

struct Limits {
  std::size_t max_parts = 32;           // every part, fields and files together
  std::size_t max_files = 10;           // parts that carry a filename
  std::size_t max_header_bytes = 8192;  // one part's header block
};

struct Part {
  std::string name;                     // Content-Disposition's name
  std::optional<std::string> filename;  // present for file parts (may be empty: "")
  std::string content_type;             // as declared, lower-cased; empty when absent
  std::string_view data;                // the part's bytes, a view into the body
};

// The boundary parameter of a `multipart/form-data` Content-Type value (quoted or not).
// Validation error when the type is another one or the boundary is missing or malformed.
[[nodiscard]] Result<std::string> BoundaryOf(std::string_view content_type);

// Every part in order. Any malformed input (no opening delimiter, a part header that is not
// "Name: value" CRLF-terminated, a part without a form-data disposition or name, no closing
// delimiter, a limit exceeded) is an Error::Validation; nothing is thrown.
[[nodiscard]] Result<std::vector<Part>> Parse(std::string_view body, std::string_view boundary,
                                              const Limits& limits = {});

}  // namespace chat::http::multipart
