// loadgen/rest_client.hpp — a minimal HTTP/1.1 keep-alive client: one connection, one request at a
// time, bound to a loopback source address. Beast stays inside rest_client.cpp. Not thread-safe:
// use it from the one io_context thread.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace boost::asio {
class io_context;
}

namespace chat::loadgen {

struct Target;

struct HttpRequest {
  std::string method = "GET";
  std::string target;  // path and query
  std::string body;
  std::string content_type;   // empty: none
  std::string authorization;  // full header value, e.g. "Bearer x"; empty: none
};

struct HttpResult {
  int status = 0;  // 0: transport failure (see error)
  std::string body;
  std::string error;
  std::int64_t latency_us = 0;  // first byte written .. response read (includes a reconnect)
  bool ok() const { return status >= 200 && status < 300; }
};

class RestClient {
 public:
  RestClient(boost::asio::io_context& io, const Target& target,
             std::optional<boost::asio::ip::address_v4> source, int timeout_s);
  ~RestClient();
  RestClient(const RestClient&) = delete;
  RestClient& operator=(const RestClient&) = delete;

  // Never throws; a request on a stale keep-alive connection that the server closed unread is
  // retried once on a new one.
  boost::asio::awaitable<HttpResult> Send(const HttpRequest& request);
  void Close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chat::loadgen
