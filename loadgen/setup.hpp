// loadgen/setup.hpp — getting accounts and a channel before a measurement: tokens from a file or
// by logging in (the seed's form login or Discord's JSON login), optionally registering the users
// first and creating a guild that they join by invite. Runs --setup-concurrency requests at once.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

namespace chat::loadgen {

struct Context;
class RestClient;

struct Accounts {
  std::vector<std::string> tokens;
  std::string channel_id;
  std::string error;  // non-empty: setup failed, nothing to measure
};

// `count` accounts (and, with `need_channel`, a channel every one of them can use).
boost::asio::awaitable<Accounts> PrepareAccounts(Context& ctx, int count, bool need_channel);

// One password login for user `username`; the access token, or empty with `error` set.
boost::asio::awaitable<std::string> Login(Context& ctx, RestClient& client,
                                          const std::string& username, std::string& error,
                                          std::int64_t* latency_us = nullptr);

// Pulls "access_token" (or Discord's "token") out of a login response body.
std::string TokenFromBody(const std::string& body);

}  // namespace chat::loadgen
