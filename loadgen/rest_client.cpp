#include "loadgen/rest_client.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "loadgen/clock.hpp"
#include "loadgen/target.hpp"

namespace chat::loadgen {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using net::as_tuple;
using net::use_awaitable;

struct RestClient::Impl {
  Impl(net::io_context& io, const Target& t, std::optional<net::ip::address_v4> src, int timeout)
      : stream(io), target(t), source(src), timeout_s(timeout) {}

  net::awaitable<boost::system::error_code> Connect() {
    auto& sock = stream.socket();
    boost::system::error_code ec;
    sock.open(target.endpoint.protocol(), ec);
    if (ec) co_return ec;
    if (source) {
      BindSource(sock, *source, ec);
      if (ec) co_return ec;
    }
    stream.expires_after(std::chrono::seconds(timeout_s));
    auto [cec] = co_await stream.async_connect(target.endpoint, as_tuple(use_awaitable));
    if (cec) {
      Reset();
      co_return cec;
    }
    sock.set_option(net::ip::tcp::no_delay(true), ec);
    connected = true;
    co_return boost::system::error_code{};
  }

  void Reset() {
    boost::system::error_code ignored;
    stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    stream.socket().close(ignored);
    buffer.clear();
    connected = false;
  }

  net::awaitable<HttpResult> Send(const HttpRequest& spec) {
    HttpResult out;
    const std::int64_t start = NowUs();
    bhttp::request<bhttp::string_body> req;
    req.method_string(spec.method);
    req.target(spec.target);
    req.version(11);
    req.set(bhttp::field::host, target.host + ":" + std::to_string(target.port));
    req.set(bhttp::field::user_agent, "chat-loadgen");
    if (!spec.authorization.empty()) req.set(bhttp::field::authorization, spec.authorization);
    if (!spec.content_type.empty()) req.set(bhttp::field::content_type, spec.content_type);
    req.body() = spec.body;
    req.keep_alive(true);
    req.prepare_payload();
    for (int attempt = 0; attempt < 2; ++attempt) {
      const bool reused = connected;
      if (!connected) {
        auto ec = co_await Connect();
        if (ec) {
          out.error = "connect: " + ec.message();
          break;
        }
      }
      stream.expires_after(std::chrono::seconds(timeout_s));
      auto [wec, written] = co_await bhttp::async_write(stream, req, as_tuple(use_awaitable));
      if (wec) {
        Reset();
        if (reused) continue;
        out.error = "write: " + wec.message();
        break;
      }
      bhttp::response_parser<bhttp::string_body> parser;
      parser.body_limit(64 * 1024 * 1024);
      auto [rec, read] =
          co_await bhttp::async_read(stream, buffer, parser, as_tuple(use_awaitable));
      if (rec) {
        Reset();
        // The server closed an idle keep-alive connection before reading the request.
        if (reused && read == 0 &&
            (rec == bhttp::error::end_of_stream || rec == net::error::connection_reset ||
             rec == net::error::eof)) {
          continue;
        }
        out.error = "read: " + rec.message();
        break;
      }
      auto& res = parser.get();
      out.status = static_cast<int>(res.result_int());
      out.body = std::move(res.body());
      if (!res.keep_alive()) Reset();
      break;
    }
    out.latency_us = NowUs() - start;
    co_return out;
  }

  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  const Target& target;
  std::optional<net::ip::address_v4> source;
  int timeout_s;
  bool connected = false;
};

RestClient::RestClient(net::io_context& io, const Target& target,
                       std::optional<net::ip::address_v4> source, int timeout_s)
    : impl_(std::make_unique<Impl>(io, target, source, timeout_s)) {}

RestClient::~RestClient() = default;

net::awaitable<HttpResult> RestClient::Send(const HttpRequest& request) {
  return impl_->Send(request);
}

void RestClient::Close() { impl_->Reset(); }

}  // namespace chat::loadgen
