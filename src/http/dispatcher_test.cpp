#include "http/dispatcher.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

namespace hqadz::http {
namespace {

class FakeAuth : public Authenticator {
 public:
  core::Result<Principal> authenticate(const Request& r) override {
    auto h = r.header("Authorization");
    if (h == "Bearer admin") {
      return Principal{1, Role::kAdmin, "a@x"};
    }
    if (h == "Bearer user") {
      return Principal{2, Role::kUser, "u@x"};
    }
    return core::Error{core::Errc::kUnauthenticated, "unauthenticated", "sign in first"};
  }
};

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() {
    router_.add({"GET", "/api/public", Access::kPublic,
                 [](Request&) { return Response::ok({{"ok", true}}); }});
    router_.add({"GET", "/api/me", Access::kUser,
                 [](Request& r) { return Response::ok({{"id", r.who().user_id}}); }});
    router_.add({"GET", "/api/admin/x", Access::kAdmin,
                 [](Request&) { return Response::ok({}); }});
    router_.add({"POST", "/api/echo", Access::kPublic,
                 [](Request& r) { return Response::ok(*r.json); }, true, 64});
    router_.add({"GET", "/api/boom", Access::kPublic,
                 [](Request&) -> Response { throw std::runtime_error("secret detail"); }});
    router_.add({.method = "GET",
                 .pattern = "/api/fast",
                 .access = Access::kPublic,
                 .handler = [](Request&) { return Response::ok({{"where", "worker"}}); },
                 .inline_handler = [this](Request&) -> std::optional<Response> {
                   if (!fast_inline_) {
                     return std::nullopt;
                   }
                   return Response::ok({{"where", "inline"}});
                 }});
  }
  /// Runs handle() as the server does; returns the response and whether `done` ran on the
  /// calling thread before handle() returned.
  std::pair<Response, bool> handle(std::string target) {
    Request r;
    r.method = "GET";
    r.target = std::move(target);
    r.client_address = "127.0.0.1";
    std::promise<std::pair<Response, std::thread::id>> answered;
    auto future = answered.get_future();
    dispatcher_.handle(std::move(r), [&answered](Response resp) {
      answered.set_value({std::move(resp), std::this_thread::get_id()});
    });
    const bool ready_on_return =
        future.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    auto [resp, thread] = future.get();
    return {std::move(resp), ready_on_return && thread == std::this_thread::get_id()};
  }
  Response call(std::string method, std::string target, std::string body = {},
                Headers headers = {}, std::string peer = "127.0.0.1") {
    Request r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.body = std::move(body);
    r.headers = std::move(headers);
    r.client_address = std::move(peer);
    last_ = r;
    auto resp = dispatcher_.process(r);
    last_ = r;
    return resp;
  }
  static std::string code(const Response& r) {
    return nlohmann::json::parse(r.body)["error"]["code"];
  }

