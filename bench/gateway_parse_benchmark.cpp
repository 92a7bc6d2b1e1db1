// The seed's `parse_gateway_message` benchmark on {"op":0,"d":{"content":"Hello"}}: parse the
// frame, read the opcode and the content, as the gateway does for each client payload.
#include <benchmark/benchmark.h>

#include <boost/json.hpp>

#include <string_view>

namespace {

constexpr std::string_view kFrame = R"({"op":0,"d":{"content":"Hello"}})";

struct GatewayMessage {
  int op = -1;
  std::string_view content;
};

void BM_ParseGatewayMessage(benchmark::State& state) {
  // A stack buffer for the parse tree: what a session would reuse between frames.
  unsigned char buffer[1024];
  boost::json::parse_options options;
  options.max_depth = 16;
  for (auto _ : state) {
    boost::json::monotonic_resource mr(buffer, sizeof buffer);
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(kFrame, ec, &mr, options);
    GatewayMessage msg;
    if (!ec && v.is_object()) {
      const auto& o = v.get_object();
      if (auto* op = o.if_contains("op"); op && op->is_int64())
        msg.op = static_cast<int>(op->get_int64());
      if (auto* d = o.if_contains("d"); d && d->is_object()) {
        if (auto* c = d->get_object().if_contains("content"); c && c->is_string()) {
          msg.content = c->get_string();
        }
      }
    }
    benchmark::DoNotOptimize(msg);
  }
}
BENCHMARK(BM_ParseGatewayMessage)->Name("parse_gateway_message");

}  // namespace
