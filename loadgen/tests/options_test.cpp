// Unit tests of chat-loadgen's command line: scenarios, values, scopes and the hard caps.
#include "loadgen/options.hpp"

#include <gtest/gtest.h>

namespace chat::loadgen {
namespace {

ParseOutcome Parse(std::vector<std::string> args) { return ParseOptions(args); }

TEST(LoadgenOptions, ParsesAScenarioAndItsValues) {
  auto r = Parse({"fanout", "--members", "200", "--senders=1", "--rate", "50", "--json"});
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.options.scenario, Scenario::kFanout);
  EXPECT_EQ(r.options.members, 200);
  EXPECT_EQ(r.options.senders, 1);
  EXPECT_DOUBLE_EQ(r.options.rate, 50);
  EXPECT_TRUE(r.options.json);
}

TEST(LoadgenOptions, HelpNeedsNoValidation) {
  auto r = Parse({"seed", "--help"});
  EXPECT_TRUE(r.options.help);
  EXPECT_EQ(r.options.scenario, Scenario::kSeed);
  EXPECT_NE(HelpText(Scenario::kSeed).find("--time-scale"), std::string::npos);
  EXPECT_EQ(HelpText(Scenario::kSeed).find("--members"), std::string::npos)
      << "a scenario's help lists only its options";
}

TEST(LoadgenOptions, RejectsUnknownScenarioOptionAndBadNumbers) {
  EXPECT_TRUE(Parse({"storm"}).error);
  EXPECT_TRUE(Parse({"rest", "--bogus"}).error);
  EXPECT_TRUE(Parse({"rest", "--concurrency", "0"}).error);
  EXPECT_TRUE(Parse({"rest", "--concurrency", "12x"}).error);
  EXPECT_TRUE(Parse({"rest", "--duration"}).error);
  EXPECT_TRUE(Parse({"rest", "--json=yes"}).error);
  EXPECT_TRUE(Parse({"--json"}).error) << "a scenario is required";
}

TEST(LoadgenOptions, RejectsOptionsOfAnotherScenario) {
  auto r = Parse({"rest", "--members", "5"});
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->find("does not apply"), std::string::npos);
}

TEST(LoadgenOptions, CapsBoundConnectionsAndTimeUntilRaised) {
  auto big = Parse({"sessions", "--sessions", "100000"});
  ASSERT_TRUE(big.error);
  EXPECT_NE(big.error->find("--max-connections"), std::string::npos);
  EXPECT_FALSE(Parse({"sessions", "--sessions", "100000", "--max-connections", "200000"}).error);
  auto long_run = Parse({"rest", "--duration", "3600"});
  ASSERT_TRUE(long_run.error);
  EXPECT_NE(long_run.error->find("--max-duration"), std::string::npos);
  EXPECT_TRUE(Parse({"seed"}).error == std::nullopt) << "the full seed profile (8 min) fits";
  EXPECT_TRUE(Parse({"seed", "--time-scale", "2"}).error) << "16 minutes exceed 900 s";
}

TEST(LoadgenOptions, TokensFileSwitchesTheLoginMode) {
  auto r = Parse({"sessions", "--tokens-file", "/tmp/t"});
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.options.login, LoginMode::kTokensFile);
  EXPECT_TRUE(Parse({"sessions", "--tokens-file", "/tmp/t", "--create-users"}).error);
}

TEST(LoadgenOptions, ServerPidAppliesToSessionsFanoutAndRestOnly) {
  for (const char* scenario : {"sessions", "fanout", "rest"}) {
    auto r = Parse({scenario, "--server-pid", "4242"});
    ASSERT_FALSE(r.error) << scenario << ": " << *r.error;
    EXPECT_EQ(r.options.server_pid, 4242);
    EXPECT_NE(HelpText(r.options.scenario).find("--server-pid"), std::string::npos) << scenario;
  }
  auto seed = Parse({"seed", "--server-pid", "4242"});
  ASSERT_TRUE(seed.error);
  EXPECT_NE(seed.error->find("does not apply"), std::string::npos);
  EXPECT_TRUE(Parse({"rest", "--server-pid", "0"}).error);
}

TEST(LoadgenOptions, ThreadsDefaultsToOneAndAppliesToFanoutWithinOneToSixteen) {
  auto plain = Parse({"fanout"});
  ASSERT_FALSE(plain.error) << *plain.error;
  EXPECT_EQ(plain.options.threads, 1) << "one thread unless asked: the behaviour before --threads";
  for (const char* n : {"1", "2", "16"}) {
    auto r = Parse({"fanout", "--threads", n});
    ASSERT_FALSE(r.error) << n << ": " << *r.error;
    EXPECT_EQ(r.options.threads, std::stoi(n));
  }
  EXPECT_TRUE(Parse({"fanout", "--threads", "0"}).error);
  EXPECT_TRUE(Parse({"fanout", "--threads", "17"}).error);
  EXPECT_TRUE(Parse({"fanout", "--threads", "two"}).error);
  EXPECT_NE(HelpText(Scenario::kFanout).find("--threads"), std::string::npos);
  for (const char* scenario : {"sessions", "rest", "seed"}) {
    auto r = Parse({scenario, "--threads", "2"});
    ASSERT_TRUE(r.error) << scenario;
    EXPECT_NE(r.error->find("does not apply"), std::string::npos) << scenario;
    EXPECT_EQ(HelpText(r.options.scenario).find("--threads"), std::string::npos) << scenario;
  }
}

TEST(LoadgenOptions, MoreSendersThanMembersIsAnError) {
  EXPECT_TRUE(Parse({"fanout", "--members", "2", "--senders", "3"}).error);
}

}  // namespace
}  // namespace chat::loadgen
