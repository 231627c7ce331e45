#include "http/static_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "crypto/random.hpp"

namespace hqadz::http {
namespace {
namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hqadz-static-" + crypto::random_hex(6));
    fs::create_directories(dir_ / "dist" / "assets");
    write(dir_ / "dist" / "index.html", "<html>app</html>");
    write(dir_ / "dist" / "assets" / "app.123.js", "console.log(1)");
    write(dir_ / "secret.txt", "do not serve");
  }
  void TearDown() override { fs::remove_all(dir_); }
  static void write(const fs::path& p, const std::string& s) { std::ofstream(p) << s; }
  fs::path dir_;
};

TEST_F(StaticFilesTest, ServesFilesWithTypesAndCaching) {
  StaticFiles files((dir_ / "dist").string());
  ASSERT_TRUE(files.available());
  auto js = files.serve("/assets/app.123.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(*find_header(js.headers, "Cache-Control"), "public, max-age=31536000, immutable");
}

TEST_F(StaticFilesTest, FallsBackToIndexForClientRoutes) {
  StaticFiles files((dir_ / "dist").string());
  auto page = files.serve("/dashboard/history");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body, "<html>app</html>");
  EXPECT_EQ(*find_header(page.headers, "Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, NeverLeavesTheRoot) {
  fs::create_symlink(dir_ / "secret.txt", dir_ / "dist" / "link.txt");
  StaticFiles files((dir_ / "dist").string());
  for (const char* p : {"/../secret.txt", "/assets/../../secret.txt", "/link.txt"}) {
    auto r = files.serve(p);
    EXPECT_EQ(r.body.find("do not serve"), std::string::npos) << p;
  }
}

TEST(StaticFiles, WithoutABuiltUiEverythingIs404) {
  StaticFiles files("/nonexistent/dist");
  EXPECT_FALSE(files.available());
  EXPECT_EQ(files.serve("/").status, 404);
}

}  // namespace
}  // namespace hqadz::http
