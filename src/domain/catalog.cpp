#include "domain/catalog.hpp"

#include <algorithm>

#include "domain/audit.hpp"
#include "storage/row.hpp"

namespace hqadz::domain {
namespace {

constexpr const char* kColumns =
    "SELECT id, name, description, tier, sessions_count, posting_interval_seconds, "
    "CAST(price AS TEXT) AS price, currency, validity_days, distribution, max_groups, "
    "daily_cap_per_account, active, created_at, updated_at FROM products ";

Product from_row(const soci::row& r) {
  Product p;
  p.id = storage::i64(r, "id");
  p.name = storage::str(r, "name");
  p.description = storage::str(r, "description");
  p.tier = storage::str(r, "tier");
  p.sessions_count = static_cast<int>(storage::i64(r, "sessions_count"));
  p.posting_interval_seconds = static_cast<int>(storage::i64(r, "posting_interval_seconds"));
  p.price = core::Decimal::parse(storage::str(r, "price")).value_or(core::Decimal{});
  p.currency = storage::str(r, "currency");
  p.validity_days = static_cast<int>(storage::i64(r, "validity_days"));
  p.distribution = storage::str(r, "distribution");
  p.max_groups = static_cast<int>(storage::i64(r, "max_groups"));
  p.daily_cap_per_account = static_cast<int>(storage::i64(r, "daily_cap_per_account"));
  p.active = storage::i64(r, "active") != 0;
  p.created_at = storage::i64(r, "created_at");
  p.updated_at = storage::i64(r, "updated_at");
  return p;
}

core::Error bad(const std::string& field, const std::string& why) {
  return core::Error::invalid("invalid_" + field, field + " " + why);
}

/// Applies `f` onto `p` and checks the result as a whole.
core::Status merge(Product& p, const ProductFields& f) {
  if (f.name) p.name = *f.name;
  if (f.description) p.description = *f.description;
  if (f.tier) p.tier = *f.tier;
  if (f.sessions_count) p.sessions_count = *f.sessions_count;
  if (f.posting_interval_seconds) p.posting_interval_seconds = *f.posting_interval_seconds;
  if (f.price) p.price = *f.price;
  if (f.currency) p.currency = *f.currency;
  if (f.validity_days) p.validity_days = *f.validity_days;
  if (f.distribution) p.distribution = *f.distribution;
  if (f.max_groups) p.max_groups = *f.max_groups;
  if (f.daily_cap_per_account) p.daily_cap_per_account = *f.daily_cap_per_account;
  if (f.active) p.active = *f.active;

  if (p.name.empty() || p.name.size() > 120) return bad("name", "must be 1 to 120 characters");
  if (p.description.size() > 2000) return bad("description", "is too long");
  if (p.tier != "STARTER" && p.tier != "ENTERPRISE") {
    return bad("tier", "must be STARTER or ENTERPRISE");
  }
  if (p.sessions_count < 1 || p.sessions_count > 100) {
    return bad("sessions_count", "must be between 1 and 100");
  }
  if (p.posting_interval_seconds < 60 || p.posting_interval_seconds > 7 * 86400) {
    return bad("posting_interval_seconds", "must be between 60 and 604800");
  }
  if (p.price.is_zero() || p.price.scale() > 8) {
    return bad("price", "must be positive with at most 8 decimal places");
  }
  if (p.currency.size() < 3 || p.currency.size() > 10) {
    return bad("currency", "must be a currency code such as USD");
  }
  for (char& c : p.currency) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    } else if (c < 'A' || c > 'Z') {
      return bad("currency", "must be letters only");
    }
  }
  if (p.validity_days < 1 || p.validity_days > 3650) {
    return bad("validity_days", "must be between 1 and 3650");
  }
  if (p.distribution != "EVEN" && p.distribution != "ALL") {
    return bad("distribution", "must be EVEN or ALL");
  }
  if (p.max_groups < 1 || p.max_groups > 10000) {
    return bad("max_groups", "must be between 1 and 10000");
  }
  if (p.daily_cap_per_account < 1 || p.daily_cap_per_account > 100000) {
    return bad("daily_cap_per_account", "must be between 1 and 100000");
  }
  return core::ok_status();
}

