#pragma once
/// Reading the Cookie header and writing Set-Cookie values.

#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace hqadz::http {

/// The value of cookie `name` in the request's Cookie header(s).
std::optional<std::string> cookie(const Request& request, std::string_view name);

struct CookieOptions {
  std::string path = "/";
  int64_t max_age_s = -1;  // -1: session cookie; 0: delete
  bool http_only = true;
  bool secure = false;
  std::string same_site = "Strict";
};

std::string set_cookie_value(const std::string& name, const std::string& value,
                             const CookieOptions& options);

}  // namespace hqadz::http
