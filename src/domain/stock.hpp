#pragma once
/// The stock of Telegram accounts: import (Telethon .session file or StringSession), listing,
/// overview, the admin's assignment of a replacement and retirement, and decryption of a
/// session for the engine. Auth keys and api hashes are sealed with the master key the moment
/// they are imported (DESIGN section 7); nothing here returns them except `decrypt`.
///
/// Thread-safe (state lives in the database). Importing never contacts Telegram.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "crypto/aead.hpp"
#include "domain/identity.hpp"
#include "domain/stock_accounts.hpp"
#include "storage/database.hpp"
#include "telegram/session/session_data.hpp"

namespace hqadz::domain {

struct StockSettings {
  int low_stock_threshold = 5;  // overview's low_stock: fewer UNUSED accounts than this
  /// The data centres an imported session may name: those of the DC table (Telegram's 1–5, or
  /// HQADZ_TELEGRAM_DCS). Another id is 400 invalid_session_dc. The session's own address is
  /// kept for the record only: connections go to the DC table's address for its id.
  std::vector<int> dc_ids = {1, 2, 3, 4, 5};
  /// Called after an import commits, outside any transaction (commerce fulfils QUEUED adbots).
  /// Must not throw.
  std::function<void()> on_stock_added;
};

/// What comes with an account besides its session: the phone number and the app credentials
/// it was created with (DESIGN section 9: no api-pair rotation).
struct StockImport {
  std::string phone_number;  // "+" and 5..15 digits after normalization
  int64_t api_id = 0;        // 1..2^31-1
  std::string api_hash;      // 32 hex digits
};

struct StockOverview {
  std::map<std::string, int64_t> counts;  // every status
  bool low_stock = false;
  int low_stock_threshold = 0;
};
/// {"counts":{"UNUSED":n,...},"low_stock":bool,"low_stock_threshold":n}
nlohmann::json to_json(const StockOverview& overview);

/// A session ready for the MTProto client: decrypted, never stored or logged.
struct DecryptedSession {
  int64_t id = 0;
  telegram::SessionData session;
  int32_t api_id = 0;
  std::string api_hash;
};

/// Normalizes and checks the fields every import carries. Errors: invalid_phone_number,
/// invalid_api_id, invalid_api_hash.
core::Result<StockImport> validate_import(StockImport in);

class StockService {
 public:
  StockService(storage::Database& db, const core::Clock& clock, crypto::MasterKey key,
               StockSettings settings);

  /// Wires the observer after construction (composition root only, before serving).
  void set_on_stock_added(std::function<void()> hook) {
    settings_.on_stock_added = std::move(hook);
  }

  /// Imports one account as UNUSED; audited as "stock.import". Errors: the parser's
  /// bad_session_file_* / bad_string_session_* (400), the field errors of validate_import
  /// (400), duplicate_session (409: the same auth key is in stock already).
  core::Result<StockAccount> import_session_file(std::string_view file_bytes, StockImport fields,
                                                 const RequestContext& ctx);
  core::Result<StockAccount> import_string_session(std::string_view text, StockImport fields,
                                                   const RequestContext& ctx);

  core::Result<std::vector<StockAccount>> list(const StockFilter& filter);
  core::Result<StockAccount> get(int64_t id);
  core::Result<StockOverview> overview();

  /// The admin's replacement: an UNUSED account to an adbot that exists and is not EXPIRED →
  /// ASSIGNED to it and its owner; audited "stock.assign". Errors: not_found (account),
  /// adbot_not_found (404), adbot_expired (409), not_unused (409).
  core::Result<StockAccount> assign(int64_t id, int64_t adbot_id, const RequestContext& ctx);
  /// Any status but RETIRED → RETIRED with `reason`; audited "stock.retire". Errors:
  /// not_found, invalid_reason (400), already_retired (409).
  core::Result<StockAccount> retire(int64_t id, const std::string& reason,
                                    const RequestContext& ctx);

  /// The engine's way in: the account's session and app credentials, decrypted. Errors:
  /// not_found, decrypt_failed (500: wrong master key or damaged row; logged without secrets).
  core::Result<DecryptedSession> decrypt(int64_t id);

 private:
  core::Result<StockAccount> import(const telegram::SessionData& session, StockImport fields,
                                    const char* source, const RequestContext& ctx);
  int64_t now_ms() const { return core::to_unix_ms(clock_.now()); }

  storage::Database& db_;
  const core::Clock& clock_;
  const crypto::MasterKey key_;
  StockSettings settings_;
};

/// Additional data binding a sealed secret to its row (the auth_key_id is unique per row).
std::string auth_key_ad(const std::string& auth_key_id);
std::string api_hash_ad(const std::string& auth_key_id);

}  // namespace hqadz::domain
