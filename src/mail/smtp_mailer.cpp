#include "mail/smtp_mailer.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <mutex>
#include <random>
#include <string_view>

namespace chat::mail {

namespace {

bool HasLineBreak(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

// RFC 5322 date, e.g. "Fri, 27 Nov 2026 13:40:00 +0000".
std::string MailDate() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

// The whole message: headers, a blank line, the text with CRLF line ends.
std::string Message(const SmtpOptions& options, const Mail& mail) {
  std::random_device random;
  std::string out;
  out += "Date: " + MailDate() + "\r\n";
  out += "From: <" + options.from + ">\r\n";
  out += "To: <" + mail.to + ">\r\n";
  out += "Subject: " + mail.subject + "\r\n";
  out += "Message-ID: <" + std::to_string(random()) + "." + std::to_string(random()) + "@" +
         options.host + ">\r\n";
  out += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: 8bit\r\n\r\n";
  for (char c : mail.text) {
    if (c == '\r') continue;
    if (c == '\n') {
      out += "\r\n";
    } else {
      out += c;
    }
  }
  out += "\r\n";
  return out;
}

struct Upload {
  std::string_view left;
};

std::size_t ReadBody(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, upload->left.size());
  std::memcpy(buffer, upload->left.data(), n);
  upload->left.remove_prefix(n);
  return n;
}

}  // namespace

SmtpMailer::SmtpMailer(SmtpOptions options) : options_(std::move(options)) {
  // Once per process, before any handle: libcurl's global setup is not thread-safe.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Result<void> SmtpMailer::Send(const Mail& mail) {
  if (HasLineBreak(mail.to) || HasLineBreak(mail.subject) || HasLineBreak(options_.from) ||
      mail.to.find_first_of("<>") != std::string::npos) {
    return Error::Validation("a mail address or subject holds a line break");
  }
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Error::Internal("curl_easy_init failed");
  using Tls = SmtpOptions::Tls;
  const std::string url = (options_.tls == Tls::kImplicit ? "smtps://" : "smtp://") +
                          options_.host + ":" + std::to_string(options_.port);
  const std::string from = "<" + options_.from + ">";
  const std::string to = "<" + mail.to + ">";
  curl_slist* recipients = curl_slist_append(nullptr, to.c_str());
  const std::string message = Message(options_, mail);
  Upload upload{message};
  const long timeout_ms = static_cast<long>(options_.timeout.count());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, &ReadBody);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  if (options_.tls == Tls::kTry) {
    curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  } else if (options_.tls == Tls::kRequire) {
    curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  }
  if (!options_.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.password.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM in a multi-threaded server
  const CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(recipients);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    return Error::Unavailable(std::string("SMTP ") + url + ": " + curl_easy_strerror(rc));
  }
  return {};
}

}  // namespace chat::mail
