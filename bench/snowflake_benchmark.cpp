// The seed's `generate_snowflake` benchmark: one id from a shared generator, single-threaded and
// contended by several threads.
#include <benchmark/benchmark.h>

#include "domain/snowflake.hpp"

namespace {

chat::domain::SnowflakeGenerator& Generator() {
  static chat::domain::SnowflakeGenerator generator(1, 1);
  return generator;
}

void BM_GenerateSnowflake(benchmark::State& state) {
  auto& generator = Generator();
  for (auto _ : state) benchmark::DoNotOptimize(generator.Next());
}
BENCHMARK(BM_GenerateSnowflake)->Name("generate_snowflake");
BENCHMARK(BM_GenerateSnowflake)->Name("generate_snowflake_contended")->Threads(2);

}  // namespace