  Router router_;
  FakeAuth auth_;
  Metrics metrics_;
  DispatcherSettings settings_{.default_body_limit = 1024, .trusted_proxies = {"10.0.0.1"},
                               .workers = 1};
  Dispatcher dispatcher_{settings_, router_, &auth_, nullptr, metrics_};
  Request last_;
  std::atomic<bool> fast_inline_{true};
};

TEST_F(DispatcherTest, AccessIsEnforcedBeforeHandlers) {
  EXPECT_EQ(call("GET", "/api/public").status, 200);
  EXPECT_EQ(call("GET", "/api/me").status, 401);
  EXPECT_EQ(call("GET", "/api/me", "", {{"Authorization", "Bearer user"}}).status, 200);
  EXPECT_EQ(call("GET", "/api/admin/x", "", {{"Authorization", "Bearer user"}}).status, 403);
  EXPECT_EQ(call("GET", "/api/admin/x", "", {{"Authorization", "Bearer admin"}}).status, 200);
}

TEST_F(DispatcherTest, UnknownApiRoutesAre404JsonAnd405ForWrongMethods) {
  auto r = call("GET", "/api/nothing");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(code(r), "not_found");
  r = call("DELETE", "/api/public");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(*find_header(r.headers, "Allow"), "GET, HEAD");
}

TEST_F(DispatcherTest, JsonBodiesAreValidated) {
  EXPECT_EQ(call("POST", "/api/echo", "{\"a\":1}").status, 200);
  for (const char* bad : {"", "{", "[1,2]", "\"str\"", "{\"a\":\"\xff\"}", "nul"}) {
    auto r = call("POST", "/api/echo", bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(code(r), "invalid_json") << bad;
  }
}

TEST_F(DispatcherTest, BodyLimitsComeFromTheRouteOrTheDefault) {
  EXPECT_EQ(dispatcher_.body_limit_for("POST", "/api/echo"), 64u);
  EXPECT_EQ(dispatcher_.body_limit_for("POST", "/api/echo?x=1"), 64u);
  EXPECT_EQ(dispatcher_.body_limit_for("POST", "/api/other"), 1024u);
  EXPECT_EQ(dispatcher_.body_limit_for("POST", "/%zz"), 1024u);
}

TEST_F(DispatcherTest, HandlerExceptionsBecomeAnOpaque500) {
  auto r = call("GET", "/api/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secret detail"), std::string::npos);
}

TEST_F(DispatcherTest, RequestIdsAreKeptWhenSaneAndMadeOtherwise) {
  auto r = call("GET", "/api/public", "", {{"X-Request-Id", "abc-123"}});
  EXPECT_EQ(*find_header(r.headers, "X-Request-Id"), "abc-123");
  r = call("GET", "/api/public", "", {{"X-Request-Id", "bad id with spaces"}});
  EXPECT_NE(*find_header(r.headers, "X-Request-Id"), "bad id with spaces");
}

TEST_F(DispatcherTest, ForwardedForIsBelievedOnlyFromTrustedProxies) {
  (void)call("GET", "/api/public", "", {{"X-Forwarded-For", "1.2.3.4"}}, "10.0.0.9");
  EXPECT_EQ(last_.client_address, "10.0.0.9");
  (void)call("GET", "/api/public", "", {{"X-Forwarded-For", "6.6.6.6, 1.2.3.4"}}, "10.0.0.1");
  EXPECT_EQ(last_.client_address, "1.2.3.4");
}

TEST_F(DispatcherTest, MalformedPathsAndQueriesAre400) {
  EXPECT_EQ(call("GET", "/api/%zz").status, 400);
  EXPECT_EQ(call("GET", "/api/public?x=%").status, 400);
  EXPECT_EQ(call("GET", "/api/%00").status, 400);
}

TEST_F(DispatcherTest, MetricsCountByRoutePattern) {
  (void)call("GET", "/api/public");
  (void)call("GET", "/api/public");
  const auto text = metrics_.render();
  EXPECT_NE(text.find("hqadz_http_requests_total{method=\"GET\",route=\"/api/public\","
                      "status=\"200\"} 2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("hqadz_http_request_duration_seconds_count{route=\"/api/public\"} 2"),
            std::string::npos);
}

TEST_F(DispatcherTest, InlineHandlersAnswerOnTheCallingThreadElseAWorkerDoes) {
  auto [fast, on_caller] = handle("/api/fast");
  EXPECT_TRUE(on_caller);
  EXPECT_NE(fast.body.find("inline"), std::string::npos) << fast.body;
  EXPECT_TRUE(find_header(fast.headers, "X-Request-Id")) << "the same pipeline as a worker's";

  fast_inline_ = false;  // the fast path declines: a worker runs the handler
  auto [slow, slow_on_caller] = handle("/api/fast");
  EXPECT_FALSE(slow_on_caller);
  EXPECT_NE(slow.body.find("worker"), std::string::npos) << slow.body;

  auto [other, other_on_caller] = handle("/api/public");
  EXPECT_FALSE(other_on_caller) << "routes without a fast path always go to a worker";
  EXPECT_EQ(other.status, 200);

  // Both paths are counted like any request.
  const auto text = metrics_.render();
  EXPECT_NE(text.find("hqadz_http_requests_total{method=\"GET\",route=\"/api/fast\","
                      "status=\"200\"} 2"),
            std::string::npos)
      << text;
}

TEST(RouterInline, AFastPathIsForPublicRoutesOnly) {
  Router r;
  EXPECT_THROW(r.add({.method = "GET",
                      .pattern = "/api/me/fast",
                      .access = Access::kUser,
                      .handler = [](Request&) { return Response::ok({}); },
                      .inline_handler = [](Request&) { return std::optional<Response>{}; }}),
               std::invalid_argument);
  EXPECT_FALSE(r.has_inline_routes());
}

}  // namespace
}  // namespace hqadz::http
