// mail/smtp_mailer.hpp — a Mailer speaking SMTP to SMTP_HOST:SMTP_PORT through libcurl (a
// well-kept client: EHLO, STARTTLS, implicit TLS, login, dot-stuffing, timeouts). Headers are
// built here; addresses and subjects holding CR or LF are refused, so nothing can be injected into
// the message.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "mail/mailer.hpp"

namespace chat::mail {

struct SmtpOptions {
  std::string host;
  std::uint16_t port = 25;
  std::string from;  // an address
  enum class Tls { kOff, kTry, kRequire, kImplicit } tls = Tls::kTry;
  std::string username;  // empty: no login
  std::string password;
  std::chrono::milliseconds timeout{10'000};
};

class SmtpMailer final : public Mailer {
 public:
  explicit SmtpMailer(SmtpOptions options);
  Result<void> Send(const Mail& mail) override;

 private:
  const SmtpOptions options_;
};

}  // namespace chat::mail
