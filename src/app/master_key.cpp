#include "app/master_key.hpp"

#include <stdexcept>

#include "app/secrets.hpp"

namespace hqadz::app {

crypto::MasterKey load_master_key(const core::Config& config) {
  if (!config.master_key.empty()) {
    auto key = crypto::MasterKey::from_base64(config.master_key);
    if (!key.ok()) {
      throw std::runtime_error(key.error().message);
    }
    return *key;
  }
  // In production the key should come from a secret store: a key beside the database means a
  // backup of the data dir holds both.
  const std::string raw =
      load_or_create_secret(config.data_dir + "/master_key", crypto::MasterKey::kBytes);
  auto key =
      crypto::MasterKey::from_bytes(std::string_view(raw).substr(0, crypto::MasterKey::kBytes));
  if (!key.ok()) {
    throw std::runtime_error(config.data_dir + "/master_key does not hold a valid key");
  }
  return *key;
}

}  // namespace hqadz::app
