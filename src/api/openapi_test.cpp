#include "api/openapi.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "api/schema.hpp"

namespace hqadz::api {
namespace {

namespace sc = schema;
using http::Access;

http::Response nothing(http::Request&) { return http::Response::no_content(); }

TEST(OpenApiTest, RefusesARouteWithoutItsDocumentation) {
  http::Router router;
  router.add({"GET", "/api/documented", Access::kPublic, nothing},
             {.summary = "s", .tag = "t", .replies = {{200, "ok", sc::ref("Ok")}}});
  router.add({"POST", "/api/forgotten/{id:int}", Access::kUser, nothing});
  try {
    (void)openapi_document(router);
    FAIL() << "an undocumented route must not pass silently";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("POST /api/forgotten/{id:int}"), std::string::npos)
        << e.what();
  }
}

TEST(OpenApiTest, PathsAccessOwnershipAndDerivedErrorsComeFromTheRoute) {
  http::Router router;
  router.add({"POST", "/api/things/{id:int}/poke", Access::kUser, nothing, true, 0, true},
             {.summary = "Poke a thing",
              .tag = "things",
              .request = sc::obj({{"how", sc::string()}}),
              .replies = {{200, "Poked", sc::obj({{"poked", sc::boolean()}})}},
              .errors = {409}});
  router.add({"GET", "/api/admin/things", Access::kAdmin, nothing},
             {.summary = "Things",
              .tag = "things",
              .query = sc::paging(),
              .replies = {{200, "A page", sc::obj({{"things", sc::array_of(sc::integer())}})}},
              .demo = true});
  const auto doc = openapi_document(router);
  ASSERT_TRUE(doc["paths"].contains("/api/things/{id}/poke")) << doc["paths"].dump();
  const auto& poke = doc["paths"]["/api/things/{id}/poke"]["post"];
  EXPECT_EQ(poke["x-hqadz-access"], "user");
  EXPECT_EQ(poke["x-hqadz-owner-scoped"], true);
  EXPECT_EQ(poke["parameters"][0]["name"], "id");
  EXPECT_EQ(poke["parameters"][0]["in"], "path");
  EXPECT_EQ(poke["parameters"][0]["schema"]["type"], "integer");
  EXPECT_EQ(poke["requestBody"]["required"], true);
  EXPECT_EQ(poke["requestBody"]["content"]["application/json"]["schema"]["required"][0], "how");
  EXPECT_EQ(poke["responses"]["200"]["content"]["application/json"]["schema"]["required"][0],
            "poked");
  // Signed-in route with a JSON body and an id: 400, 401, 403, 404, 413, its own 409, and the
  // 500/503 any route may answer, each in the shared error shape.
  for (const char* status : {"400", "401", "403", "404", "409", "413", "500", "503"}) {
    ASSERT_TRUE(poke["responses"].contains(status)) << status;
    const std::string ref = poke["responses"][status]["$ref"];
    const auto& shared = doc["components"]["responses"][ref.substr(ref.rfind('/') + 1)];
    EXPECT_EQ(shared["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Error")
        << status;
  }
  EXPECT_FALSE(poke["responses"].contains("429"));

  const auto& list = doc["paths"]["/api/admin/things"]["get"];
  EXPECT_EQ(list["x-hqadz-access"], "admin");
  EXPECT_EQ(list["x-hqadz-owner-scoped"], false);
  EXPECT_EQ(list["tags"], nlohmann::json::array({"things", "demo"}));
  EXPECT_EQ(list["parameters"][0]["in"], "query");
  EXPECT_FALSE(list.contains("requestBody"));
  EXPECT_FALSE(list["responses"].contains("404")) << "no id, not owner-scoped";
  EXPECT_TRUE(doc["components"]["schemas"].contains("Error"));
}

TEST(OpenApiTest, SchemaBuildersListEveryFieldAndRequireAllButOptionalOnes) {
  const auto s = sc::obj({{"id", sc::integer()},
                          {"at", sc::nullable(sc::date_time())},
                          sc::opt("note", sc::string())});
  EXPECT_EQ(s["required"], nlohmann::json::array({"id", "at"}));
  EXPECT_EQ(s["properties"]["at"]["type"], nlohmann::json::array({"string", "null"}));
  EXPECT_EQ(s["properties"]["at"]["format"], "date-time");
  EXPECT_FALSE(s.contains("additionalProperties")) << "objects stay open to new fields";
  const auto n = sc::nullable(sc::ref("Payment"));
  EXPECT_EQ(n["anyOf"][1]["type"], "null");
  const auto e = sc::extend(sc::ref("Order"), {{"outcome", sc::string()}});
  EXPECT_EQ(e["allOf"][0]["$ref"], "#/components/schemas/Order");
  EXPECT_EQ(e["allOf"][1]["required"][0], "outcome");
}

}  // namespace
}  // namespace hqadz::api
