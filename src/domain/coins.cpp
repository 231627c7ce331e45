#include "domain/coins.hpp"

#include <array>

namespace hqadz::domain {
namespace {

/// How a wallet is handed an amount for the coin.
enum class UriScheme {
  kNone,    // no standard URI: the customer copies the address and the amount
  kBip21,   // <scheme>:<address>?amount=<coins>
  kEip681,  // ethereum:<address>?value=<wei>
  kSolana,  // solana:<address>?amount=<coins>[&memo=]
  kTon,     // ton://transfer/<address>?amount=<nanotons>[&text=]
};

struct Entry {
  std::string_view code, ticker, name, network;  // network empty: fiat
  UriScheme scheme;
  std::string_view uri_prefix;
};

// What POST /api/payment/create is asked for (the web checkout offers usdttrc20, usdterc20,
// btc, eth, ltc, trx, ton), NOWPayments' other common codes, and the fiat currencies a manual
// payment is made in.
constexpr std::array kCoins = {
    Entry{"btc", "BTC", "Bitcoin", "Bitcoin", UriScheme::kBip21, "bitcoin:"},
    Entry{"ltc", "LTC", "Litecoin", "Litecoin", UriScheme::kBip21, "litecoin:"},
    Entry{"doge", "DOGE", "Dogecoin", "Dogecoin", UriScheme::kBip21, "dogecoin:"},
    Entry{"eth", "ETH", "Ethereum", "Ethereum", UriScheme::kEip681, "ethereum:"},
    Entry{"sol", "SOL", "Solana", "Solana", UriScheme::kSolana, "solana:"},
    Entry{"ton", "TON", "Toncoin", "TON", UriScheme::kTon, "ton://transfer/"},
    Entry{"trx", "TRX", "TRON", "TRON", UriScheme::kNone, ""},
    Entry{"usdttrc20", "USDT", "Tether USD", "TRON (TRC-20)", UriScheme::kNone, ""},
    Entry{"usdterc20", "USDT", "Tether USD", "Ethereum (ERC-20)", UriScheme::kNone, ""},
    Entry{"usdtbsc", "USDT", "Tether USD", "BNB Smart Chain (BEP-20)", UriScheme::kNone, ""},
    Entry{"usdtsol", "USDT", "Tether USD", "Solana (SPL)", UriScheme::kNone, ""},
    Entry{"usdtton", "USDT", "Tether USD", "TON (Jetton)", UriScheme::kNone, ""},
    Entry{"usdc", "USDC", "USD Coin", "Ethereum (ERC-20)", UriScheme::kNone, ""},
    Entry{"bnbbsc", "BNB", "BNB", "BNB Smart Chain (BEP-20)", UriScheme::kNone, ""},
    Entry{"xrp", "XRP", "XRP", "XRP Ledger", UriScheme::kNone, ""},
    Entry{"usd", "USD", "US dollar", "", UriScheme::kNone, ""},
    Entry{"eur", "EUR", "Euro", "", UriScheme::kNone, ""},
    Entry{"gbp", "GBP", "Pound sterling", "", UriScheme::kNone, ""},
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return out;
}

const Entry* find(std::string_view code) {
  const std::string key = lower(code);
  for (const Entry& e : kCoins) {
    if (e.code == key) {
      return &e;
    }
  }
  return nullptr;
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/// Addresses are base58, bech32, hex or base64url: anything else is not put into a URI.
bool plausible_address(std::string_view a) {
  if (a.empty() || a.size() > 128) {
    return false;
  }
  for (char c : a) {
    if (!is_alnum(c) && c != '-' && c != '_') {
      return false;
    }
  }
  return true;
}

std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (is_alnum(static_cast<char>(c)) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

/// The amount in the coin's smallest unit ("0.00123" ETH at 18 decimals → "1230000000000000");
/// nullopt when the amount has more decimals than the unit can hold (rounding would underpay).
std::optional<std::string> in_base_units(const core::Decimal& amount, int decimals) {
  if (amount.scale() > decimals) {
    return std::nullopt;
  }
  std::string digits;
  for (char c : amount.to_fixed(decimals)) {
    if (c != '.') {
      digits += c;
    }
  }
  const size_t first = digits.find_first_not_of('0');
  return first == std::string::npos ? "0" : digits.substr(first);
}

}  // namespace

Coin coin_of(std::string_view code) {
  if (const Entry* e = find(code)) {
    Coin c{std::string(e->code), std::string(e->ticker), std::string(e->name), std::nullopt,
           e->network.empty()};
    if (!e->network.empty()) {
      c.network = std::string(e->network);
    }
    return c;
  }
  return {lower(code), upper(code), upper(code), std::nullopt, false};
}

std::optional<std::string> payment_uri(std::string_view code, std::string_view address,
                                       const core::Decimal& amount,
                                       const std::optional<std::string>& extra_id) {
  const Entry* e = find(code);
  if (e == nullptr || e->scheme == UriScheme::kNone || !plausible_address(address) ||
      amount.is_zero()) {
    return std::nullopt;
  }
  const bool memo = extra_id && !extra_id->empty();
  std::string uri = std::string(e->uri_prefix) + std::string(address);
  switch (e->scheme) {
    case UriScheme::kBip21:
      if (memo) {
        return std::nullopt;
      }
      return uri + "?amount=" + amount.to_string();
    case UriScheme::kEip681: {
      auto wei = in_base_units(amount, 18);
      if (memo || !wei) {
        return std::nullopt;
      }
      return uri + "?value=" + *wei;
    }
    case UriScheme::kSolana:
      uri += "?amount=" + amount.to_string();
      return memo ? uri + "&memo=" + percent_encode(*extra_id) : uri;
    case UriScheme::kTon: {
      auto nano = in_base_units(amount, 9);
      if (!nano) {
        return std::nullopt;
      }
      uri += "?amount=" + *nano;
      return memo ? uri + "&text=" + percent_encode(*extra_id) : uri;
    }
    case UriScheme::kNone:
      break;
  }
  return std::nullopt;
}

}  // namespace hqadz::domain
