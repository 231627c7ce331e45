#pragma once
/// Adbots as their owners and admins see them: the advertisement (post + groups), start and
/// stop, status, logs and stats; the operator's blocklist and the public opt-out. Plain class
/// over storage; the engine (src/engine) drives running adbots from the same tables.
///
/// Ownership: every per-adbot call takes the Caller; another user's adbot is "not found".

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "domain/identity.hpp"
#include "domain/rate_limiter.hpp"
#include "storage/database.hpp"

namespace hqadz::domain {

struct AdbotSettings {
  int default_max_groups = 100;
};

struct LogQuery {
  int limit = 50;
  std::optional<int64_t> before_id;
  std::optional<int64_t> after_id;  // for live tails (SSE)
};

struct AdminAdbotFilter {
  std::optional<std::string> status;
  std::optional<int64_t> user_id;
  std::optional<int64_t> before_id;
  int limit = 50;
};

class AdbotService {
 public:
  AdbotService(storage::Database& db, const core::Clock& clock, AdbotSettings settings = {});

  /// Called after a start/stop/config change commits (the engine wakes up on it).
  void set_on_change(std::function<void(int64_t adbot_id)> fn) { on_change_ = std::move(fn); }

  core::Result<nlohmann::json> get_advertisement(const Caller& caller, int64_t adbot_id);
  /// Validates and stores the post link (when given) and the group list (when given):
  /// normalized, de-duplicated, blocklisted ones refused with a reason, capped at max_groups.
  core::Result<nlohmann::json> set_advertisement(const Caller& caller, int64_t adbot_id,
                                                 const std::optional<std::string>& post_link,
                                                 const std::optional<std::vector<std::string>>& groups);
  core::Result<nlohmann::json> start(const Caller& caller, int64_t adbot_id,
                                     const std::string& client_address);
  core::Result<nlohmann::json> stop(const Caller& caller, int64_t adbot_id,
                                    const std::string& client_address);
  core::Result<nlohmann::json> get(const Caller& caller, int64_t adbot_id);
  core::Result<nlohmann::json> logs(const Caller& caller, int64_t adbot_id, const LogQuery& q);
  core::Result<nlohmann::json> user_stats(const Caller& caller);
  /// The adbot's canonical post link, after checking the caller may see it.
  core::Result<std::string> post_link_of(const Caller& caller, int64_t adbot_id);

  // Admin.
  core::Result<nlohmann::json> admin_list(const AdminAdbotFilter& filter);
  core::Result<nlohmann::json> extend(const Caller& admin, int64_t adbot_id, int days,
                                      const std::string& client_address);
  core::Result<nlohmann::json> admin_dashboard();

  // Blocklist and opt-out.
  core::Result<nlohmann::json> blocklist(const std::optional<std::string>& status);
  core::Result<nlohmann::json> block(const Caller& admin, const std::string& group,
                                     const std::string& reason, const std::string& client_address);
  core::Result<nlohmann::json> decide_block(const Caller& admin, int64_t entry_id,
                                            const std::string& decision,
                                            const std::string& client_address);
  core::Result<nlohmann::json> unblock(const Caller& admin, int64_t entry_id,
                                       const std::string& client_address);
  /// Public: effective at once (PENDING), an admin confirms or rejects it later.
  core::Result<nlohmann::json> opt_out(const std::string& group, const std::string& contact,
                                       const std::string& reason,
                                       const std::string& client_address);

 private:
  int64_t now_ms() const { return core::to_unix_ms(clock_.now()); }
  void changed(int64_t id) const;

  storage::Database& db_;
  const core::Clock& clock_;
  AdbotSettings settings_;
  std::function<void(int64_t)> on_change_;
  RateLimiter limiter_;
};

/// Whether `target` (canonical) is blocked right now (ACTIVE or PENDING opt-out).
bool is_blocklisted(storage::Tx& tx, const std::string& target);

}  // namespace hqadz::domain
