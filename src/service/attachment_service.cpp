#include "service/attachment_service.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "common/log.hpp"
#include "domain/validation.hpp"
#include "service/auth/secure_token.hpp"

namespace chat::service {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kTarget = "attachments";
constexpr std::size_t kMaxFilename = 128;
constexpr std::size_t kMaxExtension = 16;
constexpr std::size_t kMaxContentType = 127;
constexpr std::size_t kKeyBytes = 16;  // 128 bits

bool StartsWith(std::string_view data, std::string_view prefix) {
  return data.substr(0, prefix.size()) == prefix;
}

unsigned Byte(std::string_view d, std::size_t i) { return static_cast<unsigned char>(d[i]); }

std::uint32_t Be16(std::string_view d, std::size_t i) { return (Byte(d, i) << 8) | Byte(d, i + 1); }

std::uint32_t Be32(std::string_view d, std::size_t i) {
  return (Be16(d, i) << 16) | Be16(d, i + 2);
}

std::uint32_t Le16(std::string_view d, std::size_t i) { return Byte(d, i) | (Byte(d, i + 1) << 8); }

bool IsTokenChar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// "type/subtype" of token characters, optionally followed by parameters of printable ASCII.
std::optional<std::string> WellFormedType(std::string_view declared) {
  if (declared.empty() || declared.size() > kMaxContentType) return std::nullopt;
  std::size_t semi = declared.find(';');
  std::string_view essence = declared.substr(0, semi);
  std::size_t slash = essence.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == essence.size()) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < essence.size(); ++i) {
    if (i != slash && !IsTokenChar(essence[i])) return std::nullopt;
  }
  for (char c : declared) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      return std::nullopt;
    }
  }
  std::string out(declared);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Valid UTF-8 with no control bytes other than tab, newlines, form feed and escape.
bool LooksLikeText(std::string_view data) {
  for (char c : data) {
    auto b = static_cast<unsigned char>(c);
    if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x1b) || b == 0x7f) {
      return false;
    }
  }
  return domain::IsValidUtf8(data);
}

std::optional<std::string_view> MagicType(std::string_view d) {
  if (StartsWith(d, "\x89PNG\r\n\x1a\n")) return "image/png";
  if (StartsWith(d, "\xff\xd8\xff")) return "image/jpeg";
  if (StartsWith(d, "GIF87a") || StartsWith(d, "GIF89a")) return "image/gif";
  if (d.size() >= 12 && StartsWith(d, "RIFF") && d.substr(8, 4) == "WEBP") return "image/webp";
  if (StartsWith(d, "%PDF-")) return "application/pdf";
  if (StartsWith(d, std::string_view("PK\x03\x04", 4)) ||
      StartsWith(d, std::string_view("PK\x05\x06", 4))) {
    return "application/zip";
  }
  if (d.size() >= 12 && d.substr(4, 4) == "ftyp") return "video/mp4";
  return std::nullopt;
}

std::optional<ImageSize> JpegSize(std::string_view d) {
  std::size_t i = 2;
  // Segments until a start-of-frame marker: SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC).
  while (i + 4 <= d.size()) {
    if (Byte(d, i) != 0xff) return std::nullopt;
    unsigned marker = Byte(d, i + 1);
    if (marker == 0xff) {  // fill byte
      ++i;
      continue;
    }
    if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    if (marker == 0xd9 || marker == 0xda) return std::nullopt;  // end of image / scan data
    std::uint32_t length = Be16(d, i + 2);
    if (length < 2) return std::nullopt;
    if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc) {
      if (i + 9 > d.size()) return std::nullopt;
      ImageSize size{static_cast<int>(Be16(d, i + 7)), static_cast<int>(Be16(d, i + 5))};
      if (size.width == 0 || size.height == 0) return std::nullopt;
      return size;
    }
    i += 2 + length;
  }
  return std::nullopt;
}

bool IsSafeNameChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
         c == '_' || c == '-';
}

}  // namespace

// -- pure helpers -----------------------------------------------------------------------------

