#include "http/api.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace chat::http {

boost::asio::awaitable<Result<service::Principal>> Authenticate(Api& api, const Request& request) {
  auto header = request.Header("authorization");
  if (!header || header->empty()) co_return Error::Unauthorized();
  const std::string value(*header);
  if (!service::AuthService::IsBotToken(value)) co_return api.auth.Authenticate(value);
  co_return co_await api.db.Run([&] { return api.auth.Authenticate(value); });
}

boost::asio::awaitable<void> Pause(std::chrono::milliseconds delay) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, delay);
  co_await timer.async_wait(boost::asio::use_awaitable);
}

}  // namespace chat::http
