#include "telemetry/otlp_exporter.hpp"

#include <curl/curl.h>

#include <boost/json.hpp>

#include <mutex>

#include "common/log.hpp"

namespace chat::telemetry {

namespace {

constexpr const char* kTarget = "telemetry";
namespace json = boost::json;

json::object Attribute(const std::string& key, const tracing::Span::Value& value) {
  json::object v;
  if (const auto* s = std::get_if<std::string>(&value)) {
    v["stringValue"] = *s;
  } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
    v["intValue"] = std::to_string(*i);  // int64 travels as a string in proto3 JSON
  } else {
    v["boolValue"] = std::get<bool>(value);
  }
  return {{"key", key}, {"value", std::move(v)}};
}

std::size_t Discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

}  // namespace

std::string EncodeSpans(const std::vector<tracing::Span>& spans, const std::string& service_name) {
  json::array out;
  out.reserve(spans.size());
  for (const auto& s : spans) {
    json::array attributes;
    for (const auto& [key, value] : s.attributes) attributes.push_back(Attribute(key, value));
    json::object span{
        {"traceId", tracing::Hex(s.trace_id.data(), s.trace_id.size())},
        {"spanId", tracing::Hex(s.span_id.data(), s.span_id.size())},
        {"name", s.name},
        {"kind", static_cast<int>(s.kind)},
        {"startTimeUnixNano", std::to_string(s.start_unix_ns)},
        {"endTimeUnixNano", std::to_string(s.end_unix_ns)},
        {"attributes", std::move(attributes)},
        {"status", {{"code", s.error ? 2 : 0}}},
    };
    if (s.parent_id) span["parentSpanId"] = tracing::Hex(s.parent_id->data(), s.parent_id->size());
    out.push_back(std::move(span));
  }
  json::object resource{{"attributes", json::array{Attribute("service.name", service_name)}}};
  json::object scope_spans{{"scope", {{"name", "chat-server"}}}, {"spans", std::move(out)}};
  json::object resource_spans{{"resource", std::move(resource)},
                              {"scopeSpans", json::array{std::move(scope_spans)}}};
  return json::serialize(json::object{{"resourceSpans", json::array{std::move(resource_spans)}}});
}

OtlpExporter::OtlpExporter(OtlpOptions options)
    : options_(std::move(options)), url_([this] {
        std::string url = options_.endpoint;
        while (!url.empty() && url.back() == '/') url.pop_back();
        return url + "/v1/traces";
      }()) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  thread_ = std::thread([this] { Loop(); });
}

OtlpExporter::~OtlpExporter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void OtlpExporter::Record(tracing::Span span) {
  std::size_t queued;
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= options_.max_queue) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    queue_.push_back(std::move(span));
    queued = queue_.size();
  }
  if (queued == options_.max_batch) wake_.notify_one();
}

void OtlpExporter::Loop() {
  for (;;) {
    std::vector<tracing::Span> batch;
    bool last = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, options_.interval,
                     [this] { return stopping_ || queue_.size() >= options_.max_batch; });
      last = stopping_;
      if (queue_.size() <= options_.max_batch) {
        batch.swap(queue_);
      } else {
        batch.assign(std::make_move_iterator(queue_.begin()),
                     std::make_move_iterator(queue_.begin() + options_.max_batch));
        queue_.erase(queue_.begin(), queue_.begin() + options_.max_batch);
        // Shutting down: one last batch, so that a collector that is down holds it one timeout.
        if (last) {
          dropped_.fetch_add(queue_.size(), std::memory_order_relaxed);
          queue_.clear();
        }
      }
    }
    if (!batch.empty()) {
      if (Post(EncodeSpans(batch, options_.service_name))) {
        exported_.fetch_add(batch.size(), std::memory_order_relaxed);
      } else {
        dropped_.fetch_add(batch.size(), std::memory_order_relaxed);
      }
    }
    if (last) return;
  }
}

bool OtlpExporter::Post(const std::string& body) {
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return false;
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  const long timeout_ms = static_cast<long>(options_.timeout.count());
  curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Discard);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  if (rc == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  const bool ok = rc == CURLE_OK && status >= 200 && status < 300;
  if (!ok && !failing_) {
    failing_ = true;
    log::Warn(kTarget, "trace export failed; spans are dropped until it works again",
              {{"url", url_},
               {"error", rc != CURLE_OK ? std::string(curl_easy_strerror(rc))
                                        : "HTTP " + std::to_string(status)}});
  } else if (ok && failing_) {
    failing_ = false;
    log::Info(kTarget, "trace export works again", {{"url", url_}});
  }
  return ok;
}

}  // namespace chat::telemetry
