// common/net.hpp — the Asio and Beast aliases used by http/ and gateway/. Heavy: include only from
// transport .cpp files (sessions, listeners), never from headers other layers see.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace chat {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;
}  // namespace chat
