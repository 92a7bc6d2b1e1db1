#include "domain/validation.hpp"

#include <string>
#include <utility>

namespace chat::domain {
namespace {

constexpr std::string_view kBadLength = "BASE_TYPE_BAD_LENGTH";

FieldError Problem(std::string_view field, std::string_view code, std::string message) {
  return FieldError{std::string(field), std::string(code), std::move(message)};
}

std::string LengthMessage(std::size_t min, std::size_t max) {
  return "Must be between " + std::to_string(min) + " and " + std::to_string(max) + " in length.";
}

bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlnum(char c) { return IsAsciiLower(c) || IsAsciiUpper(c) || IsAsciiDigit(c); }

// Decodes the code point starting at text[pos] and advances pos past it; nullopt when the bytes
// there are not well-formed UTF-8. The ranges follow RFC 3629's table, which is what rules out
// overlong encodings, surrogates and values above U+10FFFF.
std::optional<char32_t> DecodeUtf8(std::string_view text, std::size_t& pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  std::size_t extra;
  char32_t cp;
  unsigned char second_min = 0x80, second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    extra = 1;
    cp = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    extra = 2;
    cp = lead & 0x0F;
    if (lead == 0xE0) second_min = 0xA0;  // overlong
    if (lead == 0xED) second_max = 0x9F;  // UTF-16 surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    extra = 3;
    cp = lead & 0x07;
    if (lead == 0xF0) second_min = 0x90;  // overlong
    if (lead == 0xF4) second_max = 0x8F;  // above U+10FFFF
  } else {
    return std::nullopt;  // continuation byte, C0/C1 overlong lead, or F5..FF
  }
  if (text.size() - pos <= extra) return std::nullopt;
  for (std::size_t i = 1; i <= extra; ++i) {
    const unsigned char b = byte(pos + i);
    const unsigned char lo = i == 1 ? second_min : 0x80;
    const unsigned char hi = i == 1 ? second_max : 0xBF;
    if (b < lo || b > hi) return std::nullopt;
    cp = (cp << 6) | (b & 0x3F);
  }
  pos += extra + 1;
  return cp;
}

bool IsControl(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

// RFC 5322 "atext" plus '.', the characters an unquoted local part may hold. Quoted local parts
// are legal but nobody signs up with one, and they are a classic injection vector.
bool IsLocalPartChar(char c) {
  return IsAsciiAlnum(c) ||
         std::string_view("!#$%&'*+/=?^_`{|}~.-").find(c) != std::string_view::npos;
}

bool IsValidDomain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  std::size_t labels = 0;
  std::string_view last_label;
  std::size_t start = 0;
  while (start <= domain.size()) {
    std::size_t dot = domain.find('.', start);
    if (dot == std::string_view::npos) dot = domain.size();
    const std::string_view label = domain.substr(start, dot - start);
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!IsAsciiAlnum(c) && c != '-') return false;
    }
    ++labels;
    last_label = label;
    start = dot + 1;
  }
  if (labels < 2 || last_label.size() < 2) return false;
  // An all-digit TLD means an IP address or a typo, never a deliverable domain.
  for (char c : last_label) {
    if (!IsAsciiDigit(c)) return true;
  }
  return false;
}

}  // namespace

std::optional<FieldError> ValidateUsername(std::string_view username) {
  constexpr std::string_view kField = "username";
  if (username.size() < kUsernameMinLength || username.size() > kUsernameMaxLength) {
    return Problem(kField, kBadLength, LengthMessage(kUsernameMinLength, kUsernameMaxLength));
  }
  for (char c : username) {
    if (c == ' ') {
      return Problem(kField, "USERNAME_INVALID_CHARACTERS", "Username cannot contain spaces.");
    }
    if (!IsAsciiAlnum(c) && c != '_' && c != '.') {
      return Problem(kField, "USERNAME_INVALID_CHARACTERS",
                     "Username can only contain letters, numbers, underscores and periods.");
    }
  }
  return std::nullopt;
}

