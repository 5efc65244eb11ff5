// The diagram's layout keeps its promises (diagram_layout.h) on the presets and on generated
// graphs. Every expectation is derived here from the design itself (its layers' inputs, shapes
// and link text), never from what the layout returned before.
#include "support.h"

#include "engine/diagram_blocks.h"
#include "engine/diagram_layout.h"
#include "engine/text.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>

using namespace netshape;
using namespace netshape::testing;

namespace {

std::string read_preset(const std::string& file_name) {
    std::ifstream file(std::filesystem::path(NETSHAPE_PRESETS_DIR) / file_name, std::ios::binary);
    REQUIRE(file.good());
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

Analysis analyze_preset(const std::string& file_name) {
    ReadResult read = read_architecture_any(read_preset(file_name));
    REQUIRE_FALSE(read.error);
    return analyze(read.architecture);
}

std::vector<std::string> preset_files() {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(NETSHAPE_PRESETS_DIR))
        files.push_back(entry.path().filename().string());
    std::sort(files.begin(), files.end());
    return files;
}

// The layers a node stands for: its own, and in a collapsed repeat the same place in every copy.
std::vector<size_t> layers_of(const Diagram& diagram, const DiagramNode& node) {
    if (node.model_input) return {};
    if (node.repeat == kNoRepeat) return {node.index};
    const DiagramRepeat& repeat = diagram.repeats[node.repeat];
    std::vector<size_t> layers;
    for (size_t copy = 0; copy < repeat.count; ++copy)
        layers.push_back(node.index + copy * repeat.length);
    return layers;
}

bool overlaps(const DiagramBox& a, const DiagramBox& b) {
    return a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom();
}

// Whether the axis-aligned segment p–q passes through the inside of `box`.
bool crosses(DiagramPoint p, DiagramPoint q, const DiagramBox& box) {
    const float x0 = std::min(p.x, q.x), x1 = std::max(p.x, q.x), y0 = std::min(p.y, q.y), y1 = std::max(p.y, q.y);
    if (x0 == x1) return box.x < x0 && x0 < box.right() && y0 < box.bottom() && y1 > box.y;
    return box.y < y0 && y0 < box.bottom() && x0 < box.right() && x1 > box.x;
}

// Longest chain of reads that ends at each layer, counted in layers from a model input (which
// is 0): the row a longest-path layout gives it. Memoised over the layers' input names.
std::vector<size_t> longest_paths(const Analysis& analysis) {
    std::map<std::string, size_t> index;
    for (const LayerResult& layer : analysis.layers)
        index.emplace(layer.name, layer.index);
    std::vector<size_t> depth(analysis.layers.size(), 0);
    std::vector<bool> known(analysis.layers.size(), false);
    std::function<size_t(size_t)> depth_of = [&](size_t i) {
        if (known[i]) return depth[i];
        size_t deepest = 0;
        for (const std::string& name : analysis.layers[i].inputs)
            if (auto it = index.find(name); it != index.end()) deepest = std::max(deepest, depth_of(it->second));
        known[i] = true;
        return depth[i] = deepest + 1;
    };
    for (size_t i = 0; i < analysis.layers.size(); ++i)
        depth_of(i);
    return depth;
}

// Every promise of diagram_layout.h that holds for any design.
void check_promises(const Analysis& analysis, const Diagram& diagram) {
    const size_t n = analysis.layers.size();
    // Every layer drawn exactly once, or inside a collapsed repeat by its first copy's node.
    std::vector<size_t> drawn(n, 0);
    for (const DiagramNode& node : diagram.nodes)
        for (size_t layer : layers_of(diagram, node)) {
            REQUIRE(layer < n);
            ++drawn[layer];
        }
    for (size_t i = 0; i < n; ++i) {
        CAPTURE(i, analysis.layers[i].name);
        CHECK(drawn[i] == 1);
        const DiagramNode& node = diagram.nodes[diagram.node_of_layer.at(i)];
        const std::vector<size_t> stands_for = layers_of(diagram, node);
        CHECK(std::count(stands_for.begin(), stands_for.end(), i) == 1);
        // A collapsed copy is the same layer as the one drawn: kind, shapes and counts.
        const LayerResult& shown = analysis.layers[node.index];
        CHECK(shown.type == analysis.layers[i].type);
        CHECK(shown.output_shape == analysis.layers[i].output_shape);
        CHECK(shown.params == analysis.layers[i].params);
    }
    size_t input_nodes = 0;
    for (const DiagramNode& node : diagram.nodes)
        input_nodes += node.model_input;
    CHECK(input_nodes == analysis.inputs.size());

    // No two boxes overlap.
    for (size_t a = 0; a < diagram.nodes.size(); ++a)
        for (size_t b = a + 1; b < diagram.nodes.size(); ++b) {
            CAPTURE(diagram.nodes[a].title, diagram.nodes[b].title);
            CHECK_FALSE(overlaps(diagram.nodes[a].box, diagram.nodes[b].box));
        }

    // Every edge goes from a layer (or model input) to one that reads it, carries its shape, and
    // runs from the source's bottom to the target's top in straight pieces through no other box.
    auto names_of = [&](const DiagramNode& node) {
        std::set<std::string> names;
        if (node.model_input) names.insert(analysis.inputs[node.index].name);
        for (size_t layer : layers_of(diagram, node))
            names.insert(analysis.layers[layer].name);
        return names;
    };
    std::set<std::pair<size_t, size_t>> edges;
    for (const DiagramEdge& edge : diagram.edges) {
        const DiagramNode &from = diagram.nodes[edge.from], &to = diagram.nodes[edge.to];
        CAPTURE(from.title, to.title);
        const std::set<std::string> sources = names_of(from);
        bool reads = false;
        for (size_t layer : layers_of(diagram, to))
            for (const std::string& name : analysis.layers[layer].inputs)
                reads = reads || sources.count(name);
        CHECK(reads);
        const Shape& carried = from.model_input ? analysis.inputs[from.index].shape : analysis.layers[from.index].output_shape;
        if (from.model_input || analysis.layers[from.index].status == LayerStatus::ok) CHECK(edge.label == format_shape(carried));
        CHECK(edges.insert({edge.from, edge.to}).second);
        REQUIRE(edge.points.size() >= 2);
        CHECK(edge.points.front().y == Approx(from.box.bottom()).margin(0.01));
        CHECK(edge.points.front().x == Approx(from.box.centre_x()).margin(0.01));
        CHECK(edge.points.back().y == Approx(to.box.y).margin(0.01));
        CHECK(edge.points.back().x >= to.box.x);
        CHECK(edge.points.back().x <= to.box.right());
        for (size_t k = 0; k + 1 < edge.points.size(); ++k) {
            const DiagramPoint p = edge.points[k], q = edge.points[k + 1];
            CHECK((p.x == q.x || p.y == q.y));
            for (size_t v = 0; v < diagram.nodes.size(); ++v)
                if (v != edge.from && v != edge.to) {
                    CAPTURE(diagram.nodes[v].title, k);
                    CHECK_FALSE(crosses(p, q, diagram.nodes[v].box));
                }
        }
    }
    // And every read between drawn layers (or from a model input) has its edge.
    std::map<std::string, size_t> node_by_name;
    for (size_t v = 0; v < diagram.nodes.size(); ++v)
        for (const std::string& name : names_of(diagram.nodes[v]))
            node_by_name.emplace(name, v);
    for (size_t v = 0; v < diagram.nodes.size(); ++v) {
        const DiagramNode& node = diagram.nodes[v];
        if (node.model_input) continue;
        for (const std::string& name : analysis.layers[node.index].inputs) {
            CAPTURE(node.title, name);
            CHECK(edges.count({node_by_name.at(name), v}));
        }
    }

    // Everything lies inside the diagram's size.
    for (const DiagramNode& node : diagram.nodes) {
        CHECK(node.box.x >= 0);
        CHECK(node.box.right() <= diagram.width);
        CHECK(node.box.bottom() <= diagram.height);
    }
}

// The main path: from the last layer back to a model input, one row per layer, straight down
// one column; as long as the longest chain of reads that ends at the last layer.
void check_main_path(const Analysis& analysis, const Diagram& diagram) {
    std::vector<const DiagramNode*> path;
    for (const DiagramNode& node : diagram.nodes)
        if (node.on_main_path) path.push_back(&node);
    REQUIRE_FALSE(path.empty());
    std::sort(path.begin(), path.end(), [](auto a, auto b) { return a->rank < b->rank; });
    for (size_t k = 0; k < path.size(); ++k) {
        CHECK(path[k]->rank == path[0]->rank + k);
        CHECK(path[k]->box.centre_x() == Approx(path[0]->box.centre_x()));
    }
    CHECK(path.back() == &diagram.nodes[diagram.node_of_layer.back()]);
    CHECK_FALSE(path.back()->model_input);
    if (std::any_of(diagram.repeats.begin(), diagram.repeats.end(), [](auto& r) { return !r.expanded; }))
        return; // rows count the drawn copies only
    CHECK(path.size() == longest_paths(analysis).back() + 1); // the layers and the model input
    CHECK(path.front()->model_input);
}

} // namespace

