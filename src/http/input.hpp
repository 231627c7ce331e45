#pragma once
/// Reading typed fields from a JSON body or the query with precise 400 errors: handlers stay
/// thin and every bad input gets a message that names the field.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "http/message.hpp"

namespace hqadz::http {

struct StringRule {
  size_t max_len = 256;
  size_t min_len = 0;
  bool trim = true;
};

/// A required string field. Errors: missing, not a string, too long/short.
core::Result<std::string> require_string(const nlohmann::json& body, const char* key,
                                         StringRule rule = {});
/// nullopt when absent or null; error when present but not a valid string.
core::Result<std::optional<std::string>> optional_string(const nlohmann::json& body,
                                                         const char* key, StringRule rule = {});
/// A required integer in [min, max]. Accepts a JSON integer only.
core::Result<int64_t> require_int(const nlohmann::json& body, const char* key, int64_t min,
                                  int64_t max);
core::Result<std::optional<int64_t>> optional_int(const nlohmann::json& body, const char* key,
                                                  int64_t min, int64_t max);
core::Result<std::optional<bool>> optional_bool(const nlohmann::json& body, const char* key);

/// Path parameter declared as {name:int}: parsed as a positive id.
core::Result<int64_t> id_param(const Request& request, const char* name = "id");

/// Query parameter as an integer in [min, max], or `fallback` when absent.
core::Result<int64_t> query_int(const Request& request, const char* key, int64_t fallback,
                                int64_t min, int64_t max);

/// The JSON body of a route declared with json_body (always an object there).
inline const nlohmann::json& body_of(const Request& request) { return *request.json; }

}  // namespace hqadz::http
