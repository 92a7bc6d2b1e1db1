// http/routes/message_body.hpp — a message as a request carries it, for the routes that send or
// edit one (channel messages, webhook executions): JSON, or multipart/form-data with payload_json
// and files[n] as discord.js and discord.py send uploads. Every bad field is a 400 naming it.
#pragma once

#include <optional>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/result.hpp"
#include "domain/snowflake.hpp"
#include "http/api.hpp"
#include "http/request.hpp"
#include "service/message_service.hpp"

namespace chat::http {

// A message body as either kind of request carries it: the JSON object (payload_json, or the
// plain form fields content/nonce/tts) and the uploaded files in files[n] order, described by
// payload_json's `attachments: [{id: n, filename?, description?}]`. The files view the body.
struct MessageBody {
  boost::json::object object;
  std::vector<service::NewAttachment> files;
};

// Multipart bodies (up to MAX_UPLOAD_BYTES) are scanned on a worker, off the I/O thread.
boost::asio::awaitable<Result<MessageBody>> ReadMessageBodyOffThread(Api& api,
                                                                     const Request& request);
// The fields of a new message: content, embeds, components, allowed_mentions, tts, flags, nonce,
// enforce_nonce, message_reference. The caller adds the files.
Result<service::MessageInput> ParseMessageInput(const boost::json::object& body);
// The fields of an edit, the kept attachments and the new files (moved out of `body`).
Result<service::MessageEdit> ParseMessageEdit(MessageBody& body);
// A snowflake as clients send it in bodies: a decimal string or a non-negative integer.
std::optional<domain::Snowflake> SnowflakeOf(const boost::json::value& v);

}  // namespace chat::http
