#pragma once
/// Values generated code holds when it does not model a TL object field by field.

#include <cstdint>

#include "telegram/tl/bytes.hpp"
#include "telegram/tl/reader.hpp"
#include "telegram/tl/skip.hpp"
#include "telegram/tl/writer.hpp"

namespace hqadz::telegram::tl {

/// An object of a type in the layer schema that we do not generate (e.g. MessageMedia), or a
/// constructor of a generated type that we do not list. It was fully validated against the
/// layer schema while read; it re-serializes to the same bytes.
struct Opaque {
  std::uint32_t id = 0;  // its constructor id
  Bytes bytes;           // as on the wire, constructor id included

  void serialize(Writer& w) const { w.write_raw(bytes); }
  bool operator==(const Opaque&) const = default;

  /// Reads a boxed object of layer type `type` (an index into `tables`).
  static Opaque read(Reader& r, const skip::Tables& tables, std::uint16_t type);
  /// As read(), when the constructor id (at `start`) has already been consumed.
  static Opaque read_after_id(Reader& r, const skip::Tables& tables, std::uint16_t type,
                              std::size_t start, std::uint32_t id);
};

/// `!X` or `Object`: a serialized object of any type, kept as bytes. When parsed it takes the
/// rest of the reader, so it is only generated for a combinator's last field (which is where
/// TL puts `query:!X` and `result:Object`); callers bound the reader to the object.
struct RawObject {
  Bytes bytes;

  void serialize(Writer& w) const { w.write_raw(bytes); }
  bool operator==(const RawObject&) const = default;
  static RawObject read(Reader& r) {
    auto rest = r.read_rest();
    return {Bytes(rest.begin(), rest.end())};
  }
  /// Serializes any generated object.
  template <typename T>
  static RawObject of(const T& object) {
    Writer w;
    object.serialize(w);
    return {w.take()};
  }
};

}  // namespace hqadz::telegram::tl
