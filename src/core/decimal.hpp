#pragma once
/// Exact non-negative decimal numbers for money: parsed from text ("55", "0.0000635", "1e-7"),
/// kept as digits and a scale, compared exactly. Never a double (except `to_double` for the
/// JSON edge of the API, where money is a JSON number in major units).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hqadz::core {

class Decimal {
 public:
  static constexpr int kMaxScale = 18;        // NUMERIC(38, 18) in the database
  static constexpr int kMaxIntegerDigits = 20;

  Decimal() = default;
  /// A plain decimal ("12", "12.50") or a JSON number token ("1.5e3", "1e-7"). Negative values,
  /// more than 18 fractional digits or more than 20 integer digits are refused (nullopt).
  static std::optional<Decimal> parse(std::string_view text);
  static Decimal from_int(int64_t v);

  /// Plain form without exponent or trailing zeros: "55", "0.0000635".
  std::string to_string() const;
  /// Fixed number of fractional digits, rounding toward zero ("55.00").
  std::string to_fixed(int scale) const;
  double to_double() const;
  /// This value times `factor`, exactly (the result may be wider than the database holds: it
  /// is for comparisons such as `paid × 1000 < due × 995`).
  Decimal times(uint32_t factor) const;
  bool is_zero() const { return digits_ == "0"; }
  int scale() const { return scale_; }

  friend int compare(const Decimal& a, const Decimal& b);
  friend bool operator==(const Decimal& a, const Decimal& b) { return compare(a, b) == 0; }
  friend bool operator<(const Decimal& a, const Decimal& b) { return compare(a, b) < 0; }
  friend bool operator<=(const Decimal& a, const Decimal& b) { return compare(a, b) <= 0; }
  friend bool operator>(const Decimal& a, const Decimal& b) { return compare(a, b) > 0; }

 private:
  std::string digits_ = "0";  // no leading zeros (except "0"), value = digits_ / 10^scale_
  int scale_ = 0;             // no trailing zeros in the fraction
};

}  // namespace hqadz::core
