// A history page's rendering: MessageJson for 50 plain messages (an author, no embeds, no
// reactions), then the array serialized, as GET /channels/{id}/messages does after its reads.
#include <benchmark/benchmark.h>

#include <boost/json.hpp>

#include <vector>

#include "domain/json/message_json.hpp"

namespace {

using chat::domain::Snowflake;

std::vector<chat::domain::json::MessageData> Page() {
  std::vector<chat::domain::json::MessageData> page(50);
  Snowflake id = 1575785614618677248ULL;
  for (auto& d : page) {
    d.message.id = id++;
    d.message.channel_id = 1575785614555684864ULL;
    d.message.author_id = 1575785614555684000ULL + (id % 64);
    d.message.content = "a message of an ordinary length, like most of them";
    d.message.embeds_json = "[]";
    d.author.id = d.message.author_id;
    d.author.username = "user_" + std::to_string(id % 64);
    d.author.display_name = "User " + std::to_string(id % 64);
    d.guild_id = 1;
  }
  return page;
}

void BM_RenderHistoryPage(benchmark::State& state) {
  const auto page = Page();
  for (auto _ : state) {
    boost::json::array out;
    out.reserve(page.size());
    for (const auto& d : page) out.emplace_back(chat::domain::json::MessageJson(d));
    std::string body = boost::json::serialize(out);
    benchmark::DoNotOptimize(body);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(page.size()));
}
BENCHMARK(BM_RenderHistoryPage)->Name("render_history_page_50");

}  // namespace
