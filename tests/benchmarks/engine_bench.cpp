// Benchmarks of the engine (Google Benchmark). Goals, measured here rather than asserted by
// timed tests: analysis is linear in the number of layers, and a 10,000-layer network takes
// under 10 ms.
#include "engine/analysis.h"
#include "engine/json_format.h"
#include "engine/link_text.h"
#include "networks.h"

#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace netshape;

namespace {

void BM_AnalyzeDeepNetwork(benchmark::State& state) {
    Architecture architecture = benchmarks::deep_network(static_cast<size_t>(state.range(0)), false);
    for (auto _ : state) {
        Analysis analysis = analyze(architecture);
        if (!analysis.ok()) state.SkipWithError(analysis.error->message.c_str());
        benchmark::DoNotOptimize(analysis.total_params);
    }
    state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_AnalyzeDeepNetwork)->RangeMultiplier(10)->Range(100, 10'000)->Unit(benchmark::kMillisecond)->Complexity();

std::string read_file(const char* folder, const char* name) {
    std::ifstream file(std::filesystem::path(folder) / name, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

std::string read_preset(const char* name) { return read_file(NETSHAPE_PRESETS_DIR, name); }

// The whole path a user's file takes: read it (JSON or link text), analyse, build the summary JSON.
// The seeds' networks as JSON (assets/examples), ResNet-50 as link text (assets/presets).
void BM_SeedNetworkEndToEnd(benchmark::State& state, const char* folder, const char* name) {
    const std::string text = read_file(folder, name);
    for (auto _ : state) {
        ReadResult read = read_architecture_any(text);
        Analysis analysis = analyze(read.architecture);
        std::string summary = analysis_to_json(analysis);
        benchmark::DoNotOptimize(summary.data());
    }
}
BENCHMARK_CAPTURE(BM_SeedNetworkEndToEnd, lasagne_mnist, NETSHAPE_EXAMPLES_DIR, "lasagne_mnist.json")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_SeedNetworkEndToEnd, seed_004_pytorch_cnn, NETSHAPE_EXAMPLES_DIR, "seed_004_pytorch_cnn.json")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_SeedNetworkEndToEnd, vgg16, NETSHAPE_EXAMPLES_DIR, "vgg16.json")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_SeedNetworkEndToEnd, resnet50, NETSHAPE_PRESETS_DIR, "resnet50.ns")->Unit(benchmark::kMicrosecond);

// The link text, as the app reads it from the URL hash and writes it back after every edit.
void BM_LinkTextParse(benchmark::State& state) {
    const std::string text = read_preset("resnet50.ns");
    for (auto _ : state) {
        TextReadResult read = read_architecture_text(text);
        benchmark::DoNotOptimize(read.architecture.layers.data());
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_LinkTextParse)->Unit(benchmark::kMicrosecond);

void BM_LinkTextPrint(benchmark::State& state) {
    const Architecture architecture = read_architecture_text(read_preset("resnet50.ns")).architecture;
    for (auto _ : state) {
        std::string text = architecture_to_text(architecture);
        benchmark::DoNotOptimize(text.data());
    }
}
BENCHMARK(BM_LinkTextPrint)->Unit(benchmark::kMicrosecond);

void BM_AnalyzeResNet50(benchmark::State& state) {
    const Architecture architecture = read_architecture_text(read_preset("resnet50.ns")).architecture;
    for (auto _ : state) {
        Analysis analysis = analyze(architecture);
        benchmark::DoNotOptimize(analysis.total_params);
    }
}
BENCHMARK(BM_AnalyzeResNet50)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
