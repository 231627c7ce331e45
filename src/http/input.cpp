#include "http/input.hpp"

#include <charconv>

namespace hqadz::http {
namespace {

core::Error bad(const char* key, const std::string& why) {
  return core::Error::invalid("invalid_" + std::string(key), std::string(key) + " " + why);
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) {
    return {};
  }
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

core::Result<std::string> check_string(const nlohmann::json& v, const char* key,
                                       const StringRule& rule) {
  if (!v.is_string()) {
    return bad(key, "must be a string");
  }
  std::string s = v.get<std::string>();
  if (rule.trim) {
    s = trimmed(s);
  }
  if (s.size() > rule.max_len) {
    return bad(key, "is too long (at most " + std::to_string(rule.max_len) + " characters)");
  }
  if (s.size() < rule.min_len) {
    return bad(key, rule.min_len <= 1 ? "must not be empty"
                                      : "is too short (at least " + std::to_string(rule.min_len) +
                                            " characters)");
  }
  return s;
}

}  // namespace

core::Result<std::string> require_string(const nlohmann::json& body, const char* key,
                                         StringRule rule) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    return core::Error::invalid("missing_" + std::string(key), std::string(key) + " is required");
  }
  if (rule.min_len == 0) {
    rule.min_len = 1;
  }
  return check_string(*it, key, rule);
}

core::Result<std::optional<std::string>> optional_string(const nlohmann::json& body,
                                                         const char* key, StringRule rule) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    return std::optional<std::string>{};
  }
  auto s = check_string(*it, key, rule);
  if (!s.ok()) {
    return s.error();
  }
  return std::optional<std::string>{std::move(*s)};
}

core::Result<int64_t> require_int(const nlohmann::json& body, const char* key, int64_t min,
                                  int64_t max) {
  auto v = optional_int(body, key, min, max);
  if (!v.ok()) {
    return v.error();
  }
  if (!v->has_value()) {
    return core::Error::invalid("missing_" + std::string(key), std::string(key) + " is required");
  }
  return **v;
}

core::Result<std::optional<int64_t>> optional_int(const nlohmann::json& body, const char* key,
                                                  int64_t min, int64_t max) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    return std::optional<int64_t>{};
  }
  if (!it->is_number_integer()) {
    return bad(key, "must be an integer");
  }
  if (it->is_number_unsigned() && it->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    return bad(key, "is out of range");
  }
  const int64_t n = it->get<int64_t>();
  if (n < min || n > max) {
    return bad(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return std::optional<int64_t>{n};
}

core::Result<std::optional<bool>> optional_bool(const nlohmann::json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    return std::optional<bool>{};
  }
  if (!it->is_boolean()) {
    return bad(key, "must be true or false");
  }
  return std::optional<bool>{it->get<bool>()};
}

core::Result<int64_t> id_param(const Request& request, const char* name) {
  auto it = request.params.find(name);
  int64_t v = 0;
  if (it == request.params.end()) {
    return core::Error::not_found();
  }
  auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  if (ec != std::errc{} || p != it->second.data() + it->second.size() || v <= 0) {
    return core::Error::not_found();
  }
  return v;
}

core::Result<int64_t> query_int(const Request& request, const char* key, int64_t fallback,
                                int64_t min, int64_t max) {
  auto it = request.query.find(key);
  if (it == request.query.end() || it->second.empty()) {
    return fallback;
  }
  int64_t v = 0;
  auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  if (ec != std::errc{} || p != it->second.data() + it->second.size()) {
    return bad(key, "must be an integer");
  }
  if (v < min || v > max) {
    return bad(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return v;
}

}  // namespace hqadz::http