TEST_CASE("diagram: every preset keeps the layout's promises, collapsed and in full", "[diagram]") {
    const std::string file = GENERATE(from_range(preset_files()));
    const bool collapse = GENERATE(true, false);
    CAPTURE(file, collapse);
    const Analysis analysis = analyze_preset(file);
    REQUIRE(analysis.ok());
    const Diagram diagram = layout_diagram(analysis, {.collapse_repeats = collapse});
    check_promises(analysis, diagram);
    check_main_path(analysis, diagram);
    if (!collapse) {
        CHECK(diagram.repeats.empty());
        CHECK(diagram.nodes.size() == analysis.layers.size() + analysis.inputs.size());
    }
}

TEST_CASE("diagram: ResNet-18's n*(…) blocks are drawn once with their count", "[diagram]") {
    // resnet18.ns writes four repeats. The first stage's 2*(conv/bn/relu/conv/bn/add(@-1,@-6)/relu)
    // is a block: each copy's add reads its own input, the layer just before the copy. The later
    // stages' 2*(relu/conv/bn) are followed by add(@-1,@-6), and six layers back from that add is
    // the first copy's relu: a layer after the run reads inside its first copy, so drawing the
    // copy once would hide that read. One repeat, then: 7 layers, twice.
    const Analysis analysis = analyze_preset("resnet18.ns");
    const Diagram diagram = layout_diagram(analysis);
    REQUIRE(diagram.repeats.size() == 1);
    CHECK(diagram.repeats[0].count == 2);
    CHECK(diagram.repeats[0].length == 7);
    CHECK_FALSE(diagram.repeats[0].expanded);
    // The first repeat starts after conv, bn, relu, maxpool.
    CHECK(diagram.repeats[0].first_layer == 4);
    CHECK(analysis.layers[4].type == "conv2d");
    CHECK(diagram.nodes.size() == analysis.inputs.size() + analysis.layers.size() - 7);

    // Expanding one draws its second copy again.
    const Diagram expanded = layout_diagram(analysis, {.expanded_repeats = {4}});
    CHECK(expanded.repeats[0].expanded);
    CHECK(expanded.nodes.size() == diagram.nodes.size() + 7);
    check_promises(analysis, expanded);
}

