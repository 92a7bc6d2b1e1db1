// Unit tests of target parsing, the loopback rule and the source-address pool.
#include "loadgen/target.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace chat::loadgen