std::string SanitizeFilename(std::string_view name) {
  if (auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
    name = name.substr(slash + 1);
  }
  std::string out;
  out.reserve(std::min(name.size(), kMaxFilename));
  for (char c : name) {
    auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7f) continue;  // control characters vanish
    if (b >= 0x80 && b < 0xc0) continue;  // UTF-8 continuation: its lead byte stood in
    out.push_back(IsSafeNameChar(c) ? c : '_');
  }
  std::size_t lead = out.find_first_not_of('.');
  out.erase(0, lead == std::string::npos ? out.size() : lead);
  while (!out.empty() && out.back() == '.') out.pop_back();
  if (out.size() > kMaxFilename) {
    std::string ext;
    if (auto dot = out.rfind('.'); dot != std::string::npos && out.size() - dot <= kMaxExtension) {
      ext = out.substr(dot);
    }
    out = out.substr(0, kMaxFilename - ext.size()) + ext;
  }
  if (out.empty()) out = "unknown";
  return out;
}

std::string DetectContentType(std::string_view data, std::string_view declared) {
  if (auto magic = MagicType(data)) return std::string(*magic);
  std::optional<std::string> type = WellFormedType(declared);
  if (LooksLikeText(data)) {
    if (type && (StartsWith(*type, "text/") || StartsWith(*type, "application/json"))) {
      if (type->find(';') == std::string::npos) *type += "; charset=utf-8";
      return *type;
    }
    return "text/plain; charset=utf-8";
  }
  // A declared type that claims a format the magic bytes do not show is not believed.
  if (type &&
      (StartsWith(*type, "text/") || StartsWith(*type, "image/") || StartsWith(*type, "video/"))) {
    type.reset();
  }
  return type ? *type : "application/octet-stream";
}

std::optional<ImageSize> ReadImageSize(std::string_view d, std::string_view content_type) {
  if (content_type == "image/png") {
    if (d.size() < 24 || d.substr(12, 4) != "IHDR") return std::nullopt;
    std::uint32_t w = Be32(d, 16);
    std::uint32_t h = Be32(d, 20);
    if (w == 0 || h == 0 || w > 0x7fffffff || h > 0x7fffffff) return std::nullopt;
    return ImageSize{static_cast<int>(w), static_cast<int>(h)};
  }
  if (content_type == "image/gif") {
    if (d.size() < 10) return std::nullopt;
    ImageSize size{static_cast<int>(Le16(d, 6)), static_cast<int>(Le16(d, 8))};
    if (size.width == 0 || size.height == 0) return std::nullopt;
    return size;
  }
  if (content_type == "image/jpeg") return JpegSize(d);
  return std::nullopt;
}

bool IsInlineType(std::string_view t) {
  std::string_view essence = t.substr(0, t.find(';'));
  return essence == "image/png" || essence == "image/jpeg" || essence == "image/gif" ||
         essence == "image/webp" || essence == "video/mp4" || essence == "video/webm" ||
         essence == "text/plain";
}

// -- the service --------------------------------------------------------------------------------

AttachmentService::AttachmentService(store::AttachmentStore& store, domain::SnowflakeGenerator& ids,
                                     AttachmentOptions options)
    : store_(store), ids_(ids), options_(std::move(options)) {}

std::string AttachmentService::DirOf(domain::Snowflake attachment_id) const {
  return (fs::path(options_.root_dir) / domain::ToString(attachment_id)).string();
}

Result<void> AttachmentService::CheckSizes(std::span<const NewAttachment> files) const {
  for (const auto& f : files) {
    if (f.data.size() > options_.max_file_bytes) return Error{Errc::kPayloadTooLarge, ""};
  }
  return {};
}

Result<std::vector<domain::Attachment>> AttachmentService::Describe(
    domain::Snowflake channel_id, domain::Snowflake message_id,
    std::span<const NewAttachment> files) {
  if (auto r = CheckSizes(files); !r) return r.error();
  std::vector<domain::Attachment> rows;
  rows.reserve(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    const NewAttachment& f = files[i];
    domain::Attachment a;
    a.id = ids_.Next();
    a.message_id = message_id;
    a.channel_id = channel_id;
    a.position = static_cast<int>(i);
    a.filename = SanitizeFilename(f.filename);
    a.description = f.description;
    a.content_type = DetectContentType(f.data, f.declared_type);
    a.size = static_cast<std::int64_t>(f.data.size());
    if (auto dims = ReadImageSize(f.data, a.content_type)) {
      a.width = dims->width;
      a.height = dims->height;
    }
    a.url_key = auth::RandomToken(kKeyBytes);
    FillUrl(a);
    rows.push_back(std::move(a));
  }
  return rows;
}

