// service/attachment_service.hpp — files uploaded with messages: where their bytes live
// (<root>/<attachment id>/<sanitized filename>, root = DATA_DIR/attachments), what type they are
// (magic bytes first), their unguessable URL (<public base>/attachments/<channel>/<id>/<name>
// ?key=<16 random bytes, base64url>) and reading them back for the CDN-like download route.
// Synchronous and blocking (disk I/O): call it on the db/blocking pool only. Thread-safe: it
// holds no mutable state beyond the store's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domain/message.hpp"
#include "domain/snowflake.hpp"
#include "store/attachment_store.hpp"

namespace chat::service {

// A file as it arrived in a form. `data` views the request body and must outlive the call.
struct NewAttachment {
  std::string filename;  // as sent; sanitized when saved
  std::optional<std::string> description;
  std::string declared_type;  // the part's Content-Type; may be empty or nonsense
  std::string_view data;
};

struct AttachmentOptions {
  std::string root_dir;     // DATA_DIR/attachments
  std::string public_base;  // "http://host:port" or PUBLIC_URL, without a trailing '/'
  std::size_t max_file_bytes = 25u << 20;
};

class AttachmentService {
 public:
  AttachmentService(store::AttachmentStore& store, domain::SnowflakeGenerator& ids,
                    AttachmentOptions options);

  // 413 (code 40005) when a file is larger than max_file_bytes; checks only, writes nothing.
  [[nodiscard]] Result<void> CheckSizes(std::span<const NewAttachment> files) const;
  // The rows for `files` (fresh ids and keys, sanitized names, detected types, url filled),
  // ready for store.CreateAttachments; writes nothing. 413 as CheckSizes.
  [[nodiscard]] Result<std::vector<domain::Attachment>> Describe(
      domain::Snowflake channel_id, domain::Snowflake message_id,
      std::span<const NewAttachment> files);
  // Writes files[i] as rows[i]. All or nothing: on a failure the files written are removed.
  // Rows are committed first and files written after, so SweepOrphans (on any node sharing the
  // directory) never finds a file whose row is still to come.
  [[nodiscard]] Result<void> WriteFiles(std::span<const domain::Attachment> rows,
                                        std::span<const NewAttachment> files);
  // Describe then WriteFiles.
  [[nodiscard]] Result<std::vector<domain::Attachment>> Save(domain::Snowflake channel_id,
                                                             domain::Snowflake message_id,
                                                             std::span<const NewAttachment> files);
  // Removes the files of attachments whose rows are gone. A failure is logged, never returned:
  // the rows are what clients see.
  void RemoveFiles(std::span<const domain::Attachment> attachments);

  // Removes the directories under root whose attachment row is gone: messages removed by channel
  // or guild deletion or a ban's message purge leave the database by cascade, without this
  // service. Returns how many went. Called at start-up, before serving.
  std::size_t SweepOrphans();

  // The attachments of the given messages (one store query), url filled.
  [[nodiscard]] Result<std::vector<domain::Attachment>> ForMessages(
      std::span<const domain::Snowflake> message_ids);
  void FillUrl(domain::Attachment& attachment) const;

  // The attachment a download URL names; 404 when the id is unknown or channel, filename or key
  // do not match (the key is compared in constant time).
  [[nodiscard]] Result<domain::Attachment> Find(domain::Snowflake channel_id,
                                                domain::Snowflake attachment_id,
                                                std::string_view filename, std::string_view key);
  // `length` bytes from `offset` of the stored file (the caller keeps them inside size).
  [[nodiscard]] Result<std::string> Read(const domain::Attachment& attachment, std::uint64_t offset,
                                         std::uint64_t length);

  std::size_t max_file_bytes() const { return options_.max_file_bytes; }

 private:
  std::string DirOf(domain::Snowflake attachment_id) const;

  store::AttachmentStore& store_;
  domain::SnowflakeGenerator& ids_;
  const AttachmentOptions options_;
};

// A name safe as one path segment and in a URL: the part after the last '/' or '\', control
// characters dropped, anything outside [A-Za-z0-9._-] turned into '_' (one per code point),
// leading dots removed, at most 128 bytes keeping a short extension; "unknown" when empty.
std::string SanitizeFilename(std::string_view name);

// What to serve the bytes as: the magic bytes' type for PNG, JPEG, GIF, WebP, PDF, ZIP and MP4;
// text for valid UTF-8 without binary control characters (the declared type when it is a text
// type, else text/plain; charset=utf-8); else the declared type when well formed; else
// application/octet-stream.
std::string DetectContentType(std::string_view data, std::string_view declared);

struct ImageSize {
  int width = 0;
  int height = 0;
};
// Width and height from a PNG, GIF or JPEG header; nullopt for other types or a broken header.
std::optional<ImageSize> ReadImageSize(std::string_view data, std::string_view content_type);

// Whether browsers may show the type in place (images, video, plain text); everything else is
// served as a download, so an uploaded HTML or SVG file never runs on the server's origin.
bool IsInlineType(std::string_view content_type);

}  // namespace chat::service
