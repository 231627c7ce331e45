// libFuzzer target: the TL deserializer (src/telegram/tl) and the generated types.
// Input: byte 0 picks what to read; the rest is the wire bytes.
//   0          → an object of any layer type through the skip tables (Opaque), type index from
//                bytes 1-2; what it keeps must be exactly the bytes it consumed.
//   otherwise  → a generated type (wrappers, standalone types, RPC functions and their results).
// Properties: never crashes; a value that parsed re-serializes to bytes that parse to an equal
// value, consume all of themselves, and serialize to the same bytes again.
#include <cstddef>
#include <cstdint>
#include <iterator>

#include "tl_fuzz_entries.hpp"

namespace t = hqadz::fuzz::tl_target;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  t::kEntries[data[0] % std::size(t::kEntries)].run(t::tl::ByteSpan(data + 1, size - 1));
  return 0;
}