TEST_CASE("diagram: the same block written out again is a repeat, and a block read from later is not", "[diagram]") {
    // Three identical linear+relu layers in a row, then a different one.
    const Analysis chain = analyze_link("ns1;16/linear(32)/linear(32)/linear(32)/linear(32)/linear(10)");
    const Diagram diagram = layout_diagram(chain);
    // linear(32) on [16] differs from linear(32) on [32] (other counts): the run is layers 1–3.
    REQUIRE(diagram.repeats.size() == 1);
    CHECK(diagram.repeats[0].first_layer == 1);
    CHECK(diagram.repeats[0].length == 1);
    CHECK(diagram.repeats[0].count == 3);
    check_promises(chain, diagram);

    // The same, but the last layer also reads the first copy: collapsing would hide that edge.
    const Analysis read_inside = analyze_link("ns1;16/linear(32)/linear(32)/linear(32)/linear(32)/concat(@-1,@-3)");
    const Diagram open = layout_diagram(read_inside);
    for (const DiagramRepeat& repeat : open.repeats)
        CHECK((repeat.first_layer > 1 || repeat.first_layer + repeat.length * repeat.count <= 1));
    check_promises(read_inside, open);
}

TEST_CASE("diagram: several model inputs each have a box above their first reader", "[diagram]") {
    const Analysis analysis = analyze_json(R"({"inputs": {"image": [3, 32, 32], "meta": [10]}, "layers": [
        {"type": "conv2d", "inputs": ["image"], "out_channels": 4, "kernel_size": 3},
        {"type": "flatten"},
        {"type": "linear", "out_features": 10},
        {"type": "concat", "name": "both", "inputs": ["linear_1", "meta"]},
        {"type": "linear", "out_features": 2}]})");
    REQUIRE(analysis.ok());
    const Diagram diagram = layout_diagram(analysis);
    check_promises(analysis, diagram);
    check_main_path(analysis, diagram);
    const DiagramNode& meta = diagram.nodes[1];
    REQUIRE(meta.model_input);
    CHECK(meta.shape == "[10]");
    // Its only reader, the concat, is 4th in the longest chain (conv, flatten, linear, concat).
    CHECK(meta.rank == diagram.nodes[diagram.node_of_layer[3]].rank - 1);
    CHECK(diagram.nodes[diagram.node_of_layer[3]].rank == 4);
}

