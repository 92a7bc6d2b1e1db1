// loadgen/target.hpp — where the load goes and where it comes from: the parsed and resolved server
// address (loopback unless allowed otherwise), the pool of loopback source addresses that lets one
// box open more than 64k client sockets, and the process limits (fd limit, server RSS).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <optional>
#include <string>
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

}  // namespace chat::loadgen
