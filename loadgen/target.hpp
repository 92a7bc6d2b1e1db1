// loadgen/target.hpp — where the load goes and where it comes from: the parsed and resolved server
// address (loopback unless allowed otherwise), the pool of loopback source addresses that lets one
// box open more than 64k client sockets, and the process figures (fd limit, RSS, CPU time).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chat::loadgen {

struct Target {
  std::string host;  // as given, sent in Host headers
  std::uint16_t port = 80;
  boost::asio::ip::tcp::endpoint endpoint;  // resolved once
  bool loopback = false;
};

// Parses http://host[:port][/...] (ws:// accepted too) and resolves it; error text on failure.
std::optional<std::string> ResolveTarget(const std::string& url, Target& out);

// Hands out 127.0.0.2, 127.0.0.3, ... round-robin. Empty (no binding) for remote targets.
class SourcePool {
 public:
  SourcePool() = default;
  explicit SourcePool(int count);
  std::optional<boost::asio::ip::address_v4> Next();
  int size() const { return static_cast<int>(addrs_.size()); }

 private:
  std::vector<boost::asio::ip::address_v4> addrs_;
  std::size_t next_ = 0;
};

// Source addresses needed for `connections` sockets: ~50,000 ephemeral ports each, bounded by the
// kernel's ip_local_port_range.
int SourceAddressesFor(int connections);

// Binds `socket` (already open) to `source` with IP_BIND_ADDRESS_NO_PORT, so the kernel picks the
// port at connect time per 4-tuple instead of reserving one per bind.
void BindSource(boost::asio::ip::tcp::socket& socket, const boost::asio::ip::address_v4& source,
                boost::system::error_code& ec);

// Raises RLIMIT_NOFILE's soft limit to the hard one; returns the resulting soft limit.
std::uint64_t RaiseFdLimit();

// VmRSS of a process in KiB from /proc/<pid>/status; nullopt if unreadable.
std::optional<std::int64_t> ReadRssKiB(int pid);

// utime + stime (fields 14 and 15, all threads) of a /proc/<pid>/stat text, converted from clock
// ticks to ms; nullopt if malformed. Fields are counted after the LAST ')': the command name
// (field 2) may itself hold spaces and parentheses.
std::optional<std::int64_t> ParseStatCpuMs(std::string_view stat, long ticks_per_second);

// CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat; nullopt if
// unreadable. Its resolution is one clock tick (sysconf(_SC_CLK_TCK), usually 10 ms).
std::optional<std::int64_t> ReadCpuMs(int pid);

// CPU time (user + system) this process has used so far, in ms (getrusage: µs resolution).
double SelfCpuMs();

// CPU spent over a measured phase: take one sample at its start and one at its end.
struct CpuSample {
  std::optional<std::int64_t> server_ms;  // empty without a pid or if /proc was unreadable
  double self_ms = 0;
};
CpuSample SampleCpu(int server_pid);  // server_pid 0: no server figure

}  // namespace chat::loadgen
