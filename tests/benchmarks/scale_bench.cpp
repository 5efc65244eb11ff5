// The scale benchmark (issue 9): every stage a design goes through, from 100 to 100,000 layers,
// in time and in memory. Linear means the time per layer and the bytes per layer stay flat down
// each column; the README's table is this output.
//
//   build/release/tests/benchmarks/netshape_bench --benchmark_filter=Scale
//
// Memory is counted by this binary's operator new: the peak of bytes live during one run of the
// stage, over what was live before it (the input it reads is not counted), reported per layer.
#include "engine/analysis.h"
#include "engine/json_format.h"
#include "engine/link_text.h"
#include "engine/report.h"
#include "networks.h"

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace {

std::atomic<size_t> g_live_bytes{0};
std::atomic<size_t> g_peak_bytes{0};

// Each block remembers its size in a header, so that delete can subtract it.
constexpr size_t kHeader = alignof(std::max_align_t);

void* counted_allocate(size_t bytes) {
    void* block = std::malloc(bytes + kHeader);
    if (!block) throw std::bad_alloc();
    *static_cast<size_t*>(block) = bytes;
    const size_t live = g_live_bytes.fetch_add(bytes) + bytes;
    size_t peak = g_peak_bytes.load();
    while (live > peak && !g_peak_bytes.compare_exchange_weak(peak, live)) {}
    return static_cast<char*>(block) + kHeader;
}

void counted_free(void* pointer) {
    if (!pointer) return;
    void* block = static_cast<char*>(pointer) - kHeader;
    g_live_bytes.fetch_sub(*static_cast<size_t*>(block));
    std::free(block);
}

} // namespace

void* operator new(size_t bytes) { return counted_allocate(bytes); }
void* operator new[](size_t bytes) { return counted_allocate(bytes); }
void operator delete(void* pointer) noexcept { counted_free(pointer); }
void operator delete[](void* pointer) noexcept { counted_free(pointer); }
void operator delete(void* pointer, size_t) noexcept { counted_free(pointer); }
void operator delete[](void* pointer, size_t) noexcept { counted_free(pointer); }

using namespace netshape;

namespace {

Architecture varied_network(size_t layer_count) { return benchmarks::deep_network(layer_count, true); }

// Runs `stage` in the benchmark loop and reports the time and the peak memory per layer.
template <typename Stage> void measure(benchmark::State& state, Stage&& stage) {
    const auto layers = static_cast<double>(state.range(0));
    double peak = 0;
    for (auto _ : state) {
        const size_t before = g_live_bytes.load();
        g_peak_bytes.store(before);
        stage();
        peak = std::max(peak, static_cast<double>(g_peak_bytes.load() - before));
    }
    state.SetComplexityN(state.range(0));
    state.counters["layers"] = layers;
    state.counters["ns_per_layer"] =
        benchmark::Counter(layers, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
    state.counters["peak_MB"] = peak / 1e6;
    state.counters["bytes_per_layer"] = peak / layers;
}

void BM_ScaleReadJson(benchmark::State& state) {
    const std::string text = architecture_to_json(varied_network(static_cast<size_t>(state.range(0))));
    measure(state, [&] { benchmark::DoNotOptimize(read_architecture_json(text).architecture.layers.data()); });
}

void BM_ScaleReadLink(benchmark::State& state) {
    const std::string text = architecture_to_text(varied_network(static_cast<size_t>(state.range(0))));
    measure(state, [&] { benchmark::DoNotOptimize(read_architecture_text(text).architecture.layers.data()); });
}

void BM_ScaleAnalyze(benchmark::State& state) {
    const Architecture design = varied_network(static_cast<size_t>(state.range(0)));
    measure(state, [&] {
        Analysis analysis = analyze(design);
        if (!analysis.ok()) state.SkipWithError(analysis.error->message.c_str());
        benchmark::DoNotOptimize(analysis.total_params);
    });
}

void BM_ScaleTable(benchmark::State& state) {
    const Analysis analysis = analyze(varied_network(static_cast<size_t>(state.range(0))));
    measure(state, [&] { benchmark::DoNotOptimize(format_table(analysis, {}).data()); });
}

// As the CLI and the page write it: in 64 KB pieces, each handed on (here: counted) and dropped.
void BM_ScaleSummaryJson(benchmark::State& state) {
    const Analysis analysis = analyze(varied_network(static_cast<size_t>(state.range(0))));
    measure(state, [&] {
        size_t bytes = 0;
        write_analysis_json(analysis, {}, 2, [&](std::string_view piece) { bytes += piece.size(); });
        benchmark::DoNotOptimize(bytes);
    });
}

void BM_ScaleWriteLink(benchmark::State& state) {
    const Architecture design = varied_network(static_cast<size_t>(state.range(0)));
    measure(state, [&] { benchmark::DoNotOptimize(architecture_to_text(design).data()); });
}

#define NETSHAPE_SCALE(name)                                                                                    \
    BENCHMARK(name)->RangeMultiplier(10)->Range(100, 100'000)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oN)
NETSHAPE_SCALE(BM_ScaleReadJson);
NETSHAPE_SCALE(BM_ScaleReadLink);
NETSHAPE_SCALE(BM_ScaleAnalyze);
NETSHAPE_SCALE(BM_ScaleTable);
NETSHAPE_SCALE(BM_ScaleSummaryJson);
NETSHAPE_SCALE(BM_ScaleWriteLink);

} // namespace
