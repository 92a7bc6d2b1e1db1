#include "gateway/zlib_stream.hpp"

namespace chat::gateway {

ZlibStream::ZlibStream() {
  // windowBits 10 / memLevel 4: deflate needs (1 << 12) + (1 << 13) bytes instead of ~256 KiB;
  // any inflater with the default 32 KiB window reads it.
  ok_ = deflateInit2(&z_, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 10, 4, Z_DEFAULT_STRATEGY) == Z_OK;
}

ZlibStream::~ZlibStream() {
  if (ok_) deflateEnd(&z_);
}

bool ZlibStream::Compress(std::span<const std::string_view> parts, std::string& out) {
  out.clear();
  if (!ok_) return false;
  char chunk[4096];
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const bool last = i + 1 == parts.size();
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(parts[i].data()));
    z_.avail_in = static_cast<uInt>(parts[i].size());
    do {
      z_.next_out = reinterpret_cast<Bytef*>(chunk);
      z_.avail_out = sizeof(chunk);
      const int rc = deflate(&z_, last ? Z_SYNC_FLUSH : Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_BUF_ERROR) {
        ok_ = false;
        deflateEnd(&z_);
        return false;
      }
      out.append(chunk, sizeof(chunk) - z_.avail_out);
    } while (z_.avail_in > 0 || (last && z_.avail_out == 0));
  }
  return true;
}

bool CompressMessage(std::span<const std::string_view> parts, std::string& out) {
  out.clear();
  if (parts.empty()) return false;
  z_stream z{};
  // The same small window as the stream: a message is a few KiB and the state lives only here.
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 10, 4, Z_DEFAULT_STRATEGY) != Z_OK) {
    return false;
  }
  char chunk[4096];
  bool ok = true;
  for (std::size_t i = 0; ok && i < parts.size(); ++i) {
    const bool last = i + 1 == parts.size();
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(parts[i].data()));
    z.avail_in = static_cast<uInt>(parts[i].size());
    int rc = Z_OK;
    do {
      z.next_out = reinterpret_cast<Bytef*>(chunk);
      z.avail_out = sizeof(chunk);
      rc = deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
      if (rc == Z_STREAM_ERROR) {
        ok = false;
        break;
      }
      out.append(chunk, sizeof(chunk) - z.avail_out);
    } while (last ? rc != Z_STREAM_END : z.avail_in > 0);
  }
  deflateEnd(&z);
  return ok;
}

}  // namespace chat::gateway
