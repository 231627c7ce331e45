#include "storage/migrations.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "core/clock.hpp"

namespace hqadz::storage {
namespace {

constexpr long long kMigrationLockKey = 0x6871'6164'7a00;  // "hqadz"

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

std::vector<int> read_versions(soci::session& sql) {
  std::vector<int> out;
  soci::rowset<int> rows = sql.prepare << "SELECT version FROM schema_migrations ORDER BY version";
  for (int v : rows) {
    out.push_back(v);
  }
  return out;
}

}  // namespace

std::vector<std::string> render_statements(const std::string& sql, Backend backend) {
  const bool pg = backend == Backend::kPostgres;
  std::string text;
  std::istringstream in(sql);
  std::string line;
  // A "--@sqlite" or "--@postgresql" line keeps the statement after it for that backend only
  // (what one dialect cannot say the other's way, e.g. changing a CHECK constraint).
  bool skipping = false;
  while (std::getline(in, line)) {
    const auto first = line.find_first_not_of(" \t");
    if (first != std::string::npos && line.compare(first, 2, "--") == 0) {
      const auto last = line.find_last_not_of(" \t\r");
      const std::string marker = line.substr(first, last + 1 - first);
      if (marker == "--@sqlite" || marker == "--@postgresql") {
        skipping = (marker == "--@postgresql") != pg;
      }
      continue;
    }
    if (skipping) {
      const auto last = line.find_last_not_of(" \t\r");
      if (last != std::string::npos && line[last] == ';') {
        skipping = false;
      }
      continue;
    }
    text += line;
    text += '\n';
  }
  replace_all(text, "{{PK}}", pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
  replace_all(text, "{{DECIMAL}}", pg ? "NUMERIC(38, 18)" : "TEXT");

  std::vector<std::string> out;
  std::string current;
  std::istringstream lines(text);
  while (std::getline(lines, line)) {
    current += line;
    current += '\n';
    const auto last = line.find_last_not_of(" \t\r");
    if (last != std::string::npos && line[last] == ';') {
      out.push_back(current);
      current.clear();
    }
  }
  if (current.find_first_not_of(" \t\r\n") != std::string::npos) {
    out.push_back(current);
  }
  return out;
}

core::Result<int> migrate(Database& db, const std::vector<Migration>& migrations) {
  return db.write([&](Tx& tx) -> core::Result<int> {
    soci::session& sql = tx.sql();
    if (tx.is_postgres()) {
      sql << "SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockKey) + ")";
    }
    sql << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
           "name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
    const auto applied_list = read_versions(sql);
    const std::set<int> applied(applied_list.begin(), applied_list.end());
    const int newest_known =
        migrations.empty() ? 0
                           : std::max_element(migrations.begin(), migrations.end(),
                                              [](auto& a, auto& b) { return a.version < b.version; })
                                 ->version;
    if (!applied.empty() && *applied.rbegin() > newest_known) {
      return core::Error{core::Errc::kConflict, "schema_too_new",
                         "the database schema (version " + std::to_string(*applied.rbegin()) +
                             ") is newer than this hqadz (" + std::to_string(newest_known) + ")"};
    }
    int ran = 0;
    for (const auto& m : migrations) {
      if (applied.count(m.version) != 0) {
        continue;
      }
      for (const auto& stmt : render_statements(m.sql, tx.backend())) {
        sql << stmt;
      }
      const long long now = core::to_unix_ms(core::SystemClock().now());
      sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :t)",
          soci::use(m.version), soci::use(m.name), soci::use(now);
      spdlog::info("migration {} ({}) applied", m.version, m.name);
      ++ran;
    }
    return ran;
  });
}

core::Result<std::vector<int>> applied_versions(Database& db) {
  return db.read([](Tx& tx) -> core::Result<std::vector<int>> { return read_versions(tx.sql()); });
}

}  // namespace hqadz::storage
