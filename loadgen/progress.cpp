#include "loadgen/progress.hpp"

#include <unistd.h>

#include <boost/asio.hpp>
#include <cstdio>

#include "loadgen/clock.hpp"

namespace chat::loadgen {

namespace net = boost::asio;

struct Progress::Impl {
  Impl(net::io_context& io, bool on) : timer(io), enabled(on), tty(::isatty(2) == 1) {}

  void Print() {
    if (!line) return;
    const double elapsed = static_cast<double>(NowUs() - phase_start_us) / 1e6;
    const std::string text = line();
    if (tty) {
      std::fprintf(stderr, "\r\033[K[%s %5.1fs] %s", phase.c_str(), elapsed, text.c_str());
    } else {
      std::fprintf(stderr, "[%s %5.1fs] %s\n", phase.c_str(), elapsed, text.c_str());
    }
    std::fflush(stderr);
    printed = true;
  }

  void Arm(std::shared_ptr<Impl> self) {
    timer.expires_after(std::chrono::seconds(1));
    timer.async_wait([self](boost::system::error_code ec) {
      if (ec || self->stopped) return;
      self->Print();
      self->Arm(self);
    });
  }

  void EndLine() {
    if (tty && printed) std::fputs("\n", stderr);
    printed = false;
  }

  net::steady_timer timer;
  bool enabled;
  bool tty;
  bool stopped = true;
  bool printed = false;
  std::string phase;
  std::int64_t phase_start_us = 0;
  std::function<std::string()> line;
};

Progress::Progress(net::io_context& io, bool enabled)
    : impl_(std::make_shared<Impl>(io, enabled)) {}

Progress::~Progress() { Stop(); }

void Progress::Show(std::string phase, std::function<std::string()> line) {
  if (!impl_->enabled) return;
  impl_->EndLine();
  impl_->phase = std::move(phase);
  impl_->line = std::move(line);
  impl_->phase_start_us = NowUs();
  if (impl_->stopped) {
    impl_->stopped = false;
    impl_->Arm(impl_);
  }
}

void Progress::Stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->timer.cancel();
  impl_->EndLine();
  impl_->line = nullptr;
}

}  // namespace chat::loadgen
