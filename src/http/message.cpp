#include "http/message.hpp"

#include <strings.h>



namespace hqadz::http {

std::optional<std::string_view> find_header(const Headers& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) {
      return std::string_view(v);
    }
  }
  return std::nullopt;
}

Response Response::json(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response Response::no_content() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Response Response::error(const core::Error& error) {
  Response r = json(status_for(error.errc),
                    {{"error", {{"code", error.code}, {"message", error.message}}}});
  if (error.retry_after_s > 0) {
    r.with_header("Retry-After", std::to_string(error.retry_after_s));
  }
  return r;
}

int status_for(core::Errc errc) {
  switch (errc) {
    case core::Errc::kInvalidArgument:
      return 400;
    case core::Errc::kUnauthenticated:
      return 401;
    case core::Errc::kForbidden:
      return 403;
    case core::Errc::kNotFound:
      return 404;
    case core::Errc::kMethodNotAllowed:
      return 405;
    case core::Errc::kConflict:
      return 409;
    case core::Errc::kGone:
      return 410;
    case core::Errc::kPayloadTooLarge:
      return 413;
    case core::Errc::kUnprocessable:
      return 422;
    case core::Errc::kRateLimited:
      return 429;
    case core::Errc::kInternal:
      return 500;
    case core::Errc::kBadGateway:
      return 502;
    case core::Errc::kUnavailable:
      return 503;
    case core::Errc::kTimeout:
      return 504;
  }
  return 500;
}

std::optional<std::string> url_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size()) {
        return std::nullopt;
      }
      const int hi = hex(s[i + 1]);
      const int lo = hex(s[i + 2]);
      if (hi < 0 || lo < 0) {
        return std::nullopt;
      }
      out.push_back(static_cast<char>(hi << 4 | lo));
      i += 2;
    } else if (plus_is_space && s[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::optional<std::map<std::string, std::string>> parse_query(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (part.empty()) {
      continue;
    }
    const auto eq = part.find('=');
    auto key = url_decode(part.substr(0, eq), true);
    auto value = url_decode(eq == std::string_view::npos ? "" : part.substr(eq + 1), true);
    if (!key || !value) {
      return std::nullopt;
    }
    out[*key] = *value;
  }
  return out;
}

}  // namespace hqadz::http
