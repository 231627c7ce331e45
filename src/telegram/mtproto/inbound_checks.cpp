#include "telegram/mtproto/inbound_checks.hpp"

#include <algorithm>

#include "telegram/tl/generated/tl_types.hpp"
#include "telegram/tl/reader.hpp"

namespace hqadz::telegram::mtproto {

InboundChecker::InboundChecker(const core::Clock& clock, InboundPolicy policy)
    : clock_(clock), policy_(policy) {}

void InboundChecker::reset(std::int64_t session_id) {
  session_id_ = session_id;
  seen_ = {};
}

Expected<core::Unit, InboundErrc> InboundChecker::check(const PlainMessage& m, Options options) {
  if (m.session_id != session_id_) {
    return InboundErrc::kSessionMismatch;
  }
  auto id = static_cast<std::uint64_t>(m.msg_id);
  bool parity_ok = policy_.sender == Sender::kServer ? (id & 1u) == 1u : (id & 3u) == 0u;
  if (!parity_ok) {
    return InboundErrc::kBadMsgIdParity;
  }
  if (options.check_time) {
    auto now =
        std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count() +
        time_offset_;
    auto sent = static_cast<std::int64_t>(id >> 32);
    if (sent < now - policy_.max_age.count()) {
      return InboundErrc::kMsgIdTooOld;
    }
    if (sent > now + policy_.max_ahead.count()) {
      return InboundErrc::kMsgIdTooNew;
    }
  }
  auto at = std::lower_bound(seen_.begin(), seen_.end(), m.msg_id);
  if ((at != seen_.end() && *at == m.msg_id) ||
      (!seen_.empty() && seen_.size() >= policy_.remember && m.msg_id < seen_.front())) {
    return InboundErrc::kDuplicateMsgId;
  }
  if (options.check_salt && !salts_.empty() &&
      std::find(salts_.begin(), salts_.end(), m.salt) == salts_.end()) {
    return InboundErrc::kSaltMismatch;
  }
  if (policy_.remember == 0) {
    return core::Unit{};
  }
  auto pos = at - seen_.begin();
  if (seen_.size() >= policy_.remember) {
    // Full: forget the oldest first, so the vector never grows past `remember` ids. The new id
    // is above it (else it was refused as too old above), so pos >= 1.
    seen_.erase(seen_.begin());
    --pos;
  }
  seen_.insert(seen_.begin() + pos, m.msg_id);
  return core::Unit{};
}

InboundChecker::Options InboundChecker::options_for(tl::ByteSpan body) {
  tl::Reader r(body);
  auto id = r.read_uint32();
  if (id == tl::BadServerSalt::kId || id == tl::BadMsgNotification::kId) {
    return {.check_time = false, .check_salt = false};
  }
  if (id == tl::NewSessionCreated::kId) {
    return {.check_time = true, .check_salt = false};
  }
  return {};
}

std::string_view to_string(InboundErrc e) {
  switch (e) {
    case InboundErrc::kSessionMismatch:
      return "session_mismatch";
    case InboundErrc::kBadMsgIdParity:
      return "bad_msg_id_parity";
    case InboundErrc::kMsgIdTooOld:
      return "msg_id_too_old";
    case InboundErrc::kMsgIdTooNew:
      return "msg_id_too_new";
    case InboundErrc::kDuplicateMsgId:
      return "duplicate_msg_id";
    case InboundErrc::kSaltMismatch:
      return "salt_mismatch";
  }
  return "unknown";
}

}  // namespace hqadz::telegram::mtproto
