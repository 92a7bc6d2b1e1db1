#include "loadgen/target.hpp"

#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <charconv>
#include <fstream>
#include <iterator>
#include <sstream>

namespace chat::loadgen {

namespace ip = boost::asio::ip;

std::optional<std::string> ResolveTarget(const std::string& url, Target& out) {
  std::string rest = url;
  for (const char* scheme : {"http://", "ws://"}) {
    if (rest.rfind(scheme, 0) == 0) rest = rest.substr(std::char_traits<char>::length(scheme));
  }
  if (url.rfind("https://", 0) == 0 || url.rfind("wss://", 0) == 0) {
    return "TLS targets are not supported: use http:// (put the load generator next to the server)";
  }
  rest = rest.substr(0, rest.find('/'));
  std::string host = rest;
  std::uint16_t port = 80;
  if (!rest.empty() && rest.front() == '[') {
    auto close = rest.find(']');
    if (close == std::string::npos) return "bad target " + url;
    host = rest.substr(1, close - 1);
    if (close + 1 < rest.size() && rest[close + 1] == ':')
      rest = rest.substr(close + 2);
    else
      rest.clear();
  } else if (auto colon = rest.rfind(':'); colon != std::string::npos) {
    host = rest.substr(0, colon);
    rest = rest.substr(colon + 1);
  } else {
    rest.clear();
  }
  if (!rest.empty()) {
    auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), port);
    if (ec != std::errc() || p != rest.data() + rest.size() || port == 0) {
      return "bad port in target " + url;
    }
  }
  if (host.empty()) return "bad target " + url;
  boost::asio::io_context io;
  ip::tcp::resolver resolver(io);
  boost::system::error_code ec;
  auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec || results.empty()) return "cannot resolve " + host + ": " + ec.message();
  // Prefer IPv4: the source-address spreading is IPv4 loopback.
  out.endpoint = results.begin()->endpoint();
  for (const auto& r : results) {
    if (r.endpoint().address().is_v4()) {
      out.endpoint = r.endpoint();
      break;
    }
  }
  out.host = host;
  out.port = port;
  out.loopback = out.endpoint.address().is_loopback();
  return std::nullopt;
}

SourcePool::SourcePool(int count) {
  for (int i = 0; i < count; ++i) {
    addrs_.push_back(ip::address_v4((127u << 24) + 2u + static_cast<unsigned>(i)));
  }
}

std::optional<ip::address_v4> SourcePool::Next() {
  if (addrs_.empty()) return std::nullopt;
  const auto& a = addrs_[next_];
  next_ = (next_ + 1) % addrs_.size();
  return a;
}

int SourceAddressesFor(int connections) {
  int per_address = 50000;
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  int lo = 0, hi = 0;
  if (range >> lo >> hi && hi > lo) per_address = std::min(per_address, (hi - lo) * 9 / 10);
  per_address = std::max(per_address, 1000);
  return std::max(1, (connections + per_address - 1) / per_address);
}

void BindSource(ip::tcp::socket& socket, const ip::address_v4& source,
                boost::system::error_code& ec) {
#ifdef IP_BIND_ADDRESS_NO_PORT
  const int one = 1;
  ::setsockopt(socket.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
#endif
  socket.bind(ip::tcp::endpoint(source, 0), ec);
}

std::uint64_t RaiseFdLimit() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return 0;
  if (lim.rlim_cur < lim.rlim_max) {
    rlimit raised = lim;
    raised.rlim_cur = lim.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) lim = raised;
  }
  return lim.rlim_cur;
}

std::optional<std::int64_t> ReadRssKiB(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      std::istringstream in(line.substr(6));
      std::int64_t kib = 0;
      if (in >> kib) return kib;
    }
  }
  return std::nullopt;
}

std::optional<std::int64_t> ParseStatCpuMs(std::string_view stat, long ticks_per_second) {
  const auto close = stat.rfind(')');
  if (close == std::string_view::npos || ticks_per_second <= 0) return std::nullopt;
  std::string_view rest = stat.substr(close + 1);
  // After ')' come fields 3 (state), 4, ...: utime and stime are the 12th and 13th of them.
  constexpr int kUtimeIndex = 14 - 3;
  std::int64_t ticks = 0;
  int index = 0;
  while (index <= kUtimeIndex + 1) {
    const auto start = rest.find_first_not_of(' ');
    if (start == std::string_view::npos) return std::nullopt;
    rest.remove_prefix(start);
    const std::string_view field = rest.substr(0, rest.find_first_of(" \n"));
    rest.remove_prefix(field.size());
    if (index >= kUtimeIndex) {
      std::int64_t value = 0;
      auto [p, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
      if (ec != std::errc() || p != field.data() + field.size() || value < 0) return std::nullopt;
      ticks += value;
    }
    ++index;
  }
  return ticks * 1000 / ticks_per_second;
}

std::optional<std::int64_t> ReadCpuMs(int pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  if (!file) return std::nullopt;
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  return ParseStatCpuMs(text, ::sysconf(_SC_CLK_TCK));
}

double SelfCpuMs() {
  rusage usage{};
  if (::getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  const auto us = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_usec);
  };
  return (us(usage.ru_utime) + us(usage.ru_stime)) / 1000.0;
}

CpuSample SampleCpu(int server_pid) {
  CpuSample sample;
  if (server_pid > 0) sample.server_ms = ReadCpuMs(server_pid);
  sample.self_ms = SelfCpuMs();
  return sample;
}

}  // namespace chat::loadgen
