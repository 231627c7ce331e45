#include "domain/smtp_mailer.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <memory>

#include "crypto/random.hpp"

namespace hqadz::domain {
namespace {

struct Upload {
  std::string data;
  size_t pos = 0;
};

size_t read_cb(char* buffer, size_t size, size_t nitems, void* userdata) {
  auto* up = static_cast<Upload*>(userdata);
  const size_t room = size * nitems;
  const size_t n = std::min(room, up->data.size() - up->pos);
  std::memcpy(buffer, up->data.data() + up->pos, n);
  up->pos += n;
  return n;
}

bool has_line_break(const std::string& s) { return s.find_first_of("\r\n") != std::string::npos; }

std::string rfc2822_now() {
  char buf[64];
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

/// Non-ASCII subjects as an RFC 2047 encoded word (base64 of UTF-8).
std::string encode_subject(const std::string& s) {
  bool ascii = true;
  for (unsigned char c : s) {
    ascii = ascii && c < 0x80;
  }
  if (ascii) {
    return s;
  }
  static const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < s.size(); i += 3) {
    const uint32_t v = (uint8_t(s[i]) << 16) | (uint8_t(s[i + 1]) << 8) | uint8_t(s[i + 2]);
    out += kB64[v >> 18];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += kB64[v & 63];
  }
  if (i < s.size()) {
    uint32_t v = uint8_t(s[i]) << 16;
    if (i + 1 < s.size()) {
      v |= uint8_t(s[i + 1]) << 8;
    }
    out += kB64[v >> 18];
    out += kB64[(v >> 12) & 63];
    out += i + 1 < s.size() ? kB64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return "=?UTF-8?B?" + out + "?=";
}

}  // namespace

std::string bare_address(const std::string& from) {
  const auto lt = from.find('<');
  const auto gt = from.find('>', lt == std::string::npos ? 0 : lt);
  if (lt == std::string::npos || gt == std::string::npos) {
    return from;
  }
  return from.substr(lt + 1, gt - lt - 1);
}

SmtpMailer::SmtpMailer(SmtpSettings settings) : settings_(std::move(settings)) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

std::string SmtpMailer::format_message(const std::string& from, const Mail& mail,
                                       const std::string& date, const std::string& message_id) {
  std::string text;
  // Normalize line ends to CRLF (curl dot-stuffs lines that start with '.').
  for (size_t i = 0; i < mail.text.size(); ++i) {
    const char c = mail.text[i];
    if (c == '\r') {
      continue;
    }
    if (c == '\n') {
      text += "\r\n";
    } else {
      text += c;
    }
  }
  return "Date: " + date + "\r\nFrom: " + from + "\r\nTo: " + mail.to + "\r\nSubject: " +
         encode_subject(mail.subject) + "\r\nMessage-ID: " + message_id +
         "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
         "Content-Transfer-Encoding: 8bit\r\n\r\n" +
         text + "\r\n";
}

core::Status SmtpMailer::send(const Mail& mail) {
  if (mail.to.empty() || has_line_break(mail.to) || has_line_break(mail.subject) ||
      mail.to.find_first_of("<>,; ") != std::string::npos) {
    return core::Error::invalid("invalid_mail", "bad recipient or subject");
  }
  const std::string from_addr = bare_address(settings_.from);
  Upload up;
  up.data = format_message(settings_.from, mail, rfc2822_now(),
                           "<" + crypto::random_hex(12) + "@" +
                               from_addr.substr(from_addr.find('@') + 1) + ">");

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    return core::Error::internal("curl_easy_init failed");
  }
  const std::string mail_from = "<" + from_addr + ">";
  const std::string rcpt_to = "<" + mail.to + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, rcpt_to.c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt_guard(rcpt,
                                                                         curl_slist_free_all);
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, settings_.url.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt(h, CURLOPT_READDATA, &up);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, static_cast<long>(settings_.timeout.count()));
  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    return core::Error{core::Errc::kBadGateway, "email_failed",
                       std::string("email not sent: ") + curl_easy_strerror(rc)};
  }
  return core::ok_status();
}

}  // namespace hqadz::domain
