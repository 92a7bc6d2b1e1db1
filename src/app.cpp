#include "app.hpp"

#include <algorithm>
#include <filesystem>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "bus/local/local_bus.hpp"
#include "bus/redis/redis_bus.hpp"
#include "bus/redis/redis_handoff_store.hpp"
#include "bus/redis/redis_presence.hpp"
#include "bus/redis/redis_shared_keys.hpp"
#include "common/blocking_pool.hpp"
#include "common/log.hpp"
#include "common/memory_trimmer.hpp"
#include "common/metrics.hpp"
#include "common/periodic_task.hpp"
#include "domain/snowflake.hpp"
#include "gateway/gateway.hpp"
#include "http/api.hpp"
#include "http/http_server.hpp"
#include "http/rate_limit_gate.hpp"
#include "http/router.hpp"
#include "http/routes/community_services.hpp"
#include "http/routes/routes.hpp"
#include "http/routes/system_routes.hpp"
#include "http/upgrade.hpp"
#include "mail/mailer.hpp"
#include "mail/smtp_mailer.hpp"
#include "service/access_service.hpp"
#include "service/application_service.hpp"
#include "service/attachment_service.hpp"
#include "service/audit_log_service.hpp"
#include "service/auth/jwt.hpp"
#include "service/auth_service.hpp"
#include "service/login_throttle.hpp"
#include "service/rate_limits.hpp"
#include "service/search_service.hpp"
#include "service/user_service.hpp"
#include "service/viewer_cache.hpp"
#include "service/webhook_service.hpp"
#include "store_factory.hpp"
#include "telemetry/otlp_exporter.hpp"

