// Unit tests of target parsing, the loopback rule, the source-address pool and /proc CPU times.
#include "loadgen/target.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace chat::loadgen {
namespace {

TEST(LoadgenTarget, ParsesHostPortAndKnowsLoopback) {
  Target t;
  ASSERT_FALSE(ResolveTarget("http://127.0.0.1:8080", t));
  EXPECT_EQ(t.port, 8080);
  EXPECT_TRUE(t.loopback);
  ASSERT_FALSE(ResolveTarget("ws://127.0.0.9:81/gateway", t));
  EXPECT_EQ(t.port, 81);
  EXPECT_TRUE(t.loopback) << "all of 127/8 is loopback";
  ASSERT_FALSE(ResolveTarget("http://192.0.2.1", t));
  EXPECT_EQ(t.port, 80);
  EXPECT_FALSE(t.loopback);
}

TEST(LoadgenTarget, RejectsTlsAndBadPorts) {
  Target t;
  EXPECT_TRUE(ResolveTarget("https://127.0.0.1", t));
  EXPECT_TRUE(ResolveTarget("http://127.0.0.1:0", t));
  EXPECT_TRUE(ResolveTarget("http://127.0.0.1:99999", t));
  EXPECT_TRUE(ResolveTarget("http://:80", t));
}

TEST(LoadgenSourcePool, HandsOutLoopbackAddressesRoundRobin) {
  SourcePool pool(3);
  EXPECT_EQ(pool.Next()->to_string(), "127.0.0.2");
  EXPECT_EQ(pool.Next()->to_string(), "127.0.0.3");
  EXPECT_EQ(pool.Next()->to_string(), "127.0.0.4");
  EXPECT_EQ(pool.Next()->to_string(), "127.0.0.2");
  SourcePool none;
  EXPECT_FALSE(none.Next());
}

TEST(LoadgenSourcePool, OneAddressPerFiftyThousandSockets) {
  EXPECT_EQ(SourceAddressesFor(100), 1);
  EXPECT_GE(SourceAddressesFor(100000), 2);
  EXPECT_GE(SourceAddressesFor(1000000), 20);
}

// A /proc/<pid>/stat line whose fields 14 and 15 (utime, stime) are `utime` and `stime`.
std::string StatLine(const std::string& comm, const std::string& utime, const std::string& stime) {
  return "4242 (" + comm + ") S 1 4242 4242 0 -1 4194560 1200 0 3 0 " + utime + " " + stime +
         " 0 0 20 0 3 0 12345 104857600 2500 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 "
         "1 0 0 0 0 0\n";
}

TEST(LoadgenCpuTime, SumsUserAndSystemTicksInMilliseconds) {
  EXPECT_EQ(ParseStatCpuMs(StatLine("chat-server", "250", "37"), 100), 2870);
  EXPECT_EQ(ParseStatCpuMs(StatLine("chat-server", "250", "37"), 1000), 287);
  EXPECT_EQ(ParseStatCpuMs(StatLine("chat-server", "0", "0"), 100), 0);
}

TEST(LoadgenCpuTime, CountsFieldsAfterTheLastParenthesisOfTheCommandName) {
  // A command name may hold ") ", spaces and digits that look like fields.
  EXPECT_EQ(ParseStatCpuMs(StatLine("a) 1 2 (b", "7", "3"), 100), 100);
  EXPECT_EQ(ParseStatCpuMs(StatLine("x) S 9 9 9 9 9 9 9 9 9 9 9 9 9)", "7", "3"), 100), 100);
  EXPECT_EQ(ParseStatCpuMs(StatLine("with space", "1", "1"), 100), 20);
}

TEST(LoadgenCpuTime, RejectsMalformedStatText) {
  EXPECT_FALSE(ParseStatCpuMs("", 100));
  EXPECT_FALSE(ParseStatCpuMs("4242 chat-server S 1 2 3 4 5 6 7 8 9 10 11 12", 100))
      << "no parenthesis";
  EXPECT_FALSE(ParseStatCpuMs("4242 (chat-server) S 1 4242 4242 0 -1 4194560 1200 0 3 0 250", 100))
      << "stime missing";
  EXPECT_FALSE(ParseStatCpuMs(StatLine("chat-server", "25x", "37"), 100));
  EXPECT_FALSE(ParseStatCpuMs(StatLine("chat-server", "-1", "37"), 100));
  EXPECT_FALSE(ParseStatCpuMs(StatLine("chat-server", "250", "37"), 0));
}

TEST(LoadgenCpuTime, ReadsThisProcessAndGrowsWithWork) {
  const int self = static_cast<int>(::getpid());
  const auto before = ReadCpuMs(self);
  ASSERT_TRUE(before);
  EXPECT_GE(*before, 0);
  const double self_before = SelfCpuMs();
  // Computes until /proc shows more CPU time (one clock tick), bounded in case it never does.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  volatile std::uint64_t sink = 0;
  auto now = ReadCpuMs(self);
  while (now && *now == *before && std::chrono::steady_clock::now() < give_up) {
    for (int i = 0; i < 100000; ++i) sink = sink + static_cast<std::uint64_t>(i);
    now = ReadCpuMs(self);
  }
  ASSERT_TRUE(now);
  EXPECT_GT(*now, *before);
  EXPECT_GT(SelfCpuMs(), self_before);
}

TEST(LoadgenCpuTime, AbsentProcessIsUnreadable) {
  EXPECT_FALSE(ReadCpuMs(1 << 30)) << "above any pid_max";
  const CpuSample sample = SampleCpu(1 << 30);
  EXPECT_FALSE(sample.server_ms);
  EXPECT_FALSE(SampleCpu(0).server_ms) << "no pid, no server figure";
}

}  // namespace
}  // namespace chat::loadgen
