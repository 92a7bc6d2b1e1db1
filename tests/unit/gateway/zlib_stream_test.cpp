#include "gateway/zlib_stream.hpp"

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <zlib.h>

namespace chat::gateway {
namespace {

// Inflates what a client received so far with one context, as discord.js and discord.py do.
class Inflater {
 public:
  Inflater() { inflateInit(&z_); }
  ~Inflater() { inflateEnd(&z_); }
  std::string Feed(const std::string& in) {
    std::string out;
    char buf[1024];
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z_.avail_in = static_cast<uInt>(in.size());
    do {
      z_.next_out = reinterpret_cast<Bytef*>(buf);
      z_.avail_out = sizeof(buf);
      EXPECT_NE(inflate(&z_, Z_SYNC_FLUSH), Z_STREAM_ERROR);
      out.append(buf, sizeof(buf) - z_.avail_out);
    } while (z_.avail_out == 0);
    return out;
  }

 private:
  z_stream z_{};
};

TEST(ZlibStream, EachMessageEndsWithTheSyncFlushSuffixAndInflatesWhole) {
  ZlibStream zs;
  Inflater client;
  std::string out;
  const std::string big(20'000, 'x');
  const std::vector<std::vector<std::string_view>> messages = {
      {R"({"op":10,"d":{"heartbeat_interval":41250}})"},
      {R"({"op":0,"t":"READY","s":1,"d":)", R"({"v":10})", "}"},
      {R"({"op":0,"t":"X","s":2,"d":")", big, "\"}"}};
  for (const auto& parts : messages) {
    ASSERT_TRUE(zs.Compress(parts, out));
    ASSERT_GE(out.size(), 4u);
    EXPECT_EQ(out.substr(out.size() - 4), std::string("\x00\x00\xff\xff", 4));
    std::string whole;
    for (auto p : parts) whole += p;
    EXPECT_EQ(client.Feed(out), whole);
  }
}

TEST(CompressMessage, EachMessageIsACompleteZlibStreamOnItsOwn) {
  const std::string big(20'000, 'y');
  const std::vector<std::vector<std::string_view>> messages = {
      {R"({"op":0,"t":"READY","s":1,"d":)", R"({"v":10})", "}"},
      {R"({"op":0,"t":"X","s":2,"d":")", big, "\"}"}};
  for (const auto& parts : messages) {
    std::string out;
    ASSERT_TRUE(CompressMessage(parts, out));
    std::string whole;
    for (auto p : parts) whole += p;
    // A fresh inflater per message, as a client of payload compression uses.
    std::string inflated(whole.size() + 16, '\0');
    uLongf size = inflated.size();
    ASSERT_EQ(uncompress(reinterpret_cast<Bytef*>(inflated.data()), &size,
                         reinterpret_cast<const Bytef*>(out.data()), out.size()),
              Z_OK);
    inflated.resize(size);
    EXPECT_EQ(inflated, whole);
    EXPECT_LT(out.size(), whole.size() / 10 + 64);
  }
}

}  // namespace
}  // namespace chat::gateway
