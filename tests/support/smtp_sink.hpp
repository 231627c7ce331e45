#pragma once
/// Test support: an SMTP server on loopback (port 0) that accepts every message and keeps it
/// (EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT; no TLS, no auth).

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hqadz::testing {

struct SinkMail {
  std::string from;
  std::vector<std::string> to;
  std::string data;  // headers and body as received (dot-unstuffed)
};

class SmtpSink {
 public:
  SmtpSink();
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  uint16_t port() const;
  std::string url() const;  // smtp://127.0.0.1:PORT
  std::vector<SinkMail> mails() const;
  /// Waits until a mail whose data contains `needle` arrived (or `timeout` passed).
  std::optional<SinkMail> wait_for(const std::string& needle,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hqadz::testing
