// Message inserts and 50-message page reads on SQLite (a WAL file in a temp dir) and, when
// CHAT_BENCH_DATABASE_URL names a PostgreSQL server, on a fresh database there. Threads model
// concurrent requests: each iteration is one store call, as one HTTP request makes.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <unistd.h>

#include "domain/snowflake.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/store.hpp"

namespace {

using chat::domain::Snowflake;

struct Fixture {
  std::unique_ptr<chat::store::Store> store;
  chat::domain::SnowflakeGenerator ids{2, 2};
  Snowflake channel = 0;
};

void Seed(Fixture& f) {
  chat::domain::User user;
  user.id = 1;
  user.username = "bench";
  user.email = "bench@bench.local";
  (void)f.store->CreateUser(user);
  chat::store::NewGuild g;
  g.guild.id = 10;
  g.guild.name = "bench";
  g.guild.owner_id = 1;
  chat::domain::Role everyone;
  everyone.id = 10;
  everyone.name = "@everyone";
  g.roles.push_back(everyone);
  chat::domain::Channel c;
  c.id = 11;
  c.name = "general";
  g.channels.push_back(c);
  g.owner.user_id = 1;
  (void)f.store->CreateGuild(g);
  f.channel = 11;
  for (int i = 0; i < 1000; ++i) {
    chat::domain::Message m;
    m.id = f.ids.Next();
    m.channel_id = f.channel;
    m.author_id = 1;
    m.content = "warm-up message " + std::to_string(i);
    (void)f.store->CreateMessage(m);
  }
}

Fixture& Sqlite() {
  static std::unique_ptr<Fixture> f = [] {
    auto x = std::make_unique<Fixture>();
    auto dir =
        std::filesystem::temp_directory_path() / ("chat-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    x->store = std::move(*chat::store::sqlite::OpenSqliteStore((dir / "chat.db").string()));
    Seed(*x);
    return x;
  }();
  return *f;
}

Fixture* Postgres() {
  static std::unique_ptr<Fixture> f = []() -> std::unique_ptr<Fixture> {
    const char* url = std::getenv("CHAT_BENCH_DATABASE_URL");
    if (!url || !*url) return nullptr;
    chat::store::postgres::PostgresOptions options;
    options.max_connections = 64;
    auto store = chat::store::postgres::OpenPostgresStore(url, options);
    if (!store) return nullptr;
    auto x = std::make_unique<Fixture>();
    x->store = std::move(*store);
    Seed(*x);
    return x;
  }();
  return f.get();
}

void Insert(benchmark::State& state, Fixture* f) {
  if (!f) {
    state.SkipWithError("CHAT_BENCH_DATABASE_URL not set");
    return;
  }
  for (auto _ : state) {
    chat::domain::Message m;
    m.id = f->ids.Next();
    m.channel_id = f->channel;
    m.author_id = 1;
    m.content = "Load test message";
    if (!f->store->CreateMessage(m)) state.SkipWithError("insert failed");
  }
  state.SetItemsProcessed(state.iterations());
}

void Page(benchmark::State& state, Fixture* f) {
  if (!f) {
    state.SkipWithError("CHAT_BENCH_DATABASE_URL not set");
    return;
  }
  chat::store::MessageQuery query;
  query.limit = 50;
  for (auto _ : state) {
    auto page = f->store->ListMessages(f->channel, query);
    if (!page || page->size() != 50) state.SkipWithError("page read failed");
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_SqliteInsert(benchmark::State& s) { Insert(s, &Sqlite()); }
void BM_SqlitePage50(benchmark::State& s) { Page(s, &Sqlite()); }
void BM_PostgresInsert(benchmark::State& s) { Insert(s, Postgres()); }
void BM_PostgresPage50(benchmark::State& s) { Page(s, Postgres()); }

BENCHMARK(BM_SqliteInsert)->Threads(1)->Threads(8)->UseRealTime();
BENCHMARK(BM_SqlitePage50)->Threads(1)->Threads(8)->UseRealTime();
BENCHMARK(BM_PostgresInsert)->Threads(1)->Threads(8)->UseRealTime();
BENCHMARK(BM_PostgresPage50)->Threads(1)->Threads(8)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
