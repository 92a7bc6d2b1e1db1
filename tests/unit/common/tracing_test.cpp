// W3C traceparent parsing and formatting (common/tracing), and the OTLP/JSON a batch of spans
// becomes (telemetry/otlp_exporter): the shape collectors such as Jaeger read.
#include "common/tracing.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "telemetry/otlp_exporter.hpp"

namespace chat::tracing {
namespace {

constexpr const char* kValid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(TraceParent, AWellFormedHeaderIsReadAndWrittenBackTheSame) {
  const auto p = ParseTraceParent(kValid);
  ASSERT_TRUE(p);
  EXPECT_EQ(Hex(p->trace_id.data(), p->trace_id.size()), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(Hex(p->span_id.data(), p->span_id.size()), "00f067aa0ba902b7");
  EXPECT_TRUE(p->sampled);
  EXPECT_EQ(FormatTraceParent(p->trace_id, p->span_id, p->sampled), kValid);
}

TEST(TraceParent, MalformedHeadersStartANewTrace) {
  for (const char* bad : {
           "",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",      // no flags
           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // invalid version
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",   // uppercase
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",   // zero trace id
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",   // zero span id
           "00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",   // separator
           "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",   // not hex
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x"  // too long
       }) {
    EXPECT_FALSE(ParseTraceParent(bad)) << bad;
  }
}

TEST(TraceParent, ALaterVersionIsReadAsFarAsVersion00Goes) {
  EXPECT_TRUE(ParseTraceParent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  EXPECT_TRUE(ParseTraceParent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-later"));
  EXPECT_FALSE(ParseTraceParent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x"));
}

TEST(TraceParent, NewIdsAreNonZeroAndDiffer) {
  const TraceId a = NewTraceId(), b = NewTraceId();
  EXPECT_NE(a, b);
  EXPECT_NE(a, TraceId{});
  EXPECT_NE(NewSpanId(), SpanId{});
}

TEST(Sampler, ParentBasedFollowsTheCallerAndRootsFollowTheirRule) {
  TraceId low{}, high{};
  high.fill(0xFF);
  const TraceParent sampled{high, {1}, true}, unsampled{low, {1}, false};
  const auto on = Sampler::Parse("parentbased_always_on", 1.0);
  ASSERT_TRUE(on);
  EXPECT_TRUE(on->ShouldSample(sampled, high));
  EXPECT_FALSE(on->ShouldSample(unsampled, low));
  EXPECT_TRUE(on->ShouldSample(std::nullopt, low));
  const auto off = Sampler::Parse("parentbased_always_off", 1.0);
  EXPECT_TRUE(off->ShouldSample(sampled, high));
  EXPECT_FALSE(off->ShouldSample(std::nullopt, low));
  EXPECT_TRUE(Sampler::Parse("always_on", 0)->ShouldSample(unsampled, low));
  EXPECT_FALSE(Sampler::Parse("always_off", 1)->ShouldSample(sampled, high));
  EXPECT_TRUE(Sampler().ShouldSample(std::nullopt, low));  // the default keeps every root
}

TEST(Sampler, TraceIdRatioKeepsIdsBelowTheRatioOfTheirLastEightBytes) {
  TraceId low{}, mid{}, high{};
  high.fill(0xFF);
  mid[8] = 0x80;  // exactly 1/2
  const auto half = Sampler::Parse("traceidratio", 0.5);
  ASSERT_TRUE(half);
  EXPECT_TRUE(half->ShouldSample(std::nullopt, low));
  EXPECT_FALSE(half->ShouldSample(std::nullopt, mid));
  EXPECT_FALSE(half->ShouldSample(TraceParent{high, {1}, true}, high));  // the flag is not asked
  EXPECT_FALSE(Sampler::Parse("traceidratio", 0)->ShouldSample(std::nullopt, low));
  EXPECT_TRUE(Sampler::Parse("traceidratio", 1)->ShouldSample(std::nullopt, high));
  const auto parent_half = Sampler::Parse("parentbased_traceidratio", 0.5);
  EXPECT_TRUE(parent_half->ShouldSample(TraceParent{high, {1}, true}, high));
  EXPECT_FALSE(parent_half->ShouldSample(std::nullopt, high));
}

TEST(Sampler, UnknownNamesAndRatiosOutsideZeroToOneAreRefused) {
  EXPECT_FALSE(Sampler::Parse("sometimes", 1));
  EXPECT_FALSE(Sampler::Parse("parentbased_", 1));
  EXPECT_FALSE(Sampler::Parse("traceidratio", 1.5));
  EXPECT_FALSE(Sampler::Parse("traceidratio", -0.1));
}

TEST(OtlpJson, SpansCarryHexIdsStringTimesAndTypedAttributes) {
  Span s;
  s.name = "GET /users/@me";
  s.trace_id = ParseTraceParent(kValid)->trace_id;
  s.span_id = ParseTraceParent(kValid)->span_id;
  s.kind = SpanKind::kServer;
  s.start_unix_ns = 1'700'000'000'000'000'001;
  s.end_unix_ns = 1'700'000'000'000'000'999;
  s.error = true;
  s.attributes = {{"http.route", std::string("/users/@me")},
                  {"http.response.status_code", std::int64_t{500}},
                  {"retried", false}};
  const auto root = boost::json::parse(telemetry::EncodeSpans({s}, "chat-test")).as_object();
  const auto& rs = root.at("resourceSpans").at(0);
  EXPECT_EQ(rs.at("resource").at("attributes").at(0),
            boost::json::parse(R"({"key":"service.name","value":{"stringValue":"chat-test"}})"));
  const auto& span = rs.at("scopeSpans").at(0).at("spans").at(0).as_object();
  EXPECT_EQ(span.at("traceId"), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(span.at("spanId"), "00f067aa0ba902b7");
  EXPECT_FALSE(span.contains("parentSpanId"));
  EXPECT_EQ(span.at("kind"), 2);
  EXPECT_EQ(span.at("startTimeUnixNano"), "1700000000000000001");
  EXPECT_EQ(span.at("endTimeUnixNano"), "1700000000000000999");
  EXPECT_EQ(span.at("status").at("code"), 2);
  const auto& attributes = span.at("attributes").as_array();
  ASSERT_EQ(attributes.size(), 3u);
  EXPECT_EQ(attributes[1].at("value").at("intValue"), "500");
  EXPECT_EQ(attributes[2].at("value").at("boolValue"), false);
}

}  // namespace
}  // namespace chat::tracing
