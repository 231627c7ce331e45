#pragma once
/// Secrets generated once and kept in the data dir (mode 0600) when not given by environment.

#include <string>

namespace hqadz::app {

/// Raw bytes of the secret in `path` (base64 in the file), created with `bytes` random bytes
/// when missing. Safe against two processes creating it at once. Throws on I/O errors.
std::string load_or_create_secret(const std::string& path, size_t bytes);

}  // namespace hqadz::app
