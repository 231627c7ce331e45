#include "domain/stock.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

namespace hqadz::domain {
namespace {

constexpr size_t kMaxReason = 500;

std::string trimmed(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) {
    return {};
  }
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

core::Error duplicate(const StockAccount& existing) {
  return core::Error::conflict(
      "duplicate_session", "this account is already in stock as #" + std::to_string(existing.id) +
                               " (auth key id " + existing.auth_key_id + ")");
}

struct AdbotRef {
  int64_t user_id = 0;
  std::string status;
};

std::optional<AdbotRef> find_adbot(storage::Tx& tx, int64_t id) {
  const long long lid = id;
  long long user_id = 0;
  std::string status;
  soci::indicator ind = soci::i_null;
  tx.sql() << "SELECT user_id, status FROM adbots WHERE id = :id", soci::use(lid),
      soci::into(user_id), soci::into(status, ind);
  if (!tx.sql().got_data()) {
    return std::nullopt;
  }
  return AdbotRef{user_id, status};
}

}  // namespace

std::string auth_key_ad(const std::string& auth_key_id) {
  return "tg_sessions:auth_key:" + auth_key_id;
}
std::string api_hash_ad(const std::string& auth_key_id) {
  return "tg_sessions:api_hash:" + auth_key_id;
}

nlohmann::json to_json(const StockOverview& o) {
  nlohmann::json counts = nlohmann::json::object();
  for (const auto& [status, n] : o.counts) {
    counts[status] = n;
  }
  return {{"counts", counts},
          {"low_stock", o.low_stock},
          {"low_stock_threshold", o.low_stock_threshold}};
}

core::Result<StockImport> validate_import(StockImport in) {
  std::string phone;
  for (char c : in.phone_number) {
    if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.') {
      continue;  // how people write numbers; not part of it
    }
    phone += c;
  }
  if (!phone.empty() && phone[0] == '+') {
    phone.erase(0, 1);
  }
  const bool digits =
      std::all_of(phone.begin(), phone.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (phone.size() < 5 || phone.size() > 15 || !digits) {
    return core::Error::invalid("invalid_phone_number",
                                "phone_number must be an international number: + and 5 to 15 "
                                "digits");
  }
  in.phone_number = "+" + phone;
  if (in.api_id < 1 || in.api_id > INT32_MAX) {
    return core::Error::invalid("invalid_api_id", "api_id must be a positive 32-bit integer");
  }
  in.api_hash = trimmed(in.api_hash);
  const bool hex = std::all_of(in.api_hash.begin(), in.api_hash.end(),
                               [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
  if (in.api_hash.size() != 32 || !hex) {
    return core::Error::invalid("invalid_api_hash", "api_hash must be 32 hexadecimal digits");
  }
  std::transform(in.api_hash.begin(), in.api_hash.end(), in.api_hash.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return in;
}

StockService::StockService(storage::Database& db, const core::Clock& clock, crypto::MasterKey key,
                           StockSettings settings)
    : db_(db), clock_(clock), key_(std::move(key)), settings_(std::move(settings)) {}

core::Result<StockAccount> StockService::import_session_file(std::string_view file_bytes,
                                                             StockImport fields,
                                                             const RequestContext& ctx) {
  auto session = telegram::parse_session_file(file_bytes);
  if (!session.ok()) {
    return session.error();
  }
  return import(*session, std::move(fields), "session_file", ctx);
}

core::Result<StockAccount> StockService::import_string_session(std::string_view text,
                                                               StockImport fields,
                                                               const RequestContext& ctx) {
  auto session = telegram::parse_string_session(text);
  if (!session.ok()) {
    return session.error();
  }
  return import(*session, std::move(fields), "string_session", ctx);
}

core::Result<StockAccount> StockService::import(const telegram::SessionData& session,
                                                StockImport fields_in, const char* source,
                                                const RequestContext& ctx) {
  if (std::find(settings_.dc_ids.begin(), settings_.dc_ids.end(), session.dc_id) ==
      settings_.dc_ids.end()) {
    return core::Error::invalid("invalid_session_dc", "the session names data centre " +
                                                          std::to_string(session.dc_id) +
                                                          ", which is not in the DC table");
  }
  auto fields = validate_import(std::move(fields_in));
  if (!fields.ok()) {
    return fields.error();
  }
  NewStockRow row;
  row.phone_number = fields->phone_number;
  row.api_id = fields->api_id;
  row.dc_id = session.dc_id;
  row.server_address = session.server_address;
  row.port = session.port;
  row.auth_key_id = telegram::auth_key_id_hex(session.auth_key);
  row.auth_key_enc = key_.seal_to_base64(session.auth_key, auth_key_ad(row.auth_key_id));
  row.api_hash_enc = key_.seal_to_base64(fields->api_hash, api_hash_ad(row.auth_key_id));

  auto made = db_.write([&](storage::Tx& tx) -> core::Result<StockAccount> {
    if (auto existing = stock::find_by_auth_key_id(tx, row.auth_key_id)) {
      return duplicate(*existing);
    }
    const int64_t now = now_ms();
    const int64_t id = stock::insert(tx, row, now);
    record_audit(tx,
                 {ctx.actor_user_id,
                  "stock.import",
                  "tg_session",
                  id,
                  {{"source", source},
                   {"phone_number", row.phone_number},
                   {"dc_id", row.dc_id},
                   {"auth_key_id", row.auth_key_id}},
                  ctx.client_address},
                 now);
    return *stock::find(tx, id);
  });
  if (!made.ok()) {
    if (made.error().errc == core::Errc::kConflict && made.error().code == "conflict") {
      // Two uploads of one account raced past the check: the unique index decided.
      return core::Error::conflict("duplicate_session", "this account is already in stock");
    }
    return made.error();
  }
  spdlog::info("stock: imported account #{} (dc {}, auth key id {})", made->id, made->dc_id,
               made->auth_key_id);
  if (settings_.on_stock_added) {
    settings_.on_stock_added();
  }
  return made;
}

core::Result<std::vector<StockAccount>> StockService::list(const StockFilter& filter) {
  if (filter.status && !is_stock_status(*filter.status)) {
    return core::Error::invalid("invalid_status", "status has an unknown value");
  }
  return db_.read([&](storage::Tx& tx) -> core::Result<std::vector<StockAccount>> {
    return stock::list(tx, filter);
  });
}

core::Result<StockAccount> StockService::get(int64_t id) {
  return db_.read([&](storage::Tx& tx) -> core::Result<StockAccount> {
    auto a = stock::find(tx, id);
    if (!a) {
      return core::Error::not_found("no such stock account");
    }
    return *a;
  });
}

core::Result<StockOverview> StockService::overview() {
  return db_.read([&](storage::Tx& tx) -> core::Result<StockOverview> {
    StockOverview o;
    o.counts = stock::count_by_status(tx);
    o.low_stock_threshold = settings_.low_stock_threshold;
    o.low_stock = o.counts["UNUSED"] < settings_.low_stock_threshold;
    return o;
  });
}

core::Result<StockAccount> StockService::assign(int64_t id, int64_t adbot_id,
                                                const RequestContext& ctx) {
  return db_.write([&](storage::Tx& tx) -> core::Result<StockAccount> {
    auto account = stock::find(tx, id);
    if (!account) {
      return core::Error::not_found("no such stock account");
    }
    auto adbot = find_adbot(tx, adbot_id);
    if (!adbot) {
      return core::Error{core::Errc::kNotFound, "adbot_not_found",
                         "no adbot #" + std::to_string(adbot_id)};
    }
    if (adbot->status == "EXPIRED") {
      return core::Error::conflict("adbot_expired",
                                   "adbot #" + std::to_string(adbot_id) + " has expired");
    }
    if (account->status != "UNUSED") {
      return core::Error::conflict("not_unused", "only an UNUSED account can be assigned; #" +
                                                     std::to_string(id) + " is " + account->status);
    }
    const int64_t now = now_ms();
    const long long lid = id;
    const long long a = adbot_id;
    const long long u = adbot->user_id;
    const long long n = now;
    soci::statement st =
        (tx.sql().prepare << "UPDATE tg_sessions SET status = 'ASSIGNED', "
                             "assigned_to_adbot_id = :a, assigned_to_user_id = :u, "
                             "status_reason = NULL, updated_at = :n "
                             "WHERE id = :id AND status = 'UNUSED'",
         soci::use(a, "a"), soci::use(u, "u"), soci::use(n, "n"), soci::use(lid, "id"));
    st.execute(true);
    if (st.get_affected_rows() == 0) {
      return core::Error::conflict("not_unused", "the account was taken meanwhile");
    }
    record_audit(tx,
                 {ctx.actor_user_id,
                  "stock.assign",
                  "tg_session",
                  id,
                  {{"adbot_id", adbot_id}, {"user_id", adbot->user_id}},
                  ctx.client_address},
                 now);
    return *stock::find(tx, id);
  });
}

core::Result<StockAccount> StockService::retire(int64_t id, const std::string& reason_in,
                                                const RequestContext& ctx) {
  const std::string reason = trimmed(reason_in);
  if (reason.empty() || reason.size() > kMaxReason) {
    return core::Error::invalid("invalid_reason", "reason must be 1 to 500 characters");
  }
  return db_.write([&](storage::Tx& tx) -> core::Result<StockAccount> {
    auto account = stock::find(tx, id);
    if (!account) {
      return core::Error::not_found("no such stock account");
    }
    if (account->status == "RETIRED") {
      return core::Error::conflict("already_retired",
                                   "#" + std::to_string(id) + " is retired already");
    }
    const int64_t now = now_ms();
    if (!stock::set_status(tx, id, "RETIRED", reason, account->status, now)) {
      return core::Error::conflict("status_changed", "the account changed meanwhile; try again");
    }
    record_audit(tx,
                 {ctx.actor_user_id,
                  "stock.retire",
                  "tg_session",
                  id,
                  {{"reason", reason}, {"previous_status", account->status}},
                  ctx.client_address},
                 now);
    return *stock::find(tx, id);
  });
}

core::Result<DecryptedSession> StockService::decrypt(int64_t id) {
  auto row = db_.read([&](storage::Tx& tx) -> core::Result<std::pair<StockAccount, StockSecrets>> {
    auto a = stock::find(tx, id);
    auto s = stock::secrets(tx, id);
    if (!a || !s) {
      return core::Error::not_found("no such stock account");
    }
    return std::pair{*a, *s};
  });
  if (!row.ok()) {
    return row.error();
  }
  const auto& [account, sealed] = *row;
  auto key = key_.open_base64(sealed.auth_key_enc, auth_key_ad(sealed.auth_key_id));
  auto hash = key_.open_base64(sealed.api_hash_enc, api_hash_ad(sealed.auth_key_id));
  if (!key.ok() || !hash.ok() || telegram::auth_key_id_hex(*key) != sealed.auth_key_id) {
    spdlog::error("stock: account #{} cannot be decrypted (wrong master key or damaged row)", id);
    return core::Error{core::Errc::kInternal, "decrypt_failed",
                       "the account's secrets cannot be decrypted"};
  }
  DecryptedSession out;
  out.id = account.id;
  out.session.dc_id = account.dc_id;
  out.session.server_address = account.server_address;
  out.session.port = static_cast<uint16_t>(account.port);
  out.session.auth_key = std::move(*key);
  out.api_id = static_cast<int32_t>(account.api_id);
  out.api_hash = std::move(*hash);
  return out;
}

}  // namespace hqadz::domain
