#pragma once
/// Outgoing email. The SMTP implementation lives with notifications; without HQADZ_SMTP_URL
/// the NullMailer is used and `enabled()` is false (codes are then shown once on screen).

#include <string>

#include "core/result.hpp"

namespace hqadz::domain {

struct Mail {
  std::string to;
  std::string subject;
  std::string text;
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  virtual bool enabled() const = 0;
  virtual core::Status send(const Mail& mail) = 0;
};

class NullMailer final : public Mailer {
 public:
  bool enabled() const override { return false; }
  core::Status send(const Mail&) override {
    return core::Error::unavailable("email_unavailable", "email is not configured");
  }
};

}  // namespace hqadz::domain
