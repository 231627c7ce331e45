#include "payments/nowpayments.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <memory>

#include "core/clock.hpp"
#include "core/logging.hpp"
#include "core/raw_json.hpp"

namespace hqadz::payments {
namespace {

core::Error gateway(const std::string& code, const std::string& message) {
  return {core::Errc::kBadGateway, code, message};
}

size_t write_cb(char* data, size_t size, size_t n, void* userdata) {
  auto* out = static_cast<std::string*>(userdata);
  if (out->size() + size * n > (1u << 20)) {
    return 0;  // a provider answer is small; refuse a flood
  }
  out->append(data, size * n);
  return size * n;
}

std::string escape_json(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return s;
}

bool url_safe(const std::string& s) {
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '-' || c == '_' || c == '.')) {
      return false;
    }
  }
  return !s.empty();
}

std::optional<std::string> text_of(const core::RawJson& obj, const char* key) {
  const core::RawJson* v = obj.find(key);
  if (v == nullptr || v->kind == core::RawJson::Kind::kNull) {
    return std::nullopt;
  }
  return v->scalar_text();
}

std::optional<core::Decimal> decimal_of(const core::RawJson& obj, const char* key) {
  auto t = text_of(obj, key);
  return t ? core::Decimal::parse(*t) : std::nullopt;
}

/// The provider's error body → a message for the log and the user.
std::string provider_message(const std::string& body) {
  auto j = core::parse_raw_json(body);
  if (j && j->kind == core::RawJson::Kind::kObject) {
    auto code = text_of(*j, "code");
    auto msg = text_of(*j, "message");
    // The provider's words go to logs and error messages: printable, bounded.
    return core::escape_for_log((code ? *code + ": " : std::string()) + msg.value_or(""), 300);
  }
  return "unreadable answer";
}

}  // namespace

core::Result<ProviderPayment> parse_provider_payment(std::string_view body) {
  auto j = core::parse_raw_json(body, {.max_depth = 32, .max_bytes = 256 * 1024});
  if (!j || j->kind != core::RawJson::Kind::kObject) {
    return gateway("provider_bad_response", "the payment provider answered something unreadable");
  }
  ProviderPayment p;
  auto id = text_of(*j, "payment_id");
  auto status = text_of(*j, "payment_status");
  if (!id || id->empty() || id->size() > 64 || !status || status->size() > 32) {
    return gateway("provider_bad_response", "the payment provider's answer lacks the payment");
  }
  p.payment_id = *id;
  p.status = lower(*status);
  p.pay_address = text_of(*j, "pay_address");
  p.pay_amount = decimal_of(*j, "pay_amount");
  if (auto c = text_of(*j, "pay_currency")) {
    p.pay_currency = lower(*c);
  }
  p.payin_extra_id = text_of(*j, "payin_extra_id");
  p.actually_paid = decimal_of(*j, "actually_paid");
  p.price_amount = decimal_of(*j, "price_amount");
  if (auto c = text_of(*j, "price_currency")) {
    p.price_currency = lower(*c);
  }
  p.order_id = text_of(*j, "order_id");
  if (auto v = text_of(*j, "valid_until")) {
    if (auto t = core::parse_iso8601(*v)) {
      p.valid_until = core::to_unix_ms(*t);
    }
  }
  if (auto v = text_of(*j, "expiration_estimate_date")) {
    if (auto t = core::parse_iso8601(*v)) {
      p.expires_at = core::to_unix_ms(*t);
    }
  }
  return p;
}

NowPaymentsProvider::NowPaymentsProvider(NowPaymentsSettings settings)
    : settings_(std::move(settings)) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  while (!settings_.api_url.empty() && settings_.api_url.back() == '/') {
    settings_.api_url.pop_back();
  }
}

