#pragma once
/// What can still be read from a result that does not parse at our layer. Telegram sends
/// constructors newer than the layer a client declared (mostly `user`, inside the users of an
/// Updates); a forward or a join answered that way still happened (issue 15 point 1).

#include <cstdint>
#include <optional>
#include <string_view>

#include "telegram/tl/bytes.hpp"
#include "telegram/tl/reader.hpp"

namespace hqadz::telegram::salvage {

/// Logs the constructor that failed `r` (a warning, once per constructor id per process: a
/// newer layer's object keeps coming, the log should not).
void note_unparsed(std::string_view method, const tl::Reader& r);

/// The new message's id for `random_id` in a forward's result (Updates or UpdatesCombined)
/// whose tail does not parse: the updates read before the unknown constructor first, then a
/// scan of the raw bytes for updateMessageID carrying our random_id (64 random bits: a false
/// match is not a practical concern).
std::optional<std::int32_t> forward_message_id(tl::ByteSpan raw, std::int64_t random_id);

/// The scan alone: updateMessageID{id, random_id} anywhere in `raw`, on 4-byte boundaries.
std::optional<std::int32_t> scan_message_id(tl::ByteSpan raw, std::int64_t random_id);

}  // namespace hqadz::telegram::salvage