TEST_CASE("diagram: an invalid design is drawn whole, its bad layers marked", "[diagram]") {
    // A cycle (a reads b, b reads a) and a layer after it.
    const Analysis cycle = analyze_json(R"({"input": [4], "layers": [
        {"type": "linear", "name": "a", "inputs": ["b"], "out_features": 4},
        {"type": "linear", "name": "b", "inputs": ["a"], "out_features": 4},
        {"type": "relu"}]})");
    REQUIRE_FALSE(cycle.ok());
    const Diagram diagram = layout_diagram(cycle);
    CHECK(diagram.nodes.size() == 4);
    for (size_t i = 0; i < 3; ++i)
        CHECK(diagram.nodes[diagram.node_of_layer[i]].invalid);
    CHECK(diagram.edges.size() == 3); // b→a, a→b, b→relu
    for (size_t a = 1; a < diagram.nodes.size(); ++a)
        for (size_t b = a + 1; b < diagram.nodes.size(); ++b)
            CHECK_FALSE(overlaps(diagram.nodes[a].box, diagram.nodes[b].box));
    // No layers at all: the input alone.
    const Analysis empty = analyze_json(R"({"input": [4], "layers": []})");
    CHECK(layout_diagram(empty).nodes.size() == 1);
}

TEST_CASE("diagram: generated graphs keep the promises", "[diagram]") {
    // Random DAGs of shape-keeping layers: each reads the previous layer, and a merge also reads
    // one or two earlier layers anywhere back (long skips), with runs of a copied block.
    const unsigned seed = GENERATE(1u, 2u, 3u, 4u, 5u);
    CAPTURE(seed);
    std::mt19937 random(seed);
    Architecture architecture;
    architecture.inputs.push_back({"input", {8, 8, 8}});
    std::vector<std::string> names;
    auto add = [&](std::string type, std::vector<std::string> inputs, std::vector<std::pair<std::string, FieldValue>> fields) {
        LayerSpec spec;
        spec.type = std::move(type);
        spec.name = cat("l", names.size());
        spec.inputs = std::move(inputs);
        spec.fields = std::move(fields);
        architecture.layers.push_back(spec);
        names.push_back(spec.name);
    };
    add("conv2d", {"input"}, {{"out_channels", int64_t{8}}, {"kernel_size", int64_t{3}}, {"padding", int64_t{1}}});
    while (names.size() < 300) {
        const auto pick = static_cast<unsigned>(random() % 10);
        if (pick < 4) {
            add("conv2d", {names.back()}, {{"out_channels", int64_t{8}}, {"kernel_size", int64_t{3}}, {"padding", int64_t{1}}});
        } else if (pick < 6) {
            add("relu", {names.back()}, {});
        } else if (pick < 9) {
            std::vector<std::string> inputs{names.back(), names[random() % names.size()]};
            if (pick == 8) inputs.push_back(names[random() % names.size()]);
            add("add", inputs, {});
        } else { // a residual block, written out 2–4 times
            const auto copies = static_cast<unsigned>(2 + random() % 3);
            for (unsigned c = 0; c < copies; ++c) {
                const std::string block_input = names.back();
                add("conv2d", {block_input}, {{"out_channels", int64_t{8}}, {"kernel_size", int64_t{3}}, {"padding", int64_t{1}}});
                add("relu", {names.back()}, {});
                add("add", {names.back(), block_input}, {});
            }
        }
    }
    const Analysis analysis = analyze(architecture);
    REQUIRE(analysis.ok());
    for (bool collapse : {true, false}) {
        CAPTURE(collapse);
        const Diagram diagram = layout_diagram(analysis, {.collapse_repeats = collapse});
        check_promises(analysis, diagram);
        check_main_path(analysis, diagram);
    }
}

