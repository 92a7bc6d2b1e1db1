// gateway/zlib_stream.hpp — Discord's `compress=zlib-stream` transport compression: one zlib
// context for the whole connection, each gateway message flushed with Z_SYNC_FLUSH so that it
// ends with 00 00 FF FF and the client can inflate it at once. A small window (2^10) and memLevel
// keep the context near 12 KiB; only connections that ask for it pay for it.
// Not thread-safe: used by the connection's single writer.
// CompressMessage is the per-message variant for IDENTIFY's `compress`; it keeps no state.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include <zlib.h>

namespace chat::gateway {

// IDENTIFY's `compress: true` (payload compression): each message is its own complete zlib
// stream, which the client inflates on its own. Replaces `out`; false if zlib failed.
bool CompressMessage(std::span<const std::string_view> parts, std::string& out);

class ZlibStream {
 public:
  ZlibStream();
  ~ZlibStream();
  ZlibStream(const ZlibStream&) = delete;
  ZlibStream& operator=(const ZlibStream&) = delete;

  // Compresses the concatenation of `parts` as one message into `out` (replacing its contents).
  // False if zlib failed (the connection should close).
  bool Compress(std::span<const std::string_view> parts, std::string& out);

 private:
  z_stream z_{};
  bool ok_ = false;
};

}  // namespace chat::gateway
