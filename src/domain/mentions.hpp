// domain/mentions.hpp — the text rules of a message: mentions parsed from content (<@id>,
// <@!id>, <@&role>, @everyone, @here) and length in code points (Discord counts characters,
// not bytes). Pure functions; safe from any thread.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "domain/snowflake.hpp"

namespace chat::domain {

struct ParsedMentions {
  std::vector<Snowflake> users;  // in order of first appearance, without duplicates
  std::vector<Snowflake> roles;
  bool everyone = false;  // "@everyone"
  bool here = false;      // "@here"
};

ParsedMentions ParseMentions(std::string_view content);

// Code points of well-formed UTF-8 text (check it with IsValidUtf8 of domain/validation.hpp).
std::size_t CountCodePoints(std::string_view text);

}  // namespace chat::domain
