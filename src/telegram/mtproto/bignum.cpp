#include "telegram/mtproto/bignum.hpp"

#include <openssl/bn.h>

#include <memory>

namespace hqadz::telegram::mtproto {
namespace {

using BnPtr = std::unique_ptr<BIGNUM, decltype(&BN_clear_free)>;

BnPtr bn(tl::ByteSpan be) {
  return BnPtr(BN_bin2bn(be.data(), static_cast<int>(be.size()), nullptr), BN_clear_free);
}

}  // namespace

core::Result<tl::Bytes> mod_pow(tl::ByteSpan base, tl::ByteSpan exponent, tl::ByteSpan modulus) {
  auto b = bn(base);
  auto e = bn(exponent);
  auto m = bn(modulus);
  BnPtr r(BN_new(), BN_clear_free);
  std::unique_ptr<BN_CTX, decltype(&BN_CTX_free)> ctx(BN_CTX_new(), BN_CTX_free);
  if (!b || !e || !m || !r || !ctx) {
    return core::Error::internal("BIGNUM allocation failed");
  }
  if (BN_is_zero(m.get()) != 0 || BN_is_one(m.get()) != 0) {
    return core::Error::invalid("bad_modulus", "modulus must exceed 1");
  }
  if (BN_mod_exp(r.get(), b.get(), e.get(), m.get(), ctx.get()) != 1) {
    return core::Error::internal("BN_mod_exp failed");
  }
  tl::Bytes out(static_cast<std::size_t>(BN_num_bytes(m.get())));
  if (BN_bn2binpad(r.get(), out.data(), static_cast<int>(out.size())) < 0) {
    return core::Error::internal("BN_bn2binpad failed");
  }
  return out;
}

int compare_be(tl::ByteSpan a, tl::ByteSpan b) {
  while (!a.empty() && a.front() == 0) {
    a = a.subspan(1);
  }
  while (!b.empty() && b.front() == 0) {
    b = b.subspan(1);
  }
  if (a.size() != b.size()) {
    return a.size() < b.size() ? -1 : 1;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) {
      return a[i] < b[i] ? -1 : 1;
    }
  }
  return 0;
}

tl::Bytes be_bytes(std::uint64_t v) {
  tl::Bytes out;
  for (int shift = 56; shift >= 0; shift -= 8) {
    auto byte = static_cast<std::uint8_t>(v >> shift);
    if (!out.empty() || byte != 0 || shift == 0) {
      out.push_back(byte);
    }
  }
  return out;
}

}  // namespace hqadz::telegram::mtproto
