#include "telegram/mtproto/auth_key.hpp"

#include <algorithm>

#include "telegram/mtproto/hashes.hpp"

namespace hqadz::telegram::mtproto {

core::Result<AuthKey> AuthKey::from_bytes(tl::ByteSpan key) {
  if (key.size() != kSize) {
    return core::Error::invalid("auth_key_size", "an auth key is 256 bytes");
  }
  Raw raw{};
  std::copy(key.begin(), key.end(), raw.begin());
  return AuthKey(raw);
}

AuthKey::AuthKey(const Raw& key) : key_(key) {
  auto h = sha1({key_});
  std::copy(h.begin(), h.begin() + 8, aux_hash_.begin());
  for (int i = 0; i < 8; ++i) {
    id_ |= static_cast<std::uint64_t>(h[12 + i]) << (8 * i);
  }
}

}  // namespace hqadz::telegram::mtproto
