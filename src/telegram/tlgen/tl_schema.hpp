#pragma once
/// The TL schema language, as far as Telegram's api.tl and mtproto.tl use it: combinators with
/// `#id`, `{X:Type}` parameters, `flags:#`, `name:flags.N?Type`, `Vector<T>`, bare `vector<T>`,
/// `%Type`, `!X`. Used by the build-time generator only; errors throw (a bad schema is a
/// build failure, not runtime input).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hqadz::telegram::tlgen {

struct TypeRef {
  enum class Kind {
    kNat,  // `#`: a flags word
    kInt,
    kLong,
    kDouble,
    kInt128,
    kInt256,
    kString,
    kBytes,
    kTrue,        // only meaningful under a flag: no bytes on the wire
    kBool,        // boxed boolTrue/boolFalse
    kVector,      // boxed Vector<T>
    kBareVector,  // vector<T>: count then elements
    kBoxed,       // a named (abstract) type, read with its constructor id
    kBare,        // a bare constructor (lower-case name) or `%Type`
    kAny,         // `!X`, a type parameter, or `Object`: any serialized object
  };
  Kind kind = Kind::kInt;
  std::string name;               // kBoxed: type name; kBare: constructor or type name
  std::shared_ptr<TypeRef> elem;  // vectors
};

struct Arg {
  std::string name;
  TypeRef type;
  std::string cond_field;  // the `#` field this one depends on; empty if unconditional
  int cond_bit = -1;
};

struct Combinator {
  std::string name;  // e.g. "messages.forwardMessages"
  std::uint32_t id = 0;
  bool has_id = false;
  std::vector<std::string> params;  // `{X:Type}`
  std::vector<Arg> args;
  std::string result;  // e.g. "Updates", "Vector<User>", "X"
  bool is_function = false;
  bool id_only = false;  // `// @tlgen id-only`: only the constructor id is generated
  std::string line;      // the source line, trimmed
  int line_no = 0;
};

struct Schema {
  std::vector<Combinator> items;
  std::optional<int> layer;                // from a `// LAYER N` comment
  std::optional<std::uint32_t> vector_id;  // from TL's own `vector#...` line
};

/// Parses schema text. `lenient`: lines that are not combinators with an id are skipped
/// (the full upstream files carry a few); otherwise they are an error.
Schema parse_schema(std::string_view text, bool lenient);

/// Parses one type expression such as `Vector<long>` or `%Message`.
TypeRef parse_type(std::string_view text, const std::vector<std::string>& params);

/// The constructor id TL derives from a line: CRC32 of the line normalized as the TL docs
/// describe (no id, `bytes` written as `string`, no `?true` flags, no braces or angle brackets).
std::uint32_t inferred_id(std::string_view line);

/// "messages.forwardMessages" → {"messages", "forwardMessages"}.
std::pair<std::string, std::string> split_namespace(const std::string& name);

/// "p_q_inner_data_dc" → "PQInnerDataDc"; "forwardMessages" → "ForwardMessages".
std::string pascal_case(std::string_view name);

}  // namespace hqadz::telegram::tlgen
