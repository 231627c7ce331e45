#pragma once
/// The currencies a payment can be in, described for people: the ticker they know, the coin's
/// name and the network a deposit must travel on ("send only USDT on TRON (TRC-20)"), and the
/// payment URI a wallet reads from a QR code. One table for every payment the API shows.
///
/// Pure functions over a constant table; thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "core/decimal.hpp"

namespace hqadz::domain {

struct Coin {
  std::string code;                    // the provider's code, lower case: "usdttrc20"
  std::string ticker;                  // "USDT"
  std::string name;                    // "Tether USD"
  std::optional<std::string> network;  // "TRON (TRC-20)"; nullopt for money that is not a coin
  bool fiat = false;                   // "usd": an amount confirmed by hand, not a deposit
};

/// The coin of a currency code, in any case. A code the table does not know is described by
/// its own upper-cased code and no network: a guess at a network would send money astray.
Coin coin_of(std::string_view code);

/// The URI that puts the address and the exact amount into a wallet: BIP-21 `bitcoin:`,
/// `litecoin:`, `dogecoin:` (amount in coins), EIP-681 `ethereum:` (value in wei), Solana Pay
/// `solana:`, `ton://transfer/` (amount in nanotons). nullopt where no standard URI exists for
/// the currency (tokens, TRON, fiat), when the address holds characters no address has, when
/// the amount has more decimals than the coin, or when a memo is required that the scheme
/// cannot carry (a deposit without it is lost).
std::optional<std::string> payment_uri(std::string_view code, std::string_view address,
                                       const core::Decimal& amount,
                                       const std::optional<std::string>& extra_id);

}  // namespace hqadz::domain
