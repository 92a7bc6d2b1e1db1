#include "domain/mentions.hpp"

#include <algorithm>

namespace chat::domain {
namespace {

void AddOnce(std::vector<Snowflake>& ids, Snowflake id) {
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
}

}  // namespace

ParsedMentions ParseMentions(std::string_view content) {
  ParsedMentions out;
  for (std::size_t i = 0; i < content.size(); ++i) {
    if (content[i] == '@') {
      std::string_view rest = content.substr(i + 1);
      if (rest.starts_with("everyone")) out.everyone = true;
      if (rest.starts_with("here")) out.here = true;
      continue;
    }
    if (content[i] != '<' || i + 1 >= content.size() || content[i + 1] != '@') continue;
    std::size_t start = i + 2;
    bool role = false;
    if (start < content.size() && (content[start] == '!' || content[start] == '&')) {
      role = content[start] == '&';
      ++start;
    }
    std::size_t end = content.find('>', start);
    if (end == std::string_view::npos) break;
    auto id = ParseSnowflake(content.substr(start, end - start));
    if (!id) continue;  // "<@abc>" is plain text; resume right after '<'
    AddOnce(role ? out.roles : out.users, *id);
    i = end;
  }
  return out;
}

std::size_t CountCodePoints(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace chat::domain
