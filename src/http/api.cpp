#include "http/api.hpp"

namespace chat::http {

boost::asio::awaitable<Result<service::Principal>> Authenticate(Api& api, const Request& request) {
  auto header = request.Header("authorization");
  if (!header || header->empty()) co_return Error::Unauthorized();
  const std::string value(*header);
  if (!service::AuthService::IsBotToken(value)) co_return api.auth.Authenticate(value);
  co_return co_await api.db.Run([&] { return api.auth.Authenticate(value); });
}

}  // namespace chat::http
