// Benchmarks of the diagram (Google Benchmark). Goals, measured here rather than asserted by timed
// tests: the layout of ResNet-50 under 2 ms, of 10,000 layers under 100 ms.
#include "engine/diagram_export.h"
#include "engine/diagram_layout.h"
#include "engine/link_text.h"
#include "engine/text.h"
#include "networks.h"

#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace netshape;

namespace {

Analysis analyze_preset(const char* name) {
    std::ifstream file(std::filesystem::path(NETSHAPE_PRESETS_DIR) / name, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return analyze(read_architecture_any(text.str()).architecture);
}

// Residual blocks, `layer_count` layers: conv / batch norm / relu / add reading the block's input,
// so a quarter of the edges skip rows and need lanes.
Architecture residual_network(size_t layer_count) {
    Architecture architecture;
    architecture.inputs = {{"input", {16, 16, 16}}};
    for (size_t i = 0; i < layer_count; ++i) {
        LayerSpec layer;
        layer.name = cat("l", i);
        switch (i % 4) {
        case 0:
            layer.type = "conv2d";
            layer.fields = {{"out_channels", int64_t{16}}, {"kernel_size", int64_t{3}}, {"padding", int64_t{1}}};
            break;
        case 1: layer.type = "batchnorm2d"; break;
        case 2: layer.type = "relu"; break;
        default:
            layer.type = "add";
            layer.inputs = {cat("l", i - 1), i >= 4 ? cat("l", i - 4) : std::string("input")};
        }
        architecture.layers.push_back(std::move(layer));
    }
    return architecture;
}

void BM_DiagramLayoutResNet50(benchmark::State& state) {
    const Analysis analysis = analyze_preset("resnet50.ns");
    const DiagramOptions options{.collapse_repeats = state.range(0) != 0};
    for (auto _ : state) {
        Diagram diagram = layout_diagram(analysis, options);
        benchmark::DoNotOptimize(diagram.width);
    }
}
BENCHMARK(BM_DiagramLayoutResNet50)->ArgName("collapse")->Arg(1)->Arg(0)->Unit(benchmark::kMicrosecond);

void BM_DiagramLayoutDeep(benchmark::State& state) {
    const Analysis analysis = analyze(benchmarks::deep_network(static_cast<size_t>(state.range(0)), true));
    for (auto _ : state) {
        Diagram diagram = layout_diagram(analysis);
        benchmark::DoNotOptimize(diagram.width);
    }
    state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_DiagramLayoutDeep)->RangeMultiplier(10)->Range(100, 10'000)->Unit(benchmark::kMillisecond)->Complexity();

void BM_DiagramLayoutResidual(benchmark::State& state) {
    const Analysis analysis = analyze(residual_network(static_cast<size_t>(state.range(0))));
    // Collapsed, the blocks fold into one ×n; drawn in full, every skip gets a lane.
    const DiagramOptions options{.collapse_repeats = state.range(1) != 0};
    for (auto _ : state) {
        Diagram diagram = layout_diagram(analysis, options);
        benchmark::DoNotOptimize(diagram.width);
    }
}
BENCHMARK(BM_DiagramLayoutResidual)
    ->ArgNames({"layers", "collapse"})
    ->Args({1'000, 0})
    ->Args({10'000, 0})
    ->Args({10'000, 1})
    ->Unit(benchmark::kMillisecond);

void BM_DiagramSvgResNet50(benchmark::State& state) {
    const Analysis analysis = analyze_preset("resnet50.ns");
    const Diagram diagram = layout_diagram(analysis, {.collapse_repeats = false});
    for (auto _ : state) {
        std::string svg = diagram_svg(diagram, analysis.name, DiagramTheme::automatic);
        benchmark::DoNotOptimize(svg.data());
    }
}
BENCHMARK(BM_DiagramSvgResNet50)->Unit(benchmark::kMicrosecond);

} // namespace
