#pragma once
/// The catalogue (`products`): plans customers buy. Prices are exact decimals; an order keeps a
/// snapshot of the product as it was bought (see commerce.hpp), so editing a product never
/// changes what an existing order paid for or provides.
///
/// Thread-safe (state lives in the database).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/decimal.hpp"
#include "core/result.hpp"
#include "domain/identity.hpp"
#include "storage/database.hpp"

namespace hqadz::domain {

struct Product {
  int64_t id = 0;
  std::string name;
  std::string description;
  std::string tier = "STARTER";  // STARTER | ENTERPRISE
  int sessions_count = 1;
  int posting_interval_seconds = 3600;
  core::Decimal price;
  std::string currency = "USD";
  int validity_days = 30;
  std::string distribution = "EVEN";  // EVEN | ALL
  int max_groups = 100;
  int daily_cap_per_account = 500;
  bool active = true;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

/// The API form: price as a JSON number in major units beside its currency.
nlohmann::json to_json(const Product& p);
/// What an order keeps (product_snapshot); read back with `product_from_snapshot`.
nlohmann::json snapshot_of(const Product& p);
std::optional<Product> product_from_snapshot(const std::string& text);

/// A create (every field needed but the defaulted ones) or an edit (only what is set).
struct ProductFields {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> tier;
  std::optional<int> sessions_count;
  std::optional<int> posting_interval_seconds;
  std::optional<core::Decimal> price;
  std::optional<std::string> currency;
  std::optional<int> validity_days;
  std::optional<std::string> distribution;
  std::optional<int> max_groups;
  std::optional<int> daily_cap_per_account;
  std::optional<bool> active;
};

namespace products {
std::optional<Product> find(storage::Tx& tx, int64_t id);
std::vector<Product> list(storage::Tx& tx, bool active_only);
}  // namespace products

class CatalogService {
 public:
  CatalogService(storage::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  core::Result<std::vector<Product>> list(bool active_only);
  core::Result<Product> get(int64_t id);
  /// Errors: invalid_<field> (400) for a missing or out-of-range field. Audited.
  core::Result<Product> create(const ProductFields& fields, const RequestContext& ctx);
  /// Edits and (de)activates. Errors: not_found, invalid_<field>. Audited.
  core::Result<Product> update(int64_t id, const ProductFields& fields, const RequestContext& ctx);
  /// Demo data: the seed's seven plans, added once (matched by name).
  core::Status ensure_demo_plans();

 private:
  storage::Database& db_;
  const core::Clock& clock_;
};

}  // namespace hqadz::domain
