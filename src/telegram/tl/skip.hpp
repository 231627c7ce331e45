#pragma once
/// Validating skip over any constructor of the layer schema, driven by generated tables.
///
/// TL has no length prefixes, so an object we do not model can only be stepped over by knowing
/// its layout. The generator turns the whole layer schema into these tables; Opaque uses them.

#include <cstdint>
#include <span>

#include "telegram/tl/reader.hpp"

namespace hqadz::telegram::tl::skip {

enum class Kind : std::uint8_t {
  kNat,
  kInt,
  kLong,
  kDouble,
  kInt128,
  kInt256,
  kString,
  kTrue,
  kBoxed,       // ref: type index
  kBare,        // ref: constructor index
  kVector,      // ref: element node index
  kBareVector,  // ref: element node index
  kUnsupported,
};

struct Node {
  Kind kind;
  std::uint32_t ref;
};

struct Arg {
  std::uint16_t node;
  std::int16_t cond_arg;  // index among the constructor's args of its `#` field; -1: always
  std::int8_t cond_bit;
};

struct Constructor {
  std::uint32_t id;
  std::uint16_t type;
  std::uint32_t first_arg;
  std::uint16_t arg_count;
};

struct Tables {
  std::span<const Constructor> constructors;  // sorted by id
  std::span<const Arg> args;
  std::span<const Node> nodes;
  std::span<const char* const> type_names;
  std::uint32_t vector_id;  // TL's `vector` constructor
};

/// The constructor with this id, or nullptr.
const Constructor* find(const Tables& t, std::uint32_t id);
/// Steps over a constructor's fields (its id already read). Fails the reader on bad data.
void skip_body(Reader& r, const Tables& t, const Constructor& c);
/// Steps over a boxed object of `type`, failing on an id of another type.
void skip_boxed(Reader& r, const Tables& t, std::uint16_t type);

}  // namespace hqadz::telegram::tl::skip
