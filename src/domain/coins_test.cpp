#include "domain/coins.hpp"

#include <gtest/gtest.h>

namespace hqadz::domain {
namespace {

core::Decimal dec(const char* s) { return *core::Decimal::parse(s); }

TEST(Coins, EveryCheckoutCoinIsNamedWithItsNetwork) {
  struct Case {
    const char* code;
    const char* ticker;
    const char* name;
    const char* network;
  };
  // The codes the web checkout offers.
  for (const Case& c :
       {Case{"usdttrc20", "USDT", "Tether USD", "TRON (TRC-20)"},
        Case{"usdterc20", "USDT", "Tether USD", "Ethereum (ERC-20)"},
        Case{"btc", "BTC", "Bitcoin", "Bitcoin"}, Case{"eth", "ETH", "Ethereum", "Ethereum"},
        Case{"ltc", "LTC", "Litecoin", "Litecoin"}, Case{"trx", "TRX", "TRON", "TRON"},
        Case{"ton", "TON", "Toncoin", "TON"}, Case{"sol", "SOL", "Solana", "Solana"}}) {
    const Coin coin = coin_of(c.code);
    EXPECT_EQ(coin.ticker, c.ticker) << c.code;
    EXPECT_EQ(coin.name, c.name) << c.code;
    EXPECT_EQ(coin.network, std::optional<std::string>(c.network)) << c.code;
    EXPECT_FALSE(coin.fiat) << c.code;
  }
  EXPECT_EQ(coin_of("USDTTRC20").ticker, "USDT");  // any case
}

TEST(Coins, FiatHasNoNetworkAndAnUnknownCodeIsNotGivenOne) {
  const Coin usd = coin_of("usd");
  EXPECT_EQ(usd.ticker, "USD");
  EXPECT_EQ(usd.name, "US dollar");
  EXPECT_FALSE(usd.network.has_value());
  EXPECT_TRUE(usd.fiat);
  const Coin odd = coin_of("xyzcoin");
  EXPECT_EQ(odd.ticker, "XYZCOIN");
  EXPECT_FALSE(odd.network.has_value());
  EXPECT_FALSE(odd.fiat);
}

TEST(Coins, PaymentUrisCarryTheAmountWhereAStandardExists) {
  const std::optional<std::string> none;
  EXPECT_EQ(payment_uri("btc", "bc1qxyz", dec("0.00123"), none), "bitcoin:bc1qxyz?amount=0.00123");
  EXPECT_EQ(payment_uri("LTC", "MEEim9ny", dec("0.05716941"), none),
            "litecoin:MEEim9ny?amount=0.05716941");
  // EIP-681: the value in wei, exactly (18 decimals, no double on the way).
  EXPECT_EQ(payment_uri("eth", "0xd1c", dec("0.00123"), none),
            "ethereum:0xd1c?value=1230000000000000");
  EXPECT_EQ(payment_uri("eth", "0xd1c", dec("2"), none),
            "ethereum:0xd1c?value=2000000000000000000");
  EXPECT_EQ(payment_uri("ton", "EQAbc-_1", dec("1.5"), std::string("memo 7")),
            "ton://transfer/EQAbc-_1?amount=1500000000&text=memo%207");
  EXPECT_EQ(payment_uri("sol", "So1ana", dec("0.25"), none), "solana:So1ana?amount=0.25");
}

TEST(Coins, NoUriWhereItWouldMisleadOrLoseTheDeposit) {
  const std::optional<std::string> none;
  for (const char* token : {"usdttrc20", "usdterc20", "trx", "usd", "xyzcoin"}) {
    EXPECT_FALSE(payment_uri(token, "Taddr", dec("10"), none).has_value()) << token;
  }
  EXPECT_FALSE(payment_uri("btc", "bc1q xyz", dec("1"), none).has_value());  // not an address
  EXPECT_FALSE(payment_uri("btc", "bc1q?amount=9", dec("1"), none).has_value());
  EXPECT_FALSE(payment_uri("btc", "", dec("1"), none).has_value());
  EXPECT_FALSE(payment_uri("btc", "bc1q", dec("0"), none).has_value());
  EXPECT_FALSE(payment_uri("btc", "bc1q", dec("1"), std::string("42")).has_value());  // a memo
  // TON has 9 decimals: a tenth would be rounded away, so no URI rather than an underpayment.
  EXPECT_FALSE(payment_uri("ton", "EQA", dec("0.0000000001"), none).has_value());
}

}  // namespace
}  // namespace hqadz::domain
