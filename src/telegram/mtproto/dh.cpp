#include "telegram/mtproto/dh.hpp"

#include <openssl/bn.h>

#include <memory>

namespace hqadz::telegram::mtproto {
namespace {

using BnPtr = std::unique_ptr<BIGNUM, decltype(&BN_free)>;
using CtxPtr = std::unique_ptr<BN_CTX, decltype(&BN_CTX_free)>;

BnPtr bn(tl::ByteSpan be) {
  return BnPtr(BN_bin2bn(be.data(), static_cast<int>(be.size()), nullptr), BN_free);
}

BnPtr bn_new() { return BnPtr(BN_new(), BN_free); }

core::Error dh_error(std::string message) {
  return core::Error::invalid("dh_params", std::move(message));
}

}  // namespace

core::Status check_dh_params(tl::ByteSpan dh_prime, std::int32_t g) {
  auto p = bn(dh_prime);
  CtxPtr ctx(BN_CTX_new(), BN_CTX_free);
  if (!p || !ctx) {
    return core::Error::internal("BIGNUM allocation failed");
  }
  if (BN_num_bits(p.get()) != 2048) {
    return dh_error("dh_prime is not 2048 bits");
  }
  if (g < 2 || g > 7) {
    return dh_error("g outside 2..7");
  }
  // p mod 8/3/5/24/7 as the generator requires (g = 4 always generates the subgroup).
  auto mod = [&](BN_ULONG m) { return BN_mod_word(p.get(), m); };
  bool ok = true;
  switch (g) {
    case 2:
      ok = mod(8) == 7;
      break;
    case 3:
      ok = mod(3) == 2;
      break;
    case 5:
      ok = mod(5) == 1 || mod(5) == 4;
      break;
    case 6:
      ok = mod(24) == 19 || mod(24) == 23;
      break;
    case 7:
      ok = mod(7) == 3 || mod(7) == 5 || mod(7) == 6;
      break;
    default:
      break;
  }
  if (!ok) {
    return dh_error("g does not generate the prime-order subgroup");
  }
  if (BN_check_prime(p.get(), ctx.get(), nullptr) != 1) {
    return dh_error("dh_prime is not prime");
  }
  auto half = bn_new();
  if (!half || BN_rshift1(half.get(), p.get()) != 1) {
    return core::Error::internal("BIGNUM shift failed");
  }
  if (BN_check_prime(half.get(), ctx.get(), nullptr) != 1) {
    return dh_error("(dh_prime - 1) / 2 is not prime");
  }
  return core::ok_status();
}

core::Status check_dh_value(tl::ByteSpan value, tl::ByteSpan dh_prime) {
  auto v = bn(value);
  auto p = bn(dh_prime);
  auto low = bn_new();
  auto high = bn_new();
  if (!v || !p || !low || !high || BN_set_word(low.get(), 1) != 1 ||
      BN_lshift(low.get(), low.get(), 2048 - 64) != 1 ||
      BN_sub(high.get(), p.get(), low.get()) != 1) {
    return core::Error::internal("BIGNUM allocation failed");
  }
  // The 2^1984 margin implies 1 < v < p - 1.
  if (BN_cmp(v.get(), low.get()) < 0 || BN_cmp(v.get(), high.get()) > 0) {
    return dh_error("DH value outside [2^1984, p - 2^1984]");
  }
  return core::ok_status();
}

}  // namespace hqadz::telegram::mtproto
