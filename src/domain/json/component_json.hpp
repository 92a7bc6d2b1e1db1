// domain/json/component_json.hpp — Discord v10 message components (the classic layout: up to 5
// action rows, each of up to 5 buttons or one select menu) and modals. Reading what an
// application sends (every field validated as Discord does, the components rebuilt from what was
// understood, so only checked data is stored and shown), and checking what a user does with them:
// the button pressed, the values picked, the text typed into a modal.
#pragma once

#include <string>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/result.hpp"
#include "domain/json/command_json.hpp"

namespace chat::domain::json {

enum ComponentType : int {
  kActionRow = 1,
  kButton = 2,
  kStringSelect = 3,
  kTextInput = 4,
  kUserSelect = 5,
  kRoleSelect = 6,
  kMentionableSelect = 7,
  kChannelSelect = 8,
};

struct ParsedComponents {
  boost::json::array components;
  // Any component but a link button: someone using it starts an interaction, which only an
  // application can answer.
  bool interactive = false;
};

// A message's `components`. Errors name the field under "components" ("components.0.components.1
// .custom_id"); custom_ids are unique within the message.
Result<ParsedComponents> ParseComponents(const boost::json::value& components);

// A callback's MODAL data: {custom_id, title, components: rows of one text input each}.
Result<boost::json::object> ParseModal(const boost::json::object& data);

// What a user did with a message's component: `values` are a select's picks (null for a button).
// Checked against the message's components: the custom_id names an enabled component of that
// type, and the values are among a string select's options, or ids, as many as the menu takes.
// Returns the interaction's `data` ({custom_id, component_type, values?}); the ids an
// auto-populated select picked go into `targets` for the caller to resolve.
Result<boost::json::object> CheckComponentUse(const boost::json::array& components,
                                              const std::string& custom_id, int component_type,
                                              const boost::json::value& values,
                                              OptionTargets& targets);

// A modal's submitted `components` (rows of {type: 4, custom_id, value}) checked against the
// modal: every field it has and no other, required ones filled, lengths within bounds. Returns
// them rebuilt in the modal's order.
Result<boost::json::array> CheckModalSubmit(const boost::json::object& modal,
                                            const boost::json::value& submitted);

}  // namespace chat::domain::json