namespace chat {
namespace {
constexpr std::string_view kTarget = "chat_server";

unsigned OrCores(unsigned n) { return n ? n : std::max(1u, std::thread::hardware_concurrency()); }

std::string GatewayUrl(const config::Settings& s, std::uint16_t port) {
  if (!s.public_url.empty()) {
    std::string url = s.public_url;
    if (url.rfind("https://", 0) == 0) return "wss://" + url.substr(8);
    if (url.rfind("http://", 0) == 0) return "ws://" + url.substr(7);
    return url;
  }
  return "ws://" + s.host + ":" + std::to_string(port);
}

// Where uploaded files are served from: PUBLIC_URL, else this listener.
std::string PublicBaseUrl(const config::Settings& s, std::uint16_t port) {
  std::string url =
      s.public_url.empty() ? "http://" + s.host + ":" + std::to_string(port) : s.public_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// Events tagged with this id are this process's own (bus/redis): unique even when two nodes
// share a WORKER_ID by mistake or a pid is reused on another host.
std::string BusNodeId(const config::Settings& s) {
  std::random_device random;
  return fmt::format("w{}-{}-{:08x}", s.worker_id, ::getpid(), random());
}

}  // namespace

struct App::Parts {
  metrics::Registry registry;
  gateway::PresenceTracker presence;  // the gateway's sessions update it; REST counts from it
  http::ServerMetrics server_metrics;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<BlockingPool> db_pool;
  std::unique_ptr<BlockingPool> hash_pool;
  std::unique_ptr<domain::SnowflakeGenerator> ids;
  std::unique_ptr<service::auth::JwtCodec> jwt;
  // Before every subscriber (auth's session revocations among them): destroyed after them all.
  std::unique_ptr<bus::EventBus> bus;
  std::unique_ptr<service::AuthService> auth;
  std::unique_ptr<service::UserService> users;
  std::unique_ptr<service::ApplicationService> applications;
  std::unique_ptr<service::LoginThrottle> login_throttle;
  std::unique_ptr<service::RateLimits> rate_limits;  // REST limits per token
  std::unique_ptr<mail::MailQueue> mail;             // with SMTP_HOST
  std::unique_ptr<telemetry::OtlpExporter> traces;   // with OTEL_EXPORTER_OTLP_ENDPOINT
  std::unique_ptr<http::RateLimitGate> rate_limit_gate;
  std::unique_ptr<bus::HandoffStore> handoff;    // with Redis: sessions move between nodes
  std::unique_ptr<bus::SharedKeys> shared_keys;  // with Redis: slowmode and nonces span nodes
  // With Redis: who is online spans nodes. Declared before `gateway`, whose beat thread uses it.
  std::unique_ptr<bus::PresenceDirectory> presence_directory;
  // Declared after `bus`: it unsubscribes from it when destroyed.
  std::unique_ptr<service::ViewerCache> viewer_cache;
  std::unique_ptr<service::AccessService> access;
  // The same rules with recipients from viewer_cache, for the message and reaction paths only
  // (service/access_service.hpp says why the community services keep `access`).
  std::unique_ptr<service::AccessService> message_access;
  std::unique_ptr<http::CommunityServices> communities;
  std::unique_ptr<service::MessageService> messages;
  std::unique_ptr<service::ReactionService> reactions;
  std::unique_ptr<service::WebhookService> webhooks;
  std::unique_ptr<service::InteractionService> interactions;
  std::unique_ptr<service::ForumService> forums;
  std::unique_ptr<service::GroupDmService> group_dms;
  std::unique_ptr<service::AttachmentService> attachments;
  std::unique_ptr<service::SearchService> search;
  std::unique_ptr<service::AuditLogService> audit_log;
  // Declared before api/router/server, so destroyed after the server's io_context.
  std::shared_ptr<http::UpgradeHandler> gateway;
  std::unique_ptr<http::Api> api;
  http::Router router;
  std::unique_ptr<http::HttpServer> server;
};

App::App(config::Settings settings)
    : settings_(std::move(settings)), parts_(std::make_unique<Parts>()) {}

App::~App() = default;

void App::AddMetrics() {
  auto& p = *parts_;
  p.server_metrics.requests = &p.registry.AddCounter(
      "http_requests_total", "HTTP requests by method, route template and status.",
      {"method", "route", "status"});
  p.server_metrics.latency = &p.registry.AddHistogram(
      "http_request_duration_seconds", "HTTP request latency by method and route template.",
      {"method", "route"},
      {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10});
  p.registry.AddGauge(
      {"http_open_connections", "Open HTTP connections.", "gauge", "",
       [m = &p.server_metrics] { return static_cast<double>(m->open_connections.load()); }});
  p.registry.AddGauge({"worker_pool_pending", "Blocking calls queued or running.", "gauge",
                       "pool=\"db\"",
                       [pool = p.db_pool.get()] { return static_cast<double>(pool->Pending()); }});
  // Read at scrape time: the gateway is built after the metrics.
  p.registry.AddGauge(
      {"gateway_connections", "Open gateway WebSocket connections.", "gauge", "",
       [&p] { return p.gateway ? static_cast<double>(p.gateway->Active()) : 0.0; }});
  const auto viewer_stat = [&p](auto field) {
    return [&p, field] { return static_cast<double>(p.viewer_cache->GetStats().*field); };
  };
  p.registry.AddGauge({"viewer_cache_guilds", "Guilds whose members and viewers are cached.",
                       "gauge", "", viewer_stat(&service::ViewerCache::Stats::guilds)});
  p.registry.AddGauge({"viewer_cache_members", "Members held by the viewer cache.", "gauge", "",
                       viewer_stat(&service::ViewerCache::Stats::members)});
  p.registry.AddGauge({"viewer_cache_loads_total", "Guild snapshots read from the store.",
                       "counter", "", viewer_stat(&service::ViewerCache::Stats::loads)});
  if (p.traces) {
    p.registry.AddGauge({"otlp_spans_exported_total", "Spans the trace collector accepted.",
                         "counter", "",
                         [t = p.traces.get()] { return static_cast<double>(t->exported()); }});
    p.registry.AddGauge({"otlp_spans_dropped_total",
                         "Spans dropped: the queue was full or the collector refused them.",
                         "counter", "",
                         [t = p.traces.get()] { return static_cast<double>(t->dropped()); }});
  }
  p.registry.AddGauge({"chat_build_info", "Build information.", "gauge",
                       "version=\"" CHAT_VERSION "\"", [] { return 1.0; }});
  p.registry.AddProcessMetrics();
}

int App::Serve() {
  auto& p = *parts_;
  const auto& s = settings_;

  auto opened = store::OpenStore(s, /*migrate=*/true);
  if (!opened) {
    log::Error(kTarget, "cannot open the database", {{"error", opened.error().message}});
    return 1;
  }
  p.store = std::move(*opened);
  p.db_pool = std::make_unique<BlockingPool>("db", s.DatabaseThreads());
  p.hash_pool = std::make_unique<BlockingPool>("hash", OrCores(s.hash_threads));
  p.ids = std::make_unique<domain::SnowflakeGenerator>(s.worker_id, ::getpid() & 0x1F);
  p.jwt = std::make_unique<service::auth::JwtCodec>(s.jwt_secret);
  service::AuthOptions auth_options;
  auth_options.access_ttl = s.jwt_access_expiry;
  auth_options.refresh_ttl = s.jwt_refresh_expiry;
  auth_options.hash_params = HashParamsOf(s);
  p.auth = std::make_unique<service::AuthService>(*p.store, *p.store, *p.store, *p.ids, *p.jwt,
                                                  auth_options);
  p.users = std::make_unique<service::UserService>(*p.store, *p.auth);
  p.applications =
      std::make_unique<service::ApplicationService>(*p.store, *p.store, *p.ids, *p.auth);
  if (s.redis_url.empty()) {
    p.bus = std::make_unique<bus::LocalBus>();
  } else {
    auto endpoint = bus::redis::ParseRedisUrl(s.redis_url);
    if (!endpoint) {
      log::Error(kTarget, "REDIS_URL", {{"error", endpoint.error().message}});
      return 1;
    }
    // Starts at once and retries in the background: a node serves while Redis is down.
    const std::string node_id = BusNodeId(s);
    auto redis = std::make_unique<bus::redis::RedisBus>(bus::redis::RedisBusOptions{
        .endpoint = *endpoint, .node_id = node_id, .channel = s.redis_channel});
    p.handoff = std::make_unique<bus::redis::RedisHandoffStore>(*endpoint, node_id);
    p.shared_keys =
        std::make_unique<bus::redis::RedisSharedKeys>(bus::redis::RedisSharedKeysOptions{
            .endpoint = *endpoint, .node_id = node_id, .key_prefix = s.redis_channel + ":"});
    p.presence_directory = std::make_unique<bus::redis::RedisPresence>(
        bus::redis::RedisPresenceOptions{.endpoint = *endpoint,
                                         .node_id = node_id,
                                         .key_prefix = s.redis_channel + ":",
                                         .beat = s.presence_beat});
    p.presence.Share(p.presence_directory.get());
    redis->AddMetrics(p.registry);
    p.bus = std::move(redis);
  }
  p.access = std::make_unique<service::AccessService>(*p.store);
  service::ViewerCacheOptions viewer_options;
  // Locally an invalidation is never lost; with Redis, another node's may be (Redis down or its
  // queue full), so entries are re-read often enough to bound how long such a write goes unseen.
  if (!s.redis_url.empty()) {
    viewer_options.max_age = std::chrono::seconds(5);
    viewer_options.answer_permissions = false;  // see ViewerCacheOptions
  }
  p.viewer_cache = std::make_unique<service::ViewerCache>(*p.store, viewer_options);
  // Before the gateway subscribes: handlers run in subscription order, so a session that got a
  // change's event can count on the cache having dropped the guild already.
  p.viewer_cache->Attach(*p.bus);
  {
    // Subscribed before reading: a change published in between is not lost (versions only rise,
    // so the order they are learned in does not matter).
    p.auth->revocations().Attach(*p.bus);
    auto versions = p.store->ListTokenVersions();
    if (!versions) {
      log::Error(kTarget, "cannot read token versions", {{"error", versions.error().message}});
      return 1;
    }
    p.auth->revocations().Load(*versions);
  }
  p.message_access = std::make_unique<service::AccessService>(*p.store, p.viewer_cache.get());
  p.audit_log = std::make_unique<service::AuditLogService>(*p.store, *p.access, *p.bus, *p.ids,
                                                           s.feature_audit_logging);
  p.messages =
      std::make_unique<service::MessageService>(*p.store, *p.message_access, *p.bus, *p.ids);
  p.messages->SetAuditLog(p.audit_log.get());
  p.messages->ShareLimits(p.shared_keys.get());
  p.reactions = std::make_unique<service::ReactionService>(*p.store, *p.message_access, *p.bus);
  p.search = std::make_unique<service::SearchService>(*p.store, *p.access, *p.messages);
  if (s.feature_rate_limiting) {
    service::LoginThrottleOptions throttle;
    throttle.max_account_failures = static_cast<int>(s.login_max_failures);
    throttle.window = s.login_failure_window;
    p.login_throttle = std::make_unique<service::LoginThrottle>(throttle);
    p.login_throttle->Share(p.shared_keys.get());
    if (s.rate_limit_global > 0 || s.rate_limit_route > 0) {
      service::RateLimitOptions limits;
      limits.global_per_second = static_cast<int>(s.rate_limit_global);
      limits.route_per_window = static_cast<int>(s.rate_limit_route);
      p.rate_limits = std::make_unique<service::RateLimits>(limits);
      p.rate_limits->Share(p.shared_keys.get());
      p.rate_limit_gate =
          std::make_unique<http::RateLimitGate>(*p.rate_limits, *p.auth, *p.db_pool);
    }
  }
  if (!s.smtp_host.empty()) {
    mail::SmtpOptions smtp{s.smtp_host, s.smtp_port, s.smtp_from};
    using Tls = mail::SmtpOptions::Tls;
    smtp.tls = s.smtp_tls == "off"        ? Tls::kOff
               : s.smtp_tls == "require"  ? Tls::kRequire
               : s.smtp_tls == "implicit" ? Tls::kImplicit
                                          : Tls::kTry;
    smtp.username = s.smtp_username;
    smtp.password = s.smtp_password;
    p.mail = std::make_unique<mail::MailQueue>(std::make_unique<mail::SmtpMailer>(smtp));
  }
  if (!s.otel_endpoint.empty()) {
    telemetry::OtlpOptions otlp;
    otlp.endpoint = s.otel_endpoint;
    otlp.service_name = s.otel_service_name;
    p.traces = std::make_unique<telemetry::OtlpExporter>(otlp);
  }
  if (s.feature_metrics) AddMetrics();

  http::ServerOptions options;
  options.host = s.host;
  options.port = s.port;
  options.threads = OrCores(s.http_threads);
  options.max_body_bytes = s.max_body_bytes;
  options.max_upload_bytes = s.max_upload_bytes;
  options.header_timeout = s.http_header_timeout;
  options.idle_timeout = s.http_idle_timeout;
  options.shutdown_timeout = s.shutdown_timeout;
  options.gate = p.rate_limit_gate.get();
  options.spans = p.traces.get();
  // Config allows only valid names and ratios.
  options.sampler =
      tracing::Sampler::Parse(s.otel_sampler, s.otel_sampler_arg).value_or(tracing::Sampler());
  http::UpgradeHandler* upgrade = nullptr;
  gateway::GatewayDeps gateway_deps{*p.auth, *p.store, *p.bus, *p.db_pool, p.presence};
  gateway_deps.messages = p.messages.get();
  gateway_deps.handoff = p.handoff.get();
  gateway_deps.viewers = p.viewer_cache.get();
  p.gateway = MakeGateway(gateway_deps, s.gateway_heartbeat_interval,
                          p.presence_directory ? s.presence_beat : std::chrono::milliseconds(0),
                          [&p] { return p.api ? p.api->gateway_url : std::string(); });
  upgrade = p.gateway.get();
  p.server = std::make_unique<http::HttpServer>(options, p.router, p.server_metrics, upgrade);
  std::uint16_t port;
  try {
    port = p.server->Listen();
  } catch (const std::exception& e) {
    log::Error(kTarget, e.what());
    return 1;
  }

  p.api = std::make_unique<http::Api>(http::Api{*p.auth, *p.users, *p.applications,
                                                p.login_throttle.get(), *p.db_pool, *p.hash_pool,
                                                GatewayUrl(s, port), PublicBaseUrl(s, port)});
  p.api->access = p.access.get();
  p.api->mail = p.mail.get();
  p.api->bus = p.bus.get();
  p.api->ids = p.ids.get();
  p.communities = std::make_unique<http::CommunityServices>(service::CommunityDeps{
      *p.store, *p.access, *p.bus, *p.ids, p.audit_log.get(),
      [&p](std::span<const domain::Snowflake> users) {
        const auto shown = p.presence.Visible(users);
        return static_cast<std::int64_t>(
            std::count_if(shown.begin(), shown.end(), [](const auto& v) { return v.has_value(); }));
      }});
  p.api->communities = p.communities.get();
  p.communities->invites.SetMessages(p.messages.get());
  p.messages->SetAutoModerator(&p.communities->automod);
  p.api->messages = p.messages.get();
  p.api->reactions = p.reactions.get();
  p.webhooks = std::make_unique<service::WebhookService>(
      service::CommunityDeps{*p.store, *p.access, *p.bus, *p.ids, p.audit_log.get(), {}},
      *p.messages);
  p.api->webhooks = p.webhooks.get();
  p.interactions = std::make_unique<service::InteractionService>(
      service::CommunityDeps{*p.store, *p.access, *p.bus, *p.ids, p.audit_log.get(), {}},
      *p.messages);
  p.api->interactions = p.interactions.get();
  p.forums = std::make_unique<service::ForumService>(
      service::CommunityDeps{*p.store, *p.access, *p.bus, *p.ids, p.audit_log.get(), {}},
      p.communities->threads, *p.messages);
  p.api->forums = p.forums.get();
  p.group_dms = std::make_unique<service::GroupDmService>(
      service::CommunityDeps{*p.store, *p.access, *p.bus, *p.ids, p.audit_log.get(), {}},
      *p.messages);
  p.communities->channels.SetGroupDms(p.group_dms.get());
  p.api->group_dms = p.group_dms.get();
  p.attachments = std::make_unique<service::AttachmentService>(
      *p.store, *p.ids,
      service::AttachmentOptions{(std::filesystem::path(s.data_dir) / "attachments").string(),
                                 PublicBaseUrl(s, port), s.max_upload_bytes});
  p.attachments->SweepOrphans();
  p.messages->SetAttachments(p.attachments.get());
  p.api->attachments = p.attachments.get();
  p.api->search = p.search.get();
  p.api->audit_log = p.audit_log.get();
  http::AddSystemRoutes(
      p.router, {s.feature_metrics ? &p.registry : nullptr, [&p]() -> boost::asio::awaitable<bool> {
                   co_return co_await p.db_pool->Run([&p] { return p.store->Ping().has_value(); });
                 }});
  http::AddAuthRoutes(p.router, *p.api);
  http::AddWebRoutes(p.router);
  http::AddUserRoutes(p.router, *p.api);
  http::AddApplicationRoutes(p.router, *p.api);
  http::AddGatewayRoutes(p.router, *p.api);
  http::AddGuildRoutes(p.router, *p.api);
  http::AddChannelRoutes(p.router, *p.api);
  http::AddRoleRoutes(p.router, *p.api);
  http::AddMemberRoutes(p.router, *p.api);
  http::AddInviteRoutes(p.router, *p.api);
  http::AddSearchRoutes(p.router, *p.api);  // before the message routes: "search" is no id
  http::AddMessageRoutes(p.router, *p.api);
  http::AddAttachmentRoutes(p.router, *p.api);
  http::AddAuditLogRoutes(p.router, *p.api);
  http::AddWebhookRoutes(p.router, *p.api);
  http::AddThreadRoutes(p.router, *p.api);
  http::AddEmojiRoutes(p.router, *p.api);
  http::AddStickerRoutes(p.router, *p.api);
  http::AddScheduledEventRoutes(p.router, *p.api);
  http::AddGroupDmRoutes(p.router, *p.api);
  http::AddStageInstanceRoutes(p.router, *p.api);
  http::AddAutoModerationRoutes(p.router, *p.api);
  http::AddCommandRoutes(p.router, *p.api);
  http::AddInteractionRoutes(p.router, *p.api);

  log::Info(kTarget, "listening",
            {{"address", s.host + ":" + std::to_string(port)},
             {"version", CHAT_VERSION},
             {"database", store::DescribeDatabase(s)},
             {"bus", s.redis_url.empty() ? "local" : "redis"},
             {"threads", options.threads}});
  {
    // Every 30 s: a reconnect storm's READY payloads are freed within a heartbeat interval
    // (41 s), and a trim costs a few milliseconds per arena.
    const MemoryTrimmer trimmer(std::chrono::seconds(30));
    // Threads idle past their auto_archive_duration (an hour at least) are archived within a
    // minute of it; on several nodes each sweeps, and the store archives each thread once.
    const PeriodicTask archiver(std::chrono::minutes(1), [&p] {
      auto archived = p.communities->threads.ArchiveIdle();
      if (!archived) {
        log::Warn(kTarget, "thread archive sweep failed", {{"error", archived.error().message}});
      }
    });
    // Discord's status automation for scheduled events: external ones start and end on time,
    // unstarted ones are canceled hours after their start.
    const PeriodicTask event_clock(std::chrono::seconds(15), [&p] {
      auto moved = p.communities->events.AdvanceDue();
      if (!moved) {
        log::Warn(kTarget, "scheduled event sweep failed", {{"error", moved.error().message}});
      }
    });
    // Polls end at their expiry within 15 s: the votes are counted and the result posted.
    const PeriodicTask poll_clock(std::chrono::seconds(15), [&p] {
      auto ended = p.messages->EndDuePolls();
      if (!ended) log::Warn(kTarget, "poll sweep failed", {{"error", ended.error().message}});
    });
    // The outbox: work a node committed the cause of but did not finish (it stopped, or a write
    // failed) is taken up once its lease ends, first right after a start.
    const PeriodicTask outbox(
        std::chrono::seconds(15),
        [&p] {
          auto ran = p.messages->RunDueTasks();
          if (!ran) log::Warn(kTarget, "task sweep failed", {{"error", ran.error().message}});
        },
        PeriodicTask::Start::kNow);
    p.server->Run();
  }
  p.db_pool->Join();
  p.hash_pool->Join();
  log::Info(kTarget, "stopped");
  return 0;
}

service::auth::HashParams HashParamsOf(const config::Settings& s) {
  return {s.password_hash_memory_kib, s.password_hash_iterations, s.password_hash_parallelism};
}

}  // namespace chat
