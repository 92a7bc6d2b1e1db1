// loadgen/scenarios.hpp — what every scenario gets (the Context: options, io_context, target,
// source addresses, progress line) and the four scenario entry points. Each returns its Report;
// a setup problem (login failed, channel missing) is a Report without PASS checks plus a note.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

#include "loadgen/options.hpp"
#include "loadgen/progress.hpp"
#include "loadgen/report.hpp"
#include "loadgen/target.hpp"

namespace chat::loadgen {

struct Context {
  Options opts;
  boost::asio::io_context& io;
  Target target;
  SourcePool sources;
  Progress& progress;

  std::string Authorization(const std::string& token) const {
    return opts.token_type + " " + token;
  }
  std::string Api(const std::string& path) const { return opts.api_base + path; }
};

boost::asio::awaitable<Report> RunSessions(Context& ctx);
boost::asio::awaitable<Report> RunFanout(Context& ctx);
boost::asio::awaitable<Report> RunRest(Context& ctx);
boost::asio::awaitable<Report> RunSeed(Context& ctx);

}  // namespace chat::loadgen
