#pragma once
/// Versioned SQL migrations, the same schema on SQLite and PostgreSQL.
///
/// Each migration is one .sql file in src/storage/migrations (embedded at build time), applied
/// once, inside one transaction with the record of it in `schema_migrations`. Concurrent
/// migrators are serialized (advisory lock on PostgreSQL, BEGIN IMMEDIATE on SQLite).

#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/database.hpp"

namespace hqadz::storage {

struct Migration {
  int version;
  std::string name;
  /// Statements separated by ';' at the end of a line; '--' comments allowed; a "--@sqlite" or
  /// "--@postgresql" line keeps the one statement after it for that backend only.
  std::string sql;
};

const std::vector<Migration>& embedded_migrations();

/// The statements of `sql` for `backend`: comments stripped, dialect placeholders replaced,
/// statements marked for the other backend left out.
std::vector<std::string> render_statements(const std::string& sql, Backend backend);

/// Applies what is pending; returns how many migrations ran (0 when up to date).
core::Result<int> migrate(Database& db,
                          const std::vector<Migration>& migrations = embedded_migrations());

/// Versions recorded as applied, ascending.
core::Result<std::vector<int>> applied_versions(Database& db);

}  // namespace hqadz::storage
