// `hqadz migrate` on both databases: creates the schema of DESIGN section 3; twice changes
// nothing.
#include <gtest/gtest.h>

#include "process.hpp"
#include "server_fixture.hpp"
#include "storage/migrations.hpp"
#include "storage/testing/test_database.hpp"

namespace hqadz::testing {
namespace {

using storage::Backend;

class MigrateCommandTest : public ::testing::TestWithParam<Backend> {};

TEST_P(MigrateCommandTest, CreatesTheSchemaAndIsIdempotent) {
  auto t = storage::testing::TestDatabase::create(GetParam(), /*run_migrations=*/false);
  if (!t) {
    GTEST_SKIP() << "PostgreSQL not available";
  }
  TempDir dir;
  const std::map<std::string, std::string> env = {{"HQADZ_DATABASE_URL", t->url()}};
  auto [code1, out1] = run_to_end({hqadz_binary(), "migrate", "--data-dir", dir.path()}, env);
  ASSERT_EQ(code1, 0) << out1;
  auto j1 = nlohmann::json::parse(out1);
  EXPECT_EQ(j1["backend"], storage::backend_name(GetParam()));
  EXPECT_GE(j1["schema_version"].get<int>(), 1);

  auto count_objects = [&] {
    auto r = t->db().read([](storage::Tx& tx) -> core::Result<int> {
      int n = 0;
      if (tx.is_postgres()) {
        tx.sql() << "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema='public'",
            soci::into(n);
      } else {
        tx.sql() << "SELECT COUNT(*) FROM sqlite_master", soci::into(n);
      }
      return n;
    });
    return r.ok() ? *r : -1;
  };
  const int before = count_objects();
  auto [code2, out2] = run_to_end({hqadz_binary(), "migrate", "--data-dir", dir.path()}, env);
  ASSERT_EQ(code2, 0) << out2;
  EXPECT_EQ(nlohmann::json::parse(out2), j1);
  EXPECT_EQ(count_objects(), before);

  auto versions = storage::applied_versions(t->db());
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(versions->size(), storage::embedded_migrations().size());
}

TEST(MigrateCommand, BadDatabaseUrlIsAClearError) {
  TempDir dir;
  auto [code, out] = run_to_end({hqadz_binary(), "migrate", "--data-dir", dir.path()},
                                {{"HQADZ_DATABASE_URL", "mysql://nope"}});
  EXPECT_EQ(code, 1);
  auto j = nlohmann::json::parse(out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << out;
  EXPECT_NE(j["error"]["message"].get<std::string>().find("HQADZ_DATABASE_URL"),
            std::string::npos);
}

HQADZ_INSTANTIATE_FOR_BOTH_DATABASES(MigrateCommandTest);

}  // namespace
}  // namespace hqadz::testing
