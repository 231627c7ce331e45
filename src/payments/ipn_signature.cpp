#include "payments/ipn_signature.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/raw_json.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hashing.hpp"

namespace hqadz::payments {
namespace {

/// UTF-8 (already validated by the parser) → UTF-16 code units, for JavaScript's key order.
std::u16string to_utf16(std::string_view s) {
  std::u16string out;
  for (size_t i = 0; i < s.size();) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    uint32_t cp = b0;
    size_t len = 1;
    if (b0 >= 0xF0) {
      cp = b0 & 0x07;
      len = 4;
    } else if (b0 >= 0xE0) {
      cp = b0 & 0x0F;
      len = 3;
    } else if (b0 >= 0xC0) {
      cp = b0 & 0x1F;
      len = 2;
    }
    for (size_t k = 1; k < len && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out += static_cast<char16_t>(0xD800 + (cp >> 10));
      out += static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
    } else {
      out += static_cast<char16_t>(cp);
    }
  }
  return out;
}

void sort_keys(core::RawJson& v) {
  if (v.kind == core::RawJson::Kind::kObject) {
    std::vector<std::pair<std::u16string, core::RawJson::Member>> keyed;
    keyed.reserve(v.members.size());
    for (auto& m : v.members) {
      sort_keys(m.value);
      keyed.emplace_back(to_utf16(m.name), std::move(m));
    }
    std::stable_sort(keyed.begin(), keyed.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    v.members.clear();
    for (auto& [k, m] : keyed) {
      v.members.push_back(std::move(m));
    }
  } else if (v.kind == core::RawJson::Kind::kArray) {
    for (auto& e : v.elements) {
      sort_keys(e);
    }
  }
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) {
    return {};
  }
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> canonicalize_ipn_body(std::string_view body) {
  auto parsed = core::parse_raw_json(body, {.max_depth = 32, .max_bytes = 256 * 1024});
  if (!parsed || parsed->kind != core::RawJson::Kind::kObject) {
    return std::nullopt;
  }
  sort_keys(*parsed);
  return core::write_raw_json(*parsed);
}

std::string sign_ipn_body(std::string_view body, std::string_view secret) {
  return crypto::to_hex(crypto::hmac_sha512(trim(secret), body));
}

IpnVerdict verify_ipn_signature(std::string_view body, std::string_view signature,
                                std::string_view secret) {
  const std::string key = trim(secret);
  if (key.empty()) {
    return IpnVerdict::kNoSecret;
  }
  const std::string sig = lower(trim(signature));
  if (sig.empty()) {
    return IpnVerdict::kMissingSignature;
  }
  if (crypto::constant_time_equal(sign_ipn_body(body, key), sig)) {
    return IpnVerdict::kValid;
  }
  if (auto canonical = canonicalize_ipn_body(body);
      canonical && *canonical != body &&
      crypto::constant_time_equal(sign_ipn_body(*canonical, key), sig)) {
    return IpnVerdict::kValidCanonical;
  }
  return IpnVerdict::kBadSignature;
}

const char* verdict_name(IpnVerdict v) {
  switch (v) {
    case IpnVerdict::kValid: return "valid";
    case IpnVerdict::kValidCanonical: return "valid_canonical";
    case IpnVerdict::kMissingSignature: return "missing_signature";
    case IpnVerdict::kBadSignature: return "bad_signature";
    case IpnVerdict::kNoSecret: return "no_secret";
  }
  return "unknown";
}

}  // namespace hqadz::payments
