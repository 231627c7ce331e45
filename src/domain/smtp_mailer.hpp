#pragma once
/// Email over SMTP with libcurl (HQADZ_SMTP_URL: smtp://[user:pass@]host[:port] or smtps://;
/// smtp:// upgrades with STARTTLS when the server offers it). Plain text mail.
///
/// Thread-safe: each send uses its own curl handle.

#include <chrono>
#include <string>

#include "domain/mailer.hpp"

namespace hqadz::domain {

struct SmtpSettings {
  std::string url;   // required
  std::string from = "hqadz <no-reply@localhost>";
  std::chrono::seconds timeout{15};
};

class SmtpMailer final : public Mailer {
 public:
  explicit SmtpMailer(SmtpSettings settings);
  bool enabled() const override { return true; }
  /// Errors: invalid_mail (400) for a recipient or subject with line breaks; email_failed
  /// (502) when the server refuses or cannot be reached.
  core::Status send(const Mail& mail) override;

  /// The RFC 5322 message sent for `mail` (CRLF line ends), for tests.
  static std::string format_message(const std::string& from, const Mail& mail,
                                    const std::string& date, const std::string& message_id);

 private:
  SmtpSettings settings_;
};

/// "Name <addr@host>" → "addr@host"; a bare address stays as it is.
std::string bare_address(const std::string& from);

}  // namespace hqadz::domain
