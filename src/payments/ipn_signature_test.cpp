#include "payments/ipn_signature.hpp"

#include <gtest/gtest.h>

namespace hqadz::payments {
namespace {

// docs/NOWPAYMENTS.md, test vectors (secret "test-secret").
constexpr const char* kVector1 =
    R"json({"actually_paid":0,"actually_paid_at_fiat":0,"fee":{"currency":"eth","depositFee":0,"serviceFee":0,"withdrawalFee":0},"invoice_id":6070266182,"order_description":"DESCRIPTION | ItemName x1 (+1 more)","order_id":"SAMPLE","outcome_amount":0.001408,"outcome_currency":"eth","parent_payment_id":null,"pay_address":"MEEim9nyiAWcDbMAqVZj6tE5xktqbSDrCJ","pay_amount":0.05716941,"pay_currency":"ltc","payin_extra_id":null,"payment_extra_ids":null,"payment_id":4492847470,"payment_status":"finished","price_amount":3.21,"price_currency":"usd","purchase_id":"6105448077","updated_at":1774390831880})json";
constexpr const char* kSig1 =
    "b0c7a66729568f6b1cc77770177120bbea8c2004b1e09fab620d91ae3a769406dbaa7c61dc423c68dd360808762c"
    "3984993c7b7fe9733205348d0dbc2d18d91f";
constexpr const char* kVector2Canonical =
    "{\"actually_paid\":0.0000635,\"fee\":{\"currency\":\"btc\",\"depositFee\":1e-7,"
    "\"serviceFee\":0},\"order_description\":\"Caf\xC3\xA9 / x\",\"pay_address\":\"0xd1c\","
    "\"payment_id\":5077125051,\"payment_status\":\"finished\",\"price_amount\":170}";
constexpr const char* kVector2Unsorted =
    "{ \"payment_status\": \"finished\", \"price_amount\": 170,\n  \"fee\": {\"serviceFee\": 0, "
    "\"depositFee\": 1e-7, \"currency\": \"btc\"},\n  \"pay_address\": \"0xd1c\", "
    "\"order_description\": \"Caf\xC3\xA9 / x\", \"actually_paid\": 0.0000635, "
    "\"payment_id\": 5077125051 }";
constexpr const char* kSig2 =
    "98d043455476da488b39ca47f6b839a20e910e7f6576931390939b787c54a9addba6cf50773be553ee2c584a6f98"
    "a11ec1eba1aea607f9f83bbaabcea490b8c0";

TEST(IpnSignature, Vector1VerifiesOnTheRawBytes) {
  EXPECT_EQ(sign_ipn_body(kVector1, "test-secret"), kSig1);
  EXPECT_EQ(verify_ipn_signature(kVector1, kSig1, "test-secret"), IpnVerdict::kValid);
  EXPECT_EQ(verify_ipn_signature(kVector1, kSig1, "  test-secret\n"), IpnVerdict::kValid);
}

TEST(IpnSignature, Vector2CanonicalFormVerifies) {
  EXPECT_EQ(sign_ipn_body(kVector2Canonical, "test-secret"), kSig2);
  EXPECT_EQ(*canonicalize_ipn_body(kVector2Unsorted), kVector2Canonical);
  EXPECT_EQ(verify_ipn_signature(kVector2Unsorted, kSig2, "test-secret"),
            IpnVerdict::kValidCanonical);
  EXPECT_EQ(verify_ipn_signature(kVector2Canonical, kSig2, "test-secret"), IpnVerdict::kValid);
}

TEST(IpnSignature, UppercaseHexIsTheSameSignature) {
  std::string upper = kSig1;
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(c));
  }
  EXPECT_TRUE(is_valid(verify_ipn_signature(kVector1, upper, "test-secret")));
}

TEST(IpnSignature, RefusesTamperingWrongSecretAndMissingHeader) {
  std::string tampered = kVector1;
  tampered.replace(tampered.find("\"price_amount\":3.21"), 19, "\"price_amount\":9.21");
  EXPECT_EQ(verify_ipn_signature(tampered, kSig1, "test-secret"), IpnVerdict::kBadSignature);
  EXPECT_EQ(verify_ipn_signature(kVector1, kSig1, "other-secret"), IpnVerdict::kBadSignature);
  EXPECT_EQ(verify_ipn_signature(kVector1, "", "test-secret"), IpnVerdict::kMissingSignature);
  EXPECT_EQ(verify_ipn_signature(kVector1, kSig1, ""), IpnVerdict::kNoSecret);
  EXPECT_EQ(verify_ipn_signature(kVector1, std::string(kSig1).substr(0, 64), "test-secret"),
            IpnVerdict::kBadSignature);
}

TEST(IpnSignature, ReserializedNumbersBreakTheSignature) {
  // What a parse-and-dump would do: 1e-7 → 1e-07, 170 → 170.0. The canonical fallback copies
  // tokens, so the numbers stay changed and the signature fails.
  std::string redumped = kVector2Canonical;
  redumped.replace(redumped.find("1e-7"), 4, "1e-07");
  EXPECT_EQ(verify_ipn_signature(redumped, kSig2, "test-secret"), IpnVerdict::kBadSignature);
  std::string redumped2 = kVector2Canonical;
  redumped2.replace(redumped2.find("170}"), 4, "170.0}");
  EXPECT_EQ(verify_ipn_signature(redumped2, kSig2, "test-secret"), IpnVerdict::kBadSignature);
}

TEST(IpnSignature, CanonicalizerSortsByUtf16AndRefusesGarbage) {
  // U+FF5E (3 UTF-8 bytes, one UTF-16 unit) sorts after U+1F600 (4 bytes, a surrogate pair)
  // in JavaScript even though its UTF-8 bytes are smaller.
  const std::string body = "{\"\xEF\xBD\x9E\":1,\"\xF0\x9F\x98\x80\":2,\"a\":[{\"z\":1,\"b\":2}]}";
  EXPECT_EQ(*canonicalize_ipn_body(body),
            "{\"a\":[{\"b\":2,\"z\":1}],\"\xF0\x9F\x98\x80\":2,\"\xEF\xBD\x9E\":1}");
  for (const char* bad : {"", "[]", "{\"a\":1", "{\"a\":1,\"a\":2}", "nul", "{\"a\":1} x"}) {
    EXPECT_FALSE(canonicalize_ipn_body(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace hqadz::payments