int64_t insert(storage::Tx& tx, const Product& p, int64_t now) {
  long long id = 0;
  const std::string price = p.price.to_string();
  const int active = p.active ? 1 : 0;
  const long long at = now;
  tx.sql() << "INSERT INTO products (name, description, tier, sessions_count, "
              "posting_interval_seconds, price, currency, validity_days, distribution, max_groups, "
              "daily_cap_per_account, active, created_at, updated_at) VALUES (:n, :d, :t, :s, :i, "
              ":p, :c, :v, :dist, :mg, :cap, :a, :ca, :ua) RETURNING id",
      soci::use(p.name), soci::use(p.description), soci::use(p.tier), soci::use(p.sessions_count),
      soci::use(p.posting_interval_seconds), soci::use(price), soci::use(p.currency),
      soci::use(p.validity_days), soci::use(p.distribution), soci::use(p.max_groups),
      soci::use(p.daily_cap_per_account), soci::use(active), soci::use(at), soci::use(at),
      soci::into(id);
  return id;
}

}  // namespace

nlohmann::json to_json(const Product& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"description", p.description},
          {"tier", p.tier},
          {"sessions_count", p.sessions_count},
          {"posting_interval_seconds", p.posting_interval_seconds},
          {"price", p.price.to_double()},
          {"currency", p.currency},
          {"validity_days", p.validity_days},
          {"distribution", p.distribution},
          {"max_groups", p.max_groups},
          {"daily_cap_per_account", p.daily_cap_per_account},
          {"active", p.active},
          {"created_at", core::format_iso8601(core::from_unix_ms(p.created_at))},
          {"updated_at", core::format_iso8601(core::from_unix_ms(p.updated_at))}};
}

nlohmann::json snapshot_of(const Product& p) {
  // The price goes in as its exact text: the snapshot is storage, not the API.
  return {{"id", p.id},
          {"name", p.name},
          {"tier", p.tier},
          {"sessions_count", p.sessions_count},
          {"posting_interval_seconds", p.posting_interval_seconds},
          {"price", p.price.to_string()},
          {"currency", p.currency},
          {"validity_days", p.validity_days},
          {"distribution", p.distribution},
          {"max_groups", p.max_groups},
          {"daily_cap_per_account", p.daily_cap_per_account}};
}

