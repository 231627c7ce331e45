#pragma once
/// Request counts and a latency histogram by route, in the Prometheus text format (0.0.4).
/// Debian has no prometheus-cpp, so this small registry is our own. Thread-safe.

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace hqadz::http {

class Metrics {
 public:
  /// `route` is the route's pattern (bounded cardinality), never the raw path.
  void observe(const std::string& method, const std::string& route, int status, double seconds);
  /// Adds a gauge sampled at render time by the caller (e.g. open connections).
  void set_gauge(const std::string& name, const std::string& help, double value);
  /// Adds `by` to counter `name` (a Prometheus counter; name it `..._total`).
  void count(const std::string& name, const std::string& help, uint64_t by = 1);
  std::string render() const;

  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;  // guarded by mutex_
  std::map<std::string, Histogram> latency_;                                // guarded by mutex_
  std::map<std::string, std::pair<std::string, double>> gauges_;            // guarded by mutex_
  std::map<std::string, std::pair<std::string, uint64_t>> counters_;        // guarded by mutex_
};

}  // namespace hqadz::http
