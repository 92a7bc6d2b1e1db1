// domain/json/forum_json.hpp — a forum channel's settings (Discord v10: available_tags,
// default_reaction_emoji, default_thread_rate_limit_per_user, default_sort_order,
// default_forum_layout), read from a create or PATCH body, validated as Discord does and rebuilt
// from what was understood; stored whole as one JSON object (domain::Channel::forum_json).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "common/result.hpp"
#include "domain/snowflake.hpp"

namespace chat::domain::json {

// The settings a body gives, over `current` (the stored ones; none for a new forum): keys absent
// from the body keep their value. A tag keeps its id when it names one of the forum's; new tags
// get ids from `next_id`. Nullopt when the body sets nothing and the forum has settings already.
Result<std::optional<std::string>> ParseForumSettings(const boost::json::object& body,
                                                      const std::optional<std::string>& current,
                                                      const std::function<Snowflake()>& next_id);

// Writes the settings' fields into a forum's channel object (defaults when none are stored).
void WriteForumFields(const std::optional<std::string>& settings, boost::json::object& channel);

// default_thread_rate_limit_per_user: a new post's slowmode.
int DefaultThreadRateLimit(const std::optional<std::string>& settings);

struct ForumTag {
  Snowflake id = 0;
  bool moderated = false;  // only MANAGE_THREADS holders apply it
};
std::vector<ForumTag> ForumTags(const std::optional<std::string>& settings);

}  // namespace chat::domain::json