std::optional<Product> product_from_snapshot(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) {
    return std::nullopt;
  }
  try {
    Product p;
    p.id = j.at("id").get<int64_t>();
    p.name = j.at("name").get<std::string>();
    p.tier = j.at("tier").get<std::string>();
    p.sessions_count = j.at("sessions_count").get<int>();
    p.posting_interval_seconds = j.at("posting_interval_seconds").get<int>();
    p.price = core::Decimal::parse(j.at("price").get<std::string>()).value_or(core::Decimal{});
    p.currency = j.at("currency").get<std::string>();
    p.validity_days = j.at("validity_days").get<int>();
    p.distribution = j.at("distribution").get<std::string>();
    p.max_groups = j.at("max_groups").get<int>();
    p.daily_cap_per_account = j.at("daily_cap_per_account").get<int>();
    return p;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

namespace products {

std::optional<Product> find(storage::Tx& tx, int64_t id) {
  const long long pid = id;
  soci::row r;
  tx.sql() << std::string(kColumns) + "WHERE id = :id", soci::use(pid), soci::into(r);
  if (!tx.sql().got_data()) {
    return std::nullopt;
  }
  return from_row(r);
}

std::vector<Product> list(storage::Tx& tx, bool active_only) {
  const int only = active_only ? 1 : 0;
  soci::rowset<soci::row> rows =
      (tx.sql().prepare << std::string(kColumns) +
                               "WHERE (:only = 0 OR active = 1) ORDER BY id",
       soci::use(only, "only"));
  std::vector<Product> out;
  for (const auto& r : rows) {
    out.push_back(from_row(r));
  }
  // Starter plans first, then by price (exact: SQLite keeps prices as text).
  std::stable_sort(out.begin(), out.end(), [](const Product& a, const Product& b) {
    if (a.tier != b.tier) {
      return a.tier > b.tier;
    }
    return a.price < b.price;
  });
  return out;
}

}  // namespace products

core::Result<std::vector<Product>> CatalogService::list(bool active_only) {
  return db_.read([&](storage::Tx& tx) -> core::Result<std::vector<Product>> {
    return products::list(tx, active_only);
  });
}

core::Result<Product> CatalogService::get(int64_t id) {
  return db_.read([&](storage::Tx& tx) -> core::Result<Product> {
    auto p = products::find(tx, id);
    if (!p) {
      return core::Error::not_found("no such product");
    }
    return *p;
  });
}

core::Result<Product> CatalogService::create(const ProductFields& fields,
                                             const RequestContext& ctx) {
  for (auto [set, name] : {std::pair{fields.name.has_value(), "name"},
                           std::pair{fields.sessions_count.has_value(), "sessions_count"},
                           std::pair{fields.posting_interval_seconds.has_value(),
                                     "posting_interval_seconds"},
                           std::pair{fields.price.has_value(), "price"}}) {
    if (!set) {
      return core::Error::invalid("missing_" + std::string(name), std::string(name) + " is required");
    }
  }
  Product p;
  if (auto st = merge(p, fields); !st.ok()) {
    return st.error();
  }
  const int64_t now = core::to_unix_ms(clock_.now());
  return db_.write([&](storage::Tx& tx) -> core::Result<Product> {
    p.id = insert(tx, p, now);
    p.created_at = p.updated_at = now;
    record_audit(tx,
                 {ctx.actor_user_id, "product.create", "product", p.id, snapshot_of(p),
                  ctx.client_address},
                 now);
    return p;
  });
}

core::Result<Product> CatalogService::update(int64_t id, const ProductFields& fields,
                                             const RequestContext& ctx) {
  const int64_t now = core::to_unix_ms(clock_.now());
  return db_.write([&](storage::Tx& tx) -> core::Result<Product> {
    auto found = products::find(tx, id);
    if (!found) {
      return core::Error::not_found("no such product");
    }
    Product p = *found;
    if (auto st = merge(p, fields); !st.ok()) {
      return st.error();
    }
    p.updated_at = now;
    const std::string price = p.price.to_string();
    const int active = p.active ? 1 : 0;
    const long long at = now;
    const long long pid = id;
    tx.sql() << "UPDATE products SET name = :n, description = :d, tier = :t, sessions_count = :s, "
                "posting_interval_seconds = :i, price = :p, currency = :c, validity_days = :v, "
                "distribution = :dist, max_groups = :mg, daily_cap_per_account = :cap, "
                "active = :a, updated_at = :ua WHERE id = :id",
        soci::use(p.name), soci::use(p.description), soci::use(p.tier),
        soci::use(p.sessions_count), soci::use(p.posting_interval_seconds), soci::use(price),
        soci::use(p.currency), soci::use(p.validity_days), soci::use(p.distribution),
        soci::use(p.max_groups), soci::use(p.daily_cap_per_account), soci::use(active),
        soci::use(at), soci::use(pid);
    record_audit(tx,
                 {ctx.actor_user_id, "product.update", "product", id,
                  {{"before", snapshot_of(*found)}, {"after", snapshot_of(p)}},
                  ctx.client_address},
                 now);
    return p;
  });
}

core::Status CatalogService::ensure_demo_plans() {
  struct Plan {
    const char* name;
    const char* tier;
    int accounts;
    int minutes;
    const char* price;
  };
  static constexpr Plan kPlans[] = {
      {"Starter Bronze", "STARTER", 1, 60, "30"},      {"Starter Silver", "STARTER", 2, 30, "55"},
      {"Starter Gold", "STARTER", 3, 20, "80"},        {"Starter Diamond", "STARTER", 6, 10, "160"},
      {"Enterprise Basic", "ENTERPRISE", 3, 15, "199"}, {"Enterprise Pro", "ENTERPRISE", 7, 7, "450"},
      {"Enterprise Elite", "ENTERPRISE", 15, 2, "899"},
  };
  const int64_t now = core::to_unix_ms(clock_.now());
  auto r = db_.write([&](storage::Tx& tx) -> core::Result<int> {
    int added = 0;
    for (const Plan& plan : kPlans) {
      const std::string name = plan.name;
      long long n = 0;
      tx.sql() << "SELECT COUNT(*) FROM products WHERE name = :n", soci::use(name), soci::into(n);
      if (n > 0) {
        continue;
      }
      Product p;
      p.name = name;
      p.description = std::to_string(plan.accounts) + (plan.accounts == 1 ? " account" : " accounts") +
                      ", a post every " + std::to_string(plan.minutes) + " minutes, 30 days";
      p.tier = plan.tier;
      p.sessions_count = plan.accounts;
      p.posting_interval_seconds = plan.minutes * 60;
      p.price = *core::Decimal::parse(plan.price);
      insert(tx, p, now);
      ++added;
    }
    return added;
  });
  if (!r.ok()) {
    return r.error();
  }
  return core::ok_status();
}

}  // namespace hqadz::domain
