#include "http/metrics.hpp"

#include <fmt/format.h>

namespace hqadz::http {
namespace {

std::string escape_label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

void Metrics::observe(const std::string& method, const std::string& route, int status,
                      double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{method, route, status}];
  auto& h = latency_[route];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++h.buckets[i];
    }
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::set_gauge(const std::string& name, const std::string& help, double value) {
  std::lock_guard lock(mutex_);
  gauges_[name] = {help, value};
}

void Metrics::count(const std::string& name, const std::string& help, uint64_t by) {
  std::lock_guard lock(mutex_);
  auto& c = counters_[name];
  c.first = help;
  c.second += by;
}

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP hqadz_http_requests_total HTTP requests by method, route and status.\n";
  out += "# TYPE hqadz_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out += fmt::format("hqadz_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                       escape_label(method), escape_label(route), status, n);
  }
  out += "# HELP hqadz_http_request_duration_seconds Time to answer a request, by route.\n";
  out += "# TYPE hqadz_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    const std::string r = escape_label(route);
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out += fmt::format("hqadz_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                         r, kBuckets[i], h.buckets[i]);
    }
    out += fmt::format("hqadz_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                       r, h.count);
    out += fmt::format("hqadz_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", r, h.sum);
    out += fmt::format("hqadz_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", r, h.count);
  }
  for (const auto& [name, c] : counters_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} counter\n{} {}\n", name, c.first, name, name,
                       c.second);
  }
  for (const auto& [name, g] : gauges_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{} {}\n", name, g.first, name, name, g.second);
  }
  return out;
}

}  // namespace hqadz::http
