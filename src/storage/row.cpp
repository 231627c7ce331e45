#include "storage/row.hpp"

#include <charconv>
#include <cmath>

namespace hqadz::storage {
namespace {

std::optional<size_t> index_of(const soci::row& row, const std::string& column) {
  for (size_t i = 0; i < row.size(); ++i) {
    if (row.get_properties(i).get_name() == column) {
      return i;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<int64_t> opt_i64(const soci::row& row, const std::string& column) {
  auto i = index_of(row, column);
  if (!i || row.get_indicator(*i) == soci::i_null) {
    return std::nullopt;
  }
  switch (row.get_properties(*i).get_data_type()) {
    case soci::dt_integer:
      return row.get<int>(*i);
    case soci::dt_long_long:
      return row.get<long long>(*i);
    case soci::dt_unsigned_long_long:
      return static_cast<int64_t>(row.get<unsigned long long>(*i));
    case soci::dt_double:
      return static_cast<int64_t>(std::llround(row.get<double>(*i)));
    case soci::dt_string: {
      const std::string s = row.get<std::string>(*i);
      int64_t v = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (ec == std::errc{}) {
        return v;
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

std::optional<std::string> opt_str(const soci::row& row, const std::string& column) {
  auto i = index_of(row, column);
  if (!i || row.get_indicator(*i) == soci::i_null) {
    return std::nullopt;
  }
  switch (row.get_properties(*i).get_data_type()) {
    case soci::dt_string:
      return row.get<std::string>(*i);
    case soci::dt_integer:
      return std::to_string(row.get<int>(*i));
    case soci::dt_long_long:
      return std::to_string(row.get<long long>(*i));
    case soci::dt_double: {
      char buf[64];
      auto [p, ec] = std::to_chars(buf, buf + sizeof buf, row.get<double>(*i));
      return std::string(buf, p);
    }
    default:
      return std::nullopt;
  }
}

std::optional<double> opt_f64(const soci::row& row, const std::string& column) {
  auto i = index_of(row, column);
  if (!i || row.get_indicator(*i) == soci::i_null) {
    return std::nullopt;
  }
  switch (row.get_properties(*i).get_data_type()) {
    case soci::dt_double:
      return row.get<double>(*i);
    case soci::dt_integer:
      return row.get<int>(*i);
    case soci::dt_long_long:
      return static_cast<double>(row.get<long long>(*i));
    case soci::dt_string:
      try {
        return std::stod(row.get<std::string>(*i));
      } catch (const std::exception&) {
        return std::nullopt;
      }
    default:
      return std::nullopt;
  }
}

}  // namespace hqadz::storage
