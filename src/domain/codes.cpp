#include "domain/codes.hpp"

#include "crypto/random.hpp"

namespace hqadz::domain {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford: no I, L, O, U
constexpr size_t kCodeSymbols = 28;

std::string random_symbols(size_t n) {
  // 5 bits per symbol from a fresh random byte each: uniform since 256 % 32 == 0.
  const std::string bytes = crypto::random_bytes(n);
  std::string out;
  out.reserve(n);
  for (unsigned char b : bytes) {
    out.push_back(kAlphabet[b & 31]);
  }
  return out;
}

std::string grouped(const std::string& s, size_t group, const char* prefix) {
  std::string out = prefix;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && i % group == 0) {
      out.push_back('-');
    }
    out.push_back(s[i]);
  }
  return out;
}

}  // namespace

std::string generate_access_code() { return grouped(random_symbols(kCodeSymbols), 4, ""); }

std::optional<std::string> normalize_access_code(std::string_view input) {
  if (input.size() > 64) {
    return std::nullopt;
  }
  std::string out;
  for (char c : input) {
    if (c == '-' || c == ' ') {
      continue;
    }
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
    if (c == 'O') {
      c = '0';
    } else if (c == 'I' || c == 'L') {
      c = '1';
    }
    bool ok = false;
    for (const char* a = kAlphabet; *a != '\0'; ++a) {
      ok = ok || *a == c;
    }
    if (!ok) {
      return std::nullopt;
    }
    out.push_back(c);
  }
  if (out.size() != kCodeSymbols) {
    return std::nullopt;
  }
  return out;
}

std::string generate_license_key() { return grouped(random_symbols(20), 5, "HQ-"); }

}  // namespace hqadz::domain