Result<void> AttachmentService::WriteFiles(std::span<const domain::Attachment> rows,
                                           std::span<const NewAttachment> files) {
  for (std::size_t i = 0; i < rows.size() && i < files.size(); ++i) {
    const domain::Attachment& a = rows[i];
    const std::string_view data = files[i].data;
    // Written under a temporary name and renamed, so a reader never sees a partial file.
    std::error_code ec;
    const fs::path dir = DirOf(a.id);
    fs::create_directories(dir, ec);
    const fs::path final_path = dir / a.filename;
    const fs::path temp_path = dir / (a.filename + ".part");
    bool ok = !ec;
    if (ok) {
      std::ofstream out(temp_path, std::ios::binary | std::ios::trunc);
      out.write(data.data(), static_cast<std::streamsize>(data.size()));
      out.close();
      ok = static_cast<bool>(out);
    }
    if (ok) fs::rename(temp_path, final_path, ec);
    if (!ok || ec) {
      log::Error(kTarget, "cannot write an attachment",
                 {{"path", final_path.string()}, {"error", ec ? ec.message() : "write failed"}});
      RemoveFiles(rows.subspan(0, i + 1));
      return Error::Internal("cannot store the attachment");
    }
  }
  return {};
}

Result<std::vector<domain::Attachment>> AttachmentService::Save(
    domain::Snowflake channel_id, domain::Snowflake message_id,
    std::span<const NewAttachment> files) {
  auto rows = Describe(channel_id, message_id, files);
  if (!rows) return rows.error();
  if (auto r = WriteFiles(*rows, files); !r) return r.error();
  return rows;
}

void AttachmentService::RemoveFiles(std::span<const domain::Attachment> attachments) {
  for (const auto& a : attachments) {
    std::error_code ec;
    fs::remove_all(DirOf(a.id), ec);
    if (ec) {
      log::Warn(kTarget, "cannot remove an attachment's files",
                {{"attachment_id", domain::ToString(a.id)}, {"error", ec.message()}});
    }
  }
}

std::size_t AttachmentService::SweepOrphans() {
  std::error_code ec;
  fs::directory_iterator it(options_.root_dir, ec);
  if (ec) return 0;  // no uploads yet
  std::size_t removed = 0;
  for (const fs::directory_entry& entry : it) {
    auto id = domain::ParseSnowflake(entry.path().filename().string());
    if (!id || !entry.is_directory(ec)) continue;
    auto row = store_.GetAttachment(*id);
    if (row) continue;
    if (row.error().code != Errc::kNotFound) {
      log::Warn(kTarget, "orphan sweep stopped", {{"error", row.error().message}});
      break;
    }
    fs::remove_all(entry.path(), ec);
    if (ec) {
      log::Warn(kTarget, "cannot remove an orphaned attachment",
                {{"path", entry.path().string()}, {"error", ec.message()}});
      continue;
    }
    ++removed;
  }
  if (removed) log::Info(kTarget, "removed orphaned attachments", {{"count", removed}});
  return removed;
}

Result<std::vector<domain::Attachment>> AttachmentService::ForMessages(
    std::span<const domain::Snowflake> message_ids) {
  auto rows = store_.ListAttachments(message_ids);
  if (!rows) return rows.error();
  for (auto& a : *rows) FillUrl(a);
  return rows;
}

void AttachmentService::FillUrl(domain::Attachment& a) const {
  a.url = options_.public_base + "/attachments/" + domain::ToString(a.channel_id) + "/" +
          domain::ToString(a.id) + "/" + a.filename + "?key=" + a.url_key;
}

Result<domain::Attachment> AttachmentService::Find(domain::Snowflake channel_id,
                                                   domain::Snowflake attachment_id,
                                                   std::string_view filename,
                                                   std::string_view key) {
  auto a = store_.GetAttachment(attachment_id);
  if (!a) return a.error();
  if (a->channel_id != channel_id || a->filename != filename ||
      !auth::ConstantTimeEquals(a->url_key, key)) {
    return Error::NotFound("404: Not Found");
  }
  FillUrl(*a);
  return a;
}

Result<std::string> AttachmentService::Read(const domain::Attachment& a, std::uint64_t offset,
                                            std::uint64_t length) {
  const fs::path path = fs::path(DirOf(a.id)) / a.filename;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    log::Warn(kTarget, "an attachment's file is missing", {{"path", path.string()}});
    return Error::NotFound("404: Not Found");
  }
  std::string out(length, '\0');
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(out.data(), static_cast<std::streamsize>(length));
  if (static_cast<std::uint64_t>(in.gcount()) != length) {
    log::Warn(kTarget, "an attachment's file is shorter than its row says",
              {{"path", path.string()}});
    return Error::NotFound("404: Not Found");
  }
  return out;
}

}  // namespace chat::service
