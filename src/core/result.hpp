#pragma once
/// Errors as values at boundaries (STYLE rule 5): untrusted input, network and database calls
/// return Result<T>. The HTTP layer maps Errc to a status in one place (http/errors.cpp).

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace hqadz::core {

/// What kind of failure; decides the HTTP status. The string `code` says which one exactly.
enum class Errc {
  kInvalidArgument,   // 400
  kUnauthenticated,   // 401
  kForbidden,         // 403
  kNotFound,          // 404
  kMethodNotAllowed,  // 405
  kConflict,          // 409
  kGone,              // 410
  kPayloadTooLarge,   // 413
  kUnprocessable,     // 422
  kRateLimited,       // 429
  kInternal,          // 500
  kBadGateway,        // 502
  kUnavailable,       // 503
  kTimeout,           // 504
};

struct Error {
  Errc errc = Errc::kInternal;
  std::string code;     // machine-readable, snake_case, e.g. "invalid_json"
  std::string message;  // for people; never contains secrets
  int64_t retry_after_s = 0;  // for kRateLimited/kUnavailable: when to come back (0: unsaid)

  static Error invalid(std::string code, std::string message) {
    return {Errc::kInvalidArgument, std::move(code), std::move(message)};
  }
  static Error not_found(std::string message = "not found") {
    return {Errc::kNotFound, "not_found", std::move(message)};
  }
  static Error conflict(std::string code, std::string message) {
    return {Errc::kConflict, std::move(code), std::move(message)};
  }
  static Error internal(std::string message = "internal error") {
    return {Errc::kInternal, "internal", std::move(message)};
  }
  static Error unavailable(std::string code, std::string message) {
    return {Errc::kUnavailable, std::move(code), std::move(message)};
  }
};

/// A value or an Error. Small on purpose: `ok()`, `value()`, `error()`, `operator*`, `->`.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}      // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Error& error() const { return std::get<1>(v_); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Error> v_;
};

/// Result for operations that return nothing but may fail.
struct Unit {};
using Status = Result<Unit>;
inline Status ok_status() { return Unit{}; }

}  // namespace hqadz::core
