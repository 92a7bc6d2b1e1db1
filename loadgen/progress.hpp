// loadgen/progress.hpp — the live progress line on stderr, once per second: elapsed time plus what
// the running phase reports. Overwrites itself on a terminal, one line per second otherwise.
#pragma once

#include <functional>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}

namespace chat::loadgen {

class Progress {
 public:
  Progress(boost::asio::io_context& io, bool enabled);
  ~Progress();
  // Replaces the phase being shown (and restarts its clock).
  void Show(std::string phase, std::function<std::string()> line);
  void Stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace chat::loadgen
