#pragma once
/// The master key that seals secrets at rest (DESIGN section 7).

#include "core/config.hpp"
#include "crypto/aead.hpp"

namespace hqadz::app {

/// HQADZ_MASTER_KEY (base64 of 32 bytes) when set; otherwise <data-dir>/master_key, made with
/// 32 random bytes and mode 0600 on first run. Throws on a malformed key (a start-up error);
/// the message never contains the key.
crypto::MasterKey load_master_key(const core::Config& config);

}  // namespace hqadz::app
