#include "http/cookies.hpp"

#include <strings.h>

namespace hqadz::http {

std::optional<std::string> cookie(const Request& request, std::string_view name) {
  for (const auto& [k, v] : request.headers) {
    if (k.size() != 6 || strncasecmp(k.c_str(), "cookie", 6) != 0) {
      continue;
    }
    std::string_view rest = v;
    while (!rest.empty()) {
      const auto semi = rest.find(';');
      std::string_view part = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      while (!part.empty() && part.front() == ' ') {
        part.remove_prefix(1);
      }
      const auto eq = part.find('=');
      if (eq != std::string_view::npos && part.substr(0, eq) == name) {
        return std::string(part.substr(eq + 1));
      }
    }
  }
  return std::nullopt;
}

std::string set_cookie_value(const std::string& name, const std::string& value,
                             const CookieOptions& o) {
  std::string out = name + "=" + value + "; Path=" + o.path;
  if (o.max_age_s >= 0) {
    out += "; Max-Age=" + std::to_string(o.max_age_s);
  }
  if (o.http_only) {
    out += "; HttpOnly";
  }
  if (o.secure) {
    out += "; Secure";
  }
  if (!o.same_site.empty()) {
    out += "; SameSite=" + o.same_site;
  }
  return out;
}

}  // namespace hqadz::http
