// store/id_list.hpp — a short list of ids kept in one text column ("1,2,3"): a forum post's
// tags, at most five, always read and written whole.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/snowflake.hpp"

namespace chat::store {

inline std::string JoinIds(const std::vector<domain::Snowflake>& ids) {
  std::string out;
  for (domain::Snowflake id : ids) {
    if (!out.empty()) out += ',';
    out += domain::ToString(id);
  }
  return out;
}

// Ids that do not parse are skipped: the column is only ever written by JoinIds.
inline std::vector<domain::Snowflake> SplitIds(std::string_view text) {
  std::vector<domain::Snowflake> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    if (auto id = domain::ParseSnowflake(text.substr(0, comma))) out.push_back(*id);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace chat::store