TEST_CASE("diagram: boxes are as wide as their text in the renderer's font", "[diagram]") {
    const Analysis analysis = analyze_json(kSeed000Json);
    // A font twice as wide as the monospace estimate: every box at least as wide as its title.
    auto wide = [](std::string_view text, float size) { return 1.2f * size * static_cast<float>(text.size()); };
    const Diagram diagram = layout_diagram(analysis, {.text_width = wide});
    for (const DiagramNode& node : diagram.nodes) {
        CHECK(node.box.width >= wide(node.title, diagram.font_size));
        CHECK(node.box.width >= wide(node.shape, diagram.font_size));
    }
    check_promises(analysis, diagram);
    // Seed 000 is a chain: all eight boxes (the input and seven layers) on the main path.
    for (const DiagramNode& node : diagram.nodes)
        CHECK(node.on_main_path);
}

TEST_CASE("diagram, blocks style: LeNet-5's feature maps as in LeCun et al. (1998), figure 2", "[diagram]") {
    // The paper's figure: INPUT 32×32, C1 6@28×28, S2 6@14×14, C3 16@10×10, S4 16@5×5, then the
    // 120, 84 and 10 units (the preset flattens S4's 16·5·5 = 400 values first). The kernels: 5×5
    // convolutions, 2×2 subsampling.
    const Analysis analysis = analyze_preset("lenet5.ns");
    const BlocksDiagram blocks = layout_blocks(analysis);
    const std::vector<std::string> shapes = {"[1, 32, 32]", "[6, 28, 28]", "[6, 14, 14]", "[16, 10, 10]", "[16, 5, 5]",
                                             "[400]",       "[120]",       "[84]",        "[10]"};
    const std::vector<std::string> kernels = {"", "5×5", "2×2", "5×5", "2×2", "", "", "", ""};
    REQUIRE(blocks.blocks.size() == shapes.size());
    for (size_t b = 0; b < shapes.size(); ++b) {
        CAPTURE(b);
        CHECK(blocks.blocks[b].shape == shapes[b]);
        CHECK(blocks.blocks[b].has_kernel == !kernels[b].empty());
        CHECK(blocks.blocks[b].kernel_text == kernels[b]);
    }
    CHECK(blocks.blocks[0].model_input);
    CHECK(blocks.layers_left_out == 0);
    CHECK(blocks.note.empty());

    // Sizes on a log scale: height follows log2(1 + H), thickness log2(1 + C), depth log2(1 + W).
    const FeatureBlock &input = blocks.blocks[0], &c1 = blocks.blocks[1], &s4 = blocks.blocks[4];
    CHECK(c1.front.height / input.front.height == Approx(std::log2(29.0) / std::log2(33.0)));
    CHECK(s4.front.height / c1.front.height == Approx(std::log2(6.0) / std::log2(29.0)));
    CHECK(s4.front.width / c1.front.width == Approx(std::log2(17.0) / std::log2(7.0)));
    CHECK(s4.depth_x / c1.depth_x == Approx(std::log2(6.0) / std::log2(29.0)));
    // The vectors are bars as tall as their length's log: 400 over 120 values.
    CHECK(blocks.blocks[5].front.height / blocks.blocks[6].front.height == Approx(std::log2(401.0) / std::log2(121.0)));
    CHECK(blocks.blocks[5].depth_x == 0);

    // A kernel lies on the block it slides over, its share of that block's height: C1's 5 of 32 rows.
    CHECK(c1.kernel.x == input.front.x);
    CHECK(c1.kernel.height == Approx(input.front.height * 5 / 32));
    CHECK(c1.kernel.y >= input.front.y);
    CHECK(c1.kernel.bottom() <= input.front.bottom());
    // Left to right, nothing overlapping: each block and label ends before the next begins.
    for (size_t b = 0; b + 1 < blocks.blocks.size(); ++b) {
        const FeatureBlock &left = blocks.blocks[b], &right = blocks.blocks[b + 1];
        CHECK(left.front.right() + left.depth_x < right.front.x);
        CHECK(left.label_at.x + monospace_text_width(left.title, blocks.font_size) < right.label_at.x);
        CHECK(left.front.bottom() < left.label_at.y);
    }
    for (const FeatureBlock& block : blocks.blocks) {
        CHECK(block.front.y - block.depth_y >= 0);
        CHECK(block.front.right() + block.depth_x <= blocks.width);
    }
}

