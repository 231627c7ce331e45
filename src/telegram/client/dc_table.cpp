#include "telegram/client/dc_table.hpp"

#include <nlohmann/json.hpp>

namespace hqadz::telegram {
namespace {

core::Error bad(std::string message) {
  return core::Error::invalid("bad_telegram_dcs", std::move(message));
}

}  // namespace

DcTable::DcTable(std::vector<DcAddress> dcs, std::vector<std::string> rsa_pems)
    : dcs_(std::move(dcs)), pems_(std::move(rsa_pems)) {
  for (const auto& pem : pems_) {
    auto key = mtproto::RsaPublicKey::from_pem(pem);
    if (key.ok()) {
      keys_.push_back(std::move(key).value());
    }
  }
}

core::Result<DcTable> DcTable::parse(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return bad("HQADZ_TELEGRAM_DCS is not a JSON object");
  }
  auto dcs_it = j.find("dcs");
  if (dcs_it == j.end() || !dcs_it->is_array() || dcs_it->empty()) {
    return bad("\"dcs\" must be a non-empty array");
  }
  std::vector<DcAddress> dcs;
  for (const auto& d : *dcs_it) {
    if (!d.is_object() || !d.contains("id") || !d["id"].is_number_integer() ||
        !d.contains("host") || !d["host"].is_string() || !d.contains("port") ||
        !d["port"].is_number_integer()) {
      return bad("each dc needs an integer id, a string host and an integer port");
    }
    auto id = d["id"].get<int64_t>();
    auto port = d["port"].get<int64_t>();
    if (id < 1 || id > 1000 || port < 1 || port > 65535) {
      return bad("dc id must be 1..1000 and port 1..65535");
    }
    dcs.push_back({static_cast<int>(id), d["host"].get<std::string>(),
                   static_cast<std::uint16_t>(port)});
  }
  std::vector<std::string> pems;
  if (auto keys = j.find("rsa_public_keys"); keys != j.end()) {
    if (!keys->is_array()) {
      return bad("\"rsa_public_keys\" must be an array of PEM strings");
    }
    for (const auto& k : *keys) {
      if (!k.is_string() || !mtproto::RsaPublicKey::from_pem(k.get<std::string>()).ok()) {
        return bad("an RSA public key is not a 2048-bit RSA key in PEM form");
      }
      pems.push_back(k.get<std::string>());
    }
  } else {
    pems = telegram_defaults().pems_;
  }
  return DcTable(std::move(dcs), std::move(pems));
}

core::Result<DcTable> DcTable::from_setting(std::string_view value) {
  if (value.empty()) {
    return telegram_defaults();
  }
  return parse(value);
}

const DcAddress* DcTable::find(int dc_id) const {
  for (const auto& d : dcs_) {
    if (d.id == dc_id) {
      return &d;
    }
  }
  return nullptr;
}

std::string DcTable::to_json() const {
  nlohmann::json dcs = nlohmann::json::array();
  for (const auto& d : dcs_) {
    dcs.push_back({{"id", d.id}, {"host", d.host}, {"port", d.port}});
  }
  return nlohmann::json{{"dcs", dcs}, {"rsa_public_keys", pems_}}.dump();
}

}  // namespace hqadz::telegram
