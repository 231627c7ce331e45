#pragma once
/// Reading a soci::row by column name the same way on both databases: SQLite and PostgreSQL
/// report different SOCI types for the same declared column (INTEGER vs BIGINT, expressions
/// without a type), so these helpers convert whatever arrives. NULL → nullopt / fallback.

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>

namespace hqadz::storage {

std::optional<int64_t> opt_i64(const soci::row& row, const std::string& column);
std::optional<std::string> opt_str(const soci::row& row, const std::string& column);
std::optional<double> opt_f64(const soci::row& row, const std::string& column);

inline int64_t i64(const soci::row& row, const std::string& column, int64_t fallback = 0) {
  return opt_i64(row, column).value_or(fallback);
}
inline std::string str(const soci::row& row, const std::string& column) {
  return opt_str(row, column).value_or(std::string{});
}

/// Binding an optional value: soci::use with an indicator.
struct NullableI64 {
  long long value = 0;
  soci::indicator ind = soci::i_null;
  explicit NullableI64(std::optional<int64_t> v) {
    if (v) {
      value = *v;
      ind = soci::i_ok;
    }
  }
};
struct NullableStr {
  std::string value;
  soci::indicator ind = soci::i_null;
  explicit NullableStr(const std::optional<std::string>& v) {
    if (v) {
      value = *v;
      ind = soci::i_ok;
    }
  }
};

}  // namespace hqadz::storage