TEST_CASE("diagram, blocks style: a graph's branches are left out, and the picture says how many", "[diagram]") {
    // ResNet-18's longest path runs through each block's two 3×3 convolutions (conv, bn, relu,
    // conv, bn: five layers); the three downsampling shortcuts (a 1×1 conv and its batch norm, two
    // layers) are shorter, so six layers are off the main path.
    const Analysis analysis = analyze_preset("resnet18.ns");
    const BlocksDiagram blocks = layout_blocks(analysis);
    CHECK(blocks.layers_left_out == 6);
    CHECK(blocks.note.starts_with("6 layers off the main path"));
    CHECK(blocks.blocks.front().shape == "[3, 224, 224]");
    CHECK(blocks.blocks.back().shape == "[1000]");
    // An invalid layer ends the blocks: nothing after it has a shape.
    // (A 2-D convolution cannot read flatten's vector.)
    const Analysis invalid = analyze_link("ns1;1x28x28/conv2d(4,3)/linear(10)/flatten/conv2d(4,3)/relu");
    REQUIRE_FALSE(invalid.ok());
    const BlocksDiagram cut = layout_blocks(invalid);
    // The input, conv2d_1's [4, 26, 26], linear_1's [4, 26, 10], flatten_1's [1040].
    REQUIRE(cut.blocks.size() == 4);
    CHECK(cut.blocks.back().shape == "[1040]");
    CHECK(cut.layers_left_out == 2);
}

TEST_CASE("diagram, blocks style: suited to feature maps, not to a design of vectors or with nothing valid", "[diagram]") {
    // LeNet-5 and AlexNet carry [C, H, W] maps: the figures this style copies.
    CHECK(blocks_unsuited(layout_blocks(analyze_preset("lenet5.ns"))).empty());
    CHECK(blocks_unsuited(layout_blocks(analyze_preset("alexnet.ns"))).empty());
    // A multilayer perceptron on 784 values: [784] → [256] → [10], vectors only.
    ReadResult mlp = read_architecture_any("ns1;784/linear(256)+relu/linear(10)");
    REQUIRE_FALSE(mlp.error);
    CHECK(blocks_unsuited(layout_blocks(analyze(mlp.architecture))).starts_with("every tensor on the main path is a vector"));
    // conv2d(6, 5) cannot slide over a 3×3 image (3 − 5 + 1 < 1): nothing after the input has a shape.
    ReadResult invalid = read_architecture_any("ns1;1x3x3/conv2d(6,5)");
    REQUIRE_FALSE(invalid.error);
    CHECK(blocks_unsuited(layout_blocks(analyze(invalid.architecture))).starts_with("nothing after the input"));
}
