#pragma once
/// The audit log: who did what to what, when. Written in the same transaction as the action.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/database.hpp"

namespace hqadz::domain {

struct AuditEntry {
  std::optional<int64_t> actor_user_id;  // nullopt: the system or the CLI
  std::string action;                    // e.g. "user.suspend"
  std::string target_type;               // e.g. "user"
  std::optional<int64_t> target_id;
  nlohmann::json detail = nlohmann::json::object();
  std::string client_address;
};

void record_audit(storage::Tx& tx, const AuditEntry& entry, int64_t now_ms);

struct AuditFilter {
  std::optional<int64_t> actor_user_id;
  std::optional<std::string> action;
  std::optional<std::string> target_type;
  std::optional<int64_t> target_id;
  std::optional<int64_t> before_id;
  int limit = 50;
};

/// Newest first: [{"id","at","actor_user_id","action","target_type","target_id","detail",
/// "client_address"}].
std::vector<nlohmann::json> list_audit(storage::Tx& tx, const AuditFilter& filter);

}  // namespace hqadz::domain