std::optional<FieldError> ValidateEmail(std::string_view email) {
  constexpr std::string_view kField = "email";
  constexpr std::string_view kCode = "EMAIL_TYPE_INVALID_EMAIL";
  if (email.size() > kEmailMaxLength) {
    return Problem(kField, kBadLength, LengthMessage(3, kEmailMaxLength));
  }
  const std::size_t at = email.find('@');
  if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
    return Problem(kField, kCode, "Not a well formed email address: it needs exactly one '@'.");
  }
  const std::string_view local = email.substr(0, at);
  const std::string_view domain = email.substr(at + 1);
  bool local_ok = !local.empty() && local.size() <= 64 && local.front() != '.' &&
                  local.back() != '.' && local.find("..") == std::string_view::npos;
  for (char c : local) local_ok = local_ok && IsLocalPartChar(c);
  if (!local_ok) {
    return Problem(kField, kCode,
                   "Not a well formed email address: the part before '@' has invalid characters.");
  }
  if (!IsValidDomain(domain)) {
    return Problem(kField, kCode,
                   "Not a well formed email address: the domain must look like example.com.");
  }
  return std::nullopt;
}

std::optional<FieldError> CheckPasswordStrength(std::string_view password, std::string_view field) {
  if (password.size() < kPasswordMinLength || password.size() > kPasswordMaxLength) {
    return Problem(field, kBadLength, LengthMessage(kPasswordMinLength, kPasswordMaxLength));
  }
  bool lower = false, upper = false, digit = false, symbol = false;
  for (char c : password) {
    if (IsAsciiLower(c)) {
      lower = true;
    } else if (IsAsciiUpper(c)) {
      upper = true;
    } else if (IsAsciiDigit(c)) {
      digit = true;
    } else {
      symbol = true;  // punctuation, spaces and non-ASCII all add to the search space
    }
  }
  if (int{lower} + int{upper} + int{digit} + int{symbol} >= 3) return std::nullopt;
  std::string missing;
  const auto add = [&](bool present, std::string_view what) {
    if (present) return;
    if (!missing.empty()) missing += ", ";
    missing += what;
  };
  add(lower, "lowercase letters");
  add(upper, "uppercase letters");
  add(digit, "digits");
  add(symbol, "symbols");
  return Problem(field, "PASSWORD_TOO_WEAK",
                 "Password is too weak: use at least three of lowercase letters, uppercase "
                 "letters, digits and symbols (missing: " +
                     missing + ").");
}

std::optional<FieldError> ValidateDisplayName(std::string_view display_name) {
  constexpr std::string_view kField = "global_name";
  if (auto problem = ValidateText(kField, display_name)) return problem;
  std::size_t code_points = 0;
  for (std::size_t pos = 0; pos < display_name.size(); ++code_points) {
    // ValidateText above already proved the bytes decode.
    if (IsControl(*DecodeUtf8(display_name, pos))) {
      return Problem(kField, "GLOBAL_NAME_INVALID",
                     "Display name cannot contain control characters.");
    }
  }
  if (code_points < 1 || code_points > kDisplayNameMaxLength) {
    return Problem(kField, kBadLength, LengthMessage(1, kDisplayNameMaxLength));
  }
  return std::nullopt;
}

std::optional<FieldError> ValidateText(std::string_view field, std::string_view text) {
  if (ContainsNul(text))
    return Problem(field, "STRING_TYPE_INVALID", "Must not contain NUL bytes.");
  if (!IsValidUtf8(text)) return Problem(field, "STRING_TYPE_INVALID", "Must be valid UTF-8.");
  return std::nullopt;
}

bool ContainsNul(std::string_view text) { return text.find('\0') != std::string_view::npos; }

bool IsValidUtf8(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    if (!DecodeUtf8(text, pos)) return false;
  }
  return true;
}

}  // namespace chat::domain
