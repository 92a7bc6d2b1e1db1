// What the Redis tests share: the Redis under test (CHAT_TEST_REDIS_URL, written to DIR/env by
// scripts/services.sh start DIR), a per-test name for keys and channels, and a port where
// nothing listens.
#pragma once

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bus/redis/redis_connection.hpp"

namespace chat::bus::redis {

// The running test's name and this process's id: unique per test, so parallel runs (ctest -j)
// sharing one Redis do not meet.
inline std::string TestName() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return std::string(info->name()) + "-" + std::to_string(::getpid());
}

// The Redis under test, or a failure that says how to provide one. Never a skip.
inline std::optional<RedisEndpoint> TestRedis() {
  const char* url = std::getenv("CHAT_TEST_REDIS_URL");
  if (url == nullptr || *url == '\0') {
    ADD_FAILURE() << "CHAT_TEST_REDIS_URL is not set, so the Redis tests cannot run. Start "
                     "the test services with `scripts/services.sh start DIR` and export the "
                     "variables of DIR/env (e.g. `set -a; . DIR/env; set +a`).";
    return std::nullopt;
  }
  auto endpoint = ParseRedisUrl(url);
  if (!endpoint) {
    ADD_FAILURE() << "CHAT_TEST_REDIS_URL: " << endpoint.error().message;
    return std::nullopt;
  }
  return *endpoint;
}

// An address where nothing listens: a port the kernel gave us and we closed again.
inline int ClosedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// A plain command on a connection of the test's own; fails the test on error.
inline std::string Command(const RedisEndpoint& endpoint, std::vector<std::string> args) {
  auto conn = Connect(endpoint, std::chrono::seconds(1), std::chrono::seconds(2));
  if (!conn) {
    ADD_FAILURE() << conn.error().message;
    return "";
  }
  ReplyPtr reply = RunCommand(conn->get(), args);
  if (!reply || reply->type == REDIS_REPLY_ERROR) {
    ADD_FAILURE() << args[0] << " failed";
    return "";
  }
  if (reply->type == REDIS_REPLY_STRING || reply->type == REDIS_REPLY_STATUS) {
    return std::string(reply->str, reply->len);
  }
  return std::to_string(reply->integer);
}

// Kills every connection whose CLIENT SETNAME is `name` (CLIENT KILL by name needs Redis 7.4);
// returns how many.
inline int KillClientsNamed(const RedisEndpoint& endpoint, const std::string& name) {
  std::istringstream list(Command(endpoint, {"CLIENT", "LIST"}));
  std::string line;
  int killed = 0;
  while (std::getline(list, line)) {
    if (line.find(" name=" + name + " ") == std::string::npos) continue;
    const std::string id = line.substr(3, line.find(' ') - 3);  // "id=NN addr=…"
    if (Command(endpoint, {"CLIENT", "KILL", "ID", id}) == "1") ++killed;
  }
  return killed;
}

}  // namespace chat::bus::redis