core::Result<NowPaymentsProvider::Reply> NowPaymentsProvider::call(const std::string& method,
                                                                   const std::string& path,
                                                                   const std::string& body) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    return core::Error::internal("curl_easy_init failed");
  }
  CURL* h = curl.get();
  const std::string url = settings_.api_url + path;
  const std::string key = "x-api-key: " + settings_.api_key;
  curl_slist* headers = curl_slist_append(nullptr, key.c_str());
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Accept: application/json");
  headers = curl_slist_append(headers, "Expect:");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> guard(headers, curl_slist_free_all);
  Reply reply;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.timeout.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min<int64_t>(settings_.timeout.count(), 5000)));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply.body);
  if (method == "POST") {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  const CURLcode rc = curl_easy_perform(h);
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    spdlog::warn("nowpayments {} {}: timeout", method, core::escape_for_log(path));
    return gateway("provider_timeout", "the payment provider did not answer in time");
  }
  if (rc != CURLE_OK) {
    spdlog::warn("nowpayments {} {}: {}", method, core::escape_for_log(path),
                 curl_easy_strerror(rc));
    return gateway("provider_unreachable", "the payment provider cannot be reached");
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply.status);
  if (reply.status >= 500) {
    spdlog::warn("nowpayments {} {}: HTTP {}", method, core::escape_for_log(path), reply.status);
    return gateway("provider_error", "the payment provider failed (HTTP " +
                                         std::to_string(reply.status) + "); try again later");
  }
  return reply;
}

core::Result<std::optional<core::Decimal>> NowPaymentsProvider::minimum_price(
    const std::string& pay_currency, const std::string& price_currency) {
  if (!url_safe(pay_currency) || !url_safe(price_currency)) {
    return core::Error::invalid("invalid_pay_currency", "pay_currency is not a currency code");
  }
  auto r = call("GET",
                "/min-amount?currency_from=" + lower(pay_currency) + "&currency_to=" +
                    lower(pay_currency) + "&fiat_equivalent=" + lower(price_currency),
                "");
  if (!r.ok()) {
    return r.error();
  }
  if (r->status >= 400) {
    spdlog::warn("nowpayments min-amount: HTTP {} {}", r->status, provider_message(r->body));
    if (r->status == 400) {
      return core::Error{core::Errc::kUnprocessable, "unsupported_pay_currency",
                         "the payment provider does not accept " + pay_currency};
    }
    return gateway("provider_rejected", "the payment provider refused the request");
  }
  auto j = core::parse_raw_json(r->body);
  if (!j || j->kind != core::RawJson::Kind::kObject) {
    return gateway("provider_bad_response", "the payment provider answered something unreadable");
  }
  return decimal_of(*j, "fiat_equivalent");
}

core::Result<ProviderPayment> NowPaymentsProvider::create_payment(const CreatePayment& req) {
  std::string body = "{\"price_amount\":" + req.price_amount.to_string() +
                     ",\"price_currency\":\"" + escape_json(lower(req.price_currency)) +
                     "\",\"pay_currency\":\"" + escape_json(lower(req.pay_currency)) +
                     "\",\"order_id\":\"" + std::to_string(req.order_id) +
                     "\",\"order_description\":\"" + escape_json(req.order_description) + "\"";
  if (!req.ipn_callback_url.empty()) {
    body += ",\"ipn_callback_url\":\"" + escape_json(req.ipn_callback_url) + "\"";
  }
  body += "}";
  auto r = call("POST", "/payment", body);
  if (!r.ok()) {
    return r.error();
  }
  if (r->status >= 400) {
    const std::string msg = provider_message(r->body);
    spdlog::warn("nowpayments create payment: HTTP {} {}", r->status, msg);
    if (msg.find("AMOUNT_MINIMAL_ERROR") != std::string::npos) {
      return core::Error{core::Errc::kUnprocessable, "amount_below_minimum",
                         "the amount is below the minimum the provider accepts for " +
                             req.pay_currency};
    }
    return gateway("provider_rejected",
                   "the payment provider refused the payment (HTTP " + std::to_string(r->status) +
                       ")");
  }
  auto p = parse_provider_payment(r->body);
  if (p.ok() && (!p->pay_address || !p->pay_amount)) {
    return gateway("provider_bad_response", "the payment provider gave no address or amount");
  }
  return p;
}

core::Result<ProviderPayment> NowPaymentsProvider::get_payment(const std::string& payment_id) {
  if (!url_safe(payment_id)) {
    return core::Error::invalid("invalid_payment_id", "bad payment id");
  }
  auto r = call("GET", "/payment/" + payment_id, "");
  if (!r.ok()) {
    return r.error();
  }
  if (r->status >= 400) {
    return gateway("provider_rejected", "the payment provider refused the request (HTTP " +
                                            std::to_string(r->status) + ")");
  }
  return parse_provider_payment(r->body);
}

}  // namespace hqadz::payments
