// http/web_assets.hpp — the browser client's files (web/ in the source tree), compiled into the
// binary by embed_web_gen.cmake so that `make run` serves them with nothing else installed.
#pragma once

#include <span>
#include <string_view>

namespace chat::http {

struct WebAsset {
  std::string_view name;  // "index.html"
  std::string_view content_type;
  std::string_view body;
};

std::span<const WebAsset> WebAssets();

}  // namespace chat::http
