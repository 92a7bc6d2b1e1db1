// http/routes/attachment_routes.cpp — the CDN-like download of uploaded files:
// GET/HEAD /attachments/{channel_id}/{attachment_id}/{filename}?key=…, without authentication
// (like Discord's CDN: the random key in the URL is the capability). Single byte ranges are
// honoured (206/416). Response cannot stream a file, so the bytes asked for are read into the
// body on the db pool; uploads are capped at MAX_UPLOAD_BYTES (25 MiB by default), which bounds
// that copy. HEAD builds a zero-filled body of the right length without reading the disk, because
// the server derives HEAD's Content-Length from the body.
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>

#include "http/error_response.hpp"
#include "http/routes/routes.hpp"
#include "service/attachment_service.hpp"

namespace chat::http {
namespace {

using Awaitable = boost::asio::awaitable<Response>;

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // inclusive
};

std::optional<std::uint64_t> Number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// RFC 9110 §14: "bytes=a-b", "bytes=a-" or "bytes=-n", one range only. `ignore` when the header
// is malformed or asks for several ranges (the whole file is then served, as the RFC allows);
// nullopt range with ignore=false when the range cannot be satisfied.
struct RangeRequest {
  bool ignore = true;
  std::optional<ByteRange> range;
};

RangeRequest ParseRange(std::string_view header, std::uint64_t size) {
  RangeRequest out;
  constexpr std::string_view kUnit = "bytes=";
  if (header.substr(0, kUnit.size()) != kUnit) return out;
  std::string_view spec = header.substr(kUnit.size());
  if (spec.find(',') != std::string_view::npos) return out;
  std::size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return out;
  std::string_view a = spec.substr(0, dash);
  std::string_view b = spec.substr(dash + 1);
  out.ignore = false;
  if (a.empty()) {  // suffix: the last n bytes
    auto n = Number(b);
    if (!n) return RangeRequest{};
    if (*n == 0 || size == 0) return out;
    out.range = ByteRange{size - std::min(*n, size), size - 1};
    return out;
  }
  auto first = Number(a);
  if (!first) return RangeRequest{};
  std::uint64_t last = size ? size - 1 : 0;
  if (!b.empty()) {
    auto l = Number(b);
    if (!l || *l < *first) return RangeRequest{};
    last = std::min(*l, last);
  }
  if (*first >= size) return out;
  out.range = ByteRange{*first, last};
  return out;
}

// A filename inside a quoted-string: the stored names are already a safe charset; quotes and
// backslashes are escaped anyway so the header can never be broken out of.
std::string Quoted(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out.push_back(c);
  }
  out.push_back('"');
  return out;
}

void AddFileHeaders(Response& r, const domain::Attachment& a) {
  r.headers.emplace_back(
      "Content-Disposition",
      std::string(service::IsInlineType(a.content_type) ? "inline" : "attachment") +
          "; filename=" + Quoted(a.filename));
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; sandbox");
  r.headers.emplace_back("Cache-Control", "private, max-age=86400");
  r.headers.emplace_back("Accept-Ranges", "bytes");
}

Awaitable Download(Api& api, Context& ctx) {
  Error not_found = Error::NotFound("404: Not Found");
  auto channel = domain::ParseSnowflake(ctx.Param("channel_id"));
  auto id = domain::ParseSnowflake(ctx.Param("attachment_id"));
  auto key = ctx.request.Query("key");
  if (!channel || !id || !key || !api.attachments) co_return ErrorResponse(not_found);
  const std::string filename(ctx.Param("filename"));
  auto found =
      co_await api.db.Run([&] { return api.attachments->Find(*channel, *id, filename, *key); });
  if (!found) co_return ErrorResponse(found.error());

  const auto size = static_cast<std::uint64_t>(found->size);
  Response r;
  r.status = 200;
  r.content_type = found->content_type;
  AddFileHeaders(r, *found);
  std::uint64_t offset = 0;
  std::uint64_t length = size;
  if (auto header = ctx.request.Header("range")) {
    RangeRequest range = ParseRange(*header, size);
    if (!range.ignore && !range.range) {
      Response unsatisfiable = ErrorResponse(Error::Validation("Range Not Satisfiable"));
      unsatisfiable.status = 416;
      unsatisfiable.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
      co_return unsatisfiable;
    }
    if (range.range) {
      offset = range.range->first;
      length = range.range->last - range.range->first + 1;
      r.status = 206;
      r.headers.emplace_back("Content-Range", "bytes " + std::to_string(range.range->first) + "-" +
                                                  std::to_string(range.range->last) + "/" +
                                                  std::to_string(size));
    }
  }
  if (ctx.request.method == "HEAD") {
    r.body.assign(length, '\0');
    co_return r;
  }
  auto bytes = co_await api.db.Run([&] { return api.attachments->Read(*found, offset, length); });
  if (!bytes) co_return ErrorResponse(bytes.error());
  r.body = std::move(*bytes);
  co_return r;
}

}  // namespace

void AddAttachmentRoutes(Router& router, Api& api) {
  // GET also answers HEAD (router.hpp).
  router.Add("GET", "/attachments/{channel_id}/{attachment_id}/{filename}",
             [&api](Context& c) { return Download(api, c); });
}

}  // namespace chat::http
