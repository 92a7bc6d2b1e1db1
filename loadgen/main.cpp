// chat-loadgen: load scenarios against a Discord-compatible server (see docs/LOADGEN.md).
// Exit code: 0 PASS, 1 FAIL, 2 usage or environment error, 3 watchdog.
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <exception>
#include <iostream>
#include <optional>

#include "loadgen/events.hpp"
#include "loadgen/options.hpp"
#include "loadgen/scenarios.hpp"

namespace net = boost::asio;
using namespace chat::loadgen;

namespace {

net::awaitable<Report> Run(Context& ctx) {
  switch (ctx.opts.scenario) {
    case Scenario::kSessions:
      co_return co_await RunSessions(ctx);
    case Scenario::kFanout:
      co_return co_await RunFanout(ctx);
    case Scenario::kRest:
      co_return co_await RunRest(ctx);
    case Scenario::kSeed:
      co_return co_await RunSeed(ctx);
    case Scenario::kNone:
      break;
  }
  co_return Report("none");
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = ParseOptions(args);
  if (parsed.options.help || args.empty()) {
    std::fputs(HelpText(parsed.options.scenario).c_str(), stdout);
    return args.empty() ? 2 : 0;
  }
  if (parsed.error) {
    std::fprintf(stderr, "chat-loadgen: %s\n(see chat-loadgen %s --help)\n", parsed.error->c_str(),
                 ScenarioName(parsed.options.scenario));
    return 2;
  }
  const Options& o = parsed.options;

  Target target;
  if (auto e = ResolveTarget(o.target, target)) {
    std::fprintf(stderr, "chat-loadgen: %s\n", e->c_str());
    return 2;
  }
  if (!target.loopback && !o.allow_remote) {
    std::fprintf(stderr,
                 "chat-loadgen: %s is not a loopback address; load against another machine needs "
                 "--allow-remote\n",
                 target.endpoint.address().to_string().c_str());
    return 2;
  }
  const int planned = PlannedConnections(o);
  const std::uint64_t fds = RaiseFdLimit();
  if (static_cast<std::uint64_t>(planned) + 64 > fds) {
    std::fprintf(stderr,
                 "chat-loadgen: the run needs about %d file descriptors but the limit is %llu; "
                 "raise the hard limit (ulimit -Hn, /etc/security/limits.conf)\n",
                 planned + 64, static_cast<unsigned long long>(fds));
    return 2;
  }
  const bool v4_loopback = target.loopback && target.endpoint.address().is_v4();
  const int sources =
      v4_loopback ? (o.source_addrs ? o.source_addrs : SourceAddressesFor(planned)) : 0;

  net::io_context io(1);
  Progress progress(io, !o.quiet);
  Context ctx{o, io, target, SourcePool(sources), progress};
  std::optional<Report> report;
  std::string failure;
  net::co_spawn(io, Run(ctx), [&](std::exception_ptr e, Report r) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        failure = ex.what();
      }
    } else {
      report = std::move(r);
    }
    io.stop();
  });
  // Every run is bounded: the measured phase plus generous room for setup and teardown.
  const double limit_s = PlannedSeconds(o) + 300 + planned / 50.0 + 3.0 * o.timeout_s;
  net::steady_timer watchdog(io, After(limit_s));
  watchdog.async_wait([&](boost::system::error_code ec) {
    if (ec) return;
    std::fprintf(stderr, "\nchat-loadgen: watchdog: the run exceeded %.0f s; aborting\n", limit_s);
    std::fflush(stderr);
    ::_exit(3);
  });
  io.run();
  progress.Stop();
  if (!report) {
    std::fprintf(stderr, "chat-loadgen: internal error: %s\n", failure.c_str());
    return 2;
  }
  report->Config("source_addrs", sources);
  if (o.json) {
    std::cout << boost::json::serialize(report->Json()) << std::endl;
  } else {
    std::cout << report->Table() << std::flush;
  }
  return report->Passed() ? 0 : 1;
}
