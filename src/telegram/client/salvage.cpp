#include "telegram/client/salvage.hpp"

#include <spdlog/spdlog.h>

#include <cstring>
#include <mutex>
#include <set>

#include "telegram/tl/generated/tl_types.hpp"

namespace hqadz::telegram::salvage {

void note_unparsed(std::string_view method, const tl::Reader& r) {
  // Process-wide on purpose: every account meets the same newer constructor, and one line per
  // id is what an operator needs to see that the layer should move.
  static std::mutex mutex;
  static std::set<std::uint32_t> seen;  // guarded by mutex
  const std::uint32_t id = r.unknown_constructor();
  {
    std::lock_guard lock(mutex);
    if (!seen.insert(id).second) {
      return;
    }
  }
  if (id != 0) {
    spdlog::warn("telegram: {} answered with constructor #{:08x}, newer than our layer {}; "
                 "kept what was read before it",
                 method, id, tl::kLayer);
  } else {
    spdlog::warn("telegram: {} answered with a result we cannot read ({}); kept what was read",
                 method, r.error().message);
  }
}

std::optional<std::int32_t> scan_message_id(tl::ByteSpan raw, std::int64_t random_id) {
  constexpr std::size_t kSize = 4 + 4 + 8;  // updateMessageID: id, int, long
  for (std::size_t at = 0; at + kSize <= raw.size(); at += 4) {
    std::uint32_t id = 0;
    std::int64_t rid = 0;
    std::memcpy(&id, raw.data() + at, 4);  // TL is little-endian, as is every host we build on
    std::memcpy(&rid, raw.data() + at + 8, 8);
    if (id == tl::UpdateMessageID::kId && rid == random_id) {
      std::int32_t message_id = 0;
      std::memcpy(&message_id, raw.data() + at + 4, 4);
      return message_id;
    }
  }
  return std::nullopt;
}

std::optional<std::int32_t> forward_message_id(tl::ByteSpan raw, std::int64_t random_id) {
  tl::Reader r(raw);
  const std::uint32_t id = r.read_uint32();
  if (id == tl::Updates::kId || id == tl::UpdatesCombined::kId) {
    // Both begin with updates:Vector<Update>; stop at the first update we cannot read.
    r.expect_id(tl::kVectorId, "Vector");
    const auto count = r.read_count(4);
    for (std::uint32_t i = 0; i < count && !r.failed(); ++i) {
      auto update = tl::AnyUpdate::read(r);
      if (r.failed()) {
        break;
      }
      const auto* m = update.get<tl::UpdateMessageID>();
      if (m != nullptr && m->random_id == random_id) {
        return m->id;
      }
    }
  }
  return scan_message_id(raw, random_id);
}

}  // namespace hqadz::telegram::salvage
