#pragma once
/// A JSON reader that keeps every scalar token exactly as it was written: numbers stay text
/// ("1e-7", "0.0000635", "6"), strings keep their escapes. For signatures computed over bytes
/// (NOWPayments IPN) and for money, which must never pass through a double.
///
/// Pure and self-contained (no Asio, no nlohmann): it is fuzzed with clang.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hqadz::core {

struct RawJson {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  std::string token;  // scalars: the bytes as written (strings with their quotes and escapes)
  std::vector<RawJson> elements;  // arrays
  struct Member;
  std::vector<Member> members;  // objects, in document order

  /// The member named `key` of an object (decoded names compared); nullptr when absent.
  const RawJson* find(std::string_view key) const;
  /// Decoded value of a string token; nullopt for other kinds.
  std::optional<std::string> string_value() const;
  /// A number as its token, or a string's decoded value (providers send ids and amounts as
  /// either); nullopt for other kinds.
  std::optional<std::string> scalar_text() const;
};

struct RawJson::Member {
  std::string name;   // decoded (UTF-8)
  std::string token;  // the key as written, with quotes
  RawJson value;
};

struct RawJsonLimits {
  size_t max_depth = 64;
  size_t max_bytes = 1 << 20;
};

/// Parses one JSON document (surrounding whitespace allowed). nullopt for anything malformed:
/// bad tokens, invalid escapes or UTF-8 in strings, duplicate object keys, trailing bytes,
/// depth or size over the limits.
std::optional<RawJson> parse_raw_json(std::string_view text, RawJsonLimits limits = {});

/// Writes `value` back without whitespace, object members in document order, every token as
/// it was read.
std::string write_raw_json(const RawJson& value);

}  // namespace hqadz::core
