#include "core/decimal.hpp"

#include <algorithm>

#include <charconv>

namespace hqadz::core {
namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<Decimal> Decimal::parse(std::string_view text) {
  if (text.empty() || text.size() > 128) {
    return std::nullopt;
  }
  std::string_view mantissa = text;
  int64_t exponent = 0;
  if (const auto e = text.find_first_of("eE"); e != std::string_view::npos) {
    mantissa = text.substr(0, e);
    std::string_view exp = text.substr(e + 1);
    bool negative = false;
    if (!exp.empty() && (exp[0] == '+' || exp[0] == '-')) {
      negative = exp[0] == '-';
      exp.remove_prefix(1);
    }
    if (!all_digits(exp) || exp.size() > 4) {
      return std::nullopt;
    }
    std::from_chars(exp.data(), exp.data() + exp.size(), exponent);
    if (negative) {
      exponent = -exponent;
    }
  }
  std::string_view int_part = mantissa;
  std::string_view frac_part;
  if (const auto dot = mantissa.find('.'); dot != std::string_view::npos) {
    int_part = mantissa.substr(0, dot);
    frac_part = mantissa.substr(dot + 1);
    if (!all_digits(frac_part)) {
      return std::nullopt;
    }
  }
  if (!all_digits(int_part)) {
    return std::nullopt;
  }
  std::string digits = std::string(int_part) + std::string(frac_part);
  int64_t scale = static_cast<int64_t>(frac_part.size()) - exponent;
  // Normalize: a negative scale becomes trailing zeros; trailing fraction zeros go away.
  if (scale < 0) {
    if (-scale > kMaxIntegerDigits + 1) {
      return std::nullopt;
    }
    digits.append(static_cast<size_t>(-scale), '0');
    scale = 0;
  }
  while (scale > 0 && digits.size() > 1 && digits.back() == '0') {
    digits.pop_back();
    --scale;
  }
  const auto first = digits.find_first_not_of('0');
  digits = first == std::string::npos ? "0" : digits.substr(first);
  if (digits == "0") {
    scale = 0;
  }
  if (scale > kMaxScale) {
    return std::nullopt;
  }
  const int64_t int_digits = static_cast<int64_t>(digits.size()) - scale;
  if (int_digits > kMaxIntegerDigits) {
    return std::nullopt;
  }
  Decimal d;
  d.digits_ = std::move(digits);
  d.scale_ = static_cast<int>(scale);
  return d;
}

Decimal Decimal::from_int(int64_t v) {
  return *parse(std::to_string(v < 0 ? 0 : v));
}

std::string Decimal::to_string() const {
  if (scale_ == 0) {
    return digits_;
  }
  std::string d = digits_;
  if (static_cast<int>(d.size()) <= scale_) {
    d.insert(0, static_cast<size_t>(scale_ - static_cast<int>(d.size()) + 1), '0');
  }
  d.insert(d.size() - static_cast<size_t>(scale_), ".");
  return d;
}

std::string Decimal::to_fixed(int scale) const {
  std::string s = to_string();
  auto dot = s.find('.');
  std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  std::string whole = dot == std::string::npos ? s : s.substr(0, dot);
  if (static_cast<int>(frac.size()) > scale) {
    frac.resize(static_cast<size_t>(scale));
  } else {
    frac.append(static_cast<size_t>(scale) - frac.size(), '0');
  }
  return scale == 0 ? whole : whole + "." + frac;
}

double Decimal::to_double() const {
  const std::string s = to_string();
  double v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

Decimal Decimal::times(uint32_t factor) const {
  Decimal out;
  if (is_zero() || factor == 0) {
    return out;
  }
  std::string digits;
  uint64_t carry = 0;
  for (auto it = digits_.rbegin(); it != digits_.rend(); ++it) {
    const uint64_t v = static_cast<uint64_t>(*it - '0') * factor + carry;
    digits.push_back(static_cast<char>('0' + v % 10));
    carry = v / 10;
  }
  for (; carry > 0; carry /= 10) {
    digits.push_back(static_cast<char>('0' + carry % 10));
  }
  std::reverse(digits.begin(), digits.end());
  int scale = scale_;
  while (scale > 0 && digits.size() > 1 && digits.back() == '0') {  // no trailing zeros
    digits.pop_back();
    --scale;
  }
  out.digits_ = std::move(digits);
  out.scale_ = scale;
  return out;
}

int compare(const Decimal& a, const Decimal& b) {
  if (a.is_zero() || b.is_zero()) {
    return a.is_zero() && b.is_zero() ? 0 : (a.is_zero() ? -1 : 1);
  }
  // Align the scales by padding the shorter fraction, then compare as digit strings (no
  // leading zeros on either side).
  std::string x = a.digits_;
  std::string y = b.digits_;
  if (a.scale_ < b.scale_) {
    x.append(static_cast<size_t>(b.scale_ - a.scale_), '0');
  } else {
    y.append(static_cast<size_t>(a.scale_ - b.scale_), '0');
  }
  if (x.size() != y.size()) {
    return x.size() < y.size() ? -1 : 1;
  }
  const int c = x.compare(y);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace hqadz::core
