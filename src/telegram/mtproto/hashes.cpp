#include "telegram/mtproto/hashes.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdlib>
#include <memory>

namespace hqadz::telegram::mtproto {
namespace {

template <std::size_t N>
std::array<std::uint8_t, N> digest(const EVP_MD* md, std::initializer_list<tl::ByteSpan> parts) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::array<std::uint8_t, N> out{};
  unsigned int len = 0;
  bool ok = ctx && EVP_DigestInit_ex(ctx.get(), md, nullptr) == 1;
  for (auto p : parts) {
    ok = ok && EVP_DigestUpdate(ctx.get(), p.data(), p.size()) == 1;
  }
  ok = ok && EVP_DigestFinal_ex(ctx.get(), out.data(), &len) == 1 && len == N;
  if (!ok) {
    std::abort();  // only on allocation failure inside OpenSSL
  }
  return out;
}

}  // namespace

Sha1 sha1(std::initializer_list<tl::ByteSpan> parts) { return digest<20>(EVP_sha1(), parts); }

Sha256 sha256(std::initializer_list<tl::ByteSpan> parts) { return digest<32>(EVP_sha256(), parts); }

bool equal_ct(tl::ByteSpan a, tl::ByteSpan b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace hqadz::telegram::mtproto
