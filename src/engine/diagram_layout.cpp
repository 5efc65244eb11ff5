// The diagram's layout: repeats found, nodes and edges built, rows by longest path, columns by
// the parents' centres, lanes for edges that pass rows. See diagram_layout.h for the promises.
//
// Index
//   [SECTION] Repeats: consecutive identical blocks
//   [SECTION] Nodes and edges
//   [SECTION] Rows and columns
//   [SECTION] Lanes and edge routes
//   [SECTION] Colours
#include "diagram_layout.h"

#include "catalog.h"
#include "text.h"

#include <algorithm>
#include <numeric>
#include <queue>
#include <string_view>
#include <unordered_map>

namespace netshape {

namespace {

constexpr size_t kNone = static_cast<size_t>(-1);
constexpr size_t kMaxBlockLength = 64; // longer repeated blocks are drawn in full
constexpr float kColumnGap = 18;       // between boxes in a row
constexpr float kRowGap = 34;          // between rows: edge bends and labels live here
constexpr float kLaneGap = 14;         // between lanes, and from the boxes they pass
constexpr float kMargin = 16;
constexpr float kMinBoxWidth = 96;

// [SECTION] Repeats: consecutive identical blocks ------------------------------------------

// What each layer reads, resolved to indices, in the order written; and who reads each layer.
struct Source {
    bool model_input = false;
    size_t index = 0; // into Analysis::inputs or ::layers
    bool operator==(const Source&) const = default;
};
struct Reads {
    std::vector<std::vector<Source>> sources;
    std::vector<std::vector<size_t>> readers;
};

Reads find_reads(const Analysis& analysis) {
    std::unordered_map<std::string_view, size_t> layer_index, input_index;
    for (size_t i = 0; i < analysis.layers.size(); ++i)
        layer_index.emplace(analysis.layers[i].name, i);
    for (size_t i = 0; i < analysis.inputs.size(); ++i)
        input_index.emplace(analysis.inputs[i].name, i);
    Reads reads;
    const size_t n = analysis.layers.size();
    reads.sources.resize(n);
    reads.readers.resize(n);
    for (size_t i = 0; i < n; ++i)
        for (const std::string& name : analysis.layers[i].inputs) {
            if (auto it = input_index.find(name); it != input_index.end()) {
                reads.sources[i].push_back({true, it->second});
            } else if (auto layer = layer_index.find(name); layer != layer_index.end() && layer->second != i) {
                reads.sources[i].push_back({false, layer->second});
                reads.readers[layer->second].push_back(i);
            } // an unknown name: the layer is invalid, and says so in its box
        }
    return reads;
}

// Two layers are the same layer repeated: same kind, shapes and counts, reading the same model
// inputs or the layers the same distance back.
bool same_layer(const Analysis& analysis, const Reads& reads, size_t a, size_t b) {
    const LayerResult &x = analysis.layers[a], &y = analysis.layers[b];
    if (x.type != y.type || x.activation != y.activation || x.shares != y.shares || x.status != LayerStatus::ok ||
        y.status != LayerStatus::ok || x.output_shape != y.output_shape || x.input_shape != y.input_shape ||
        x.params != y.params || x.macs != y.macs || reads.sources[a].size() != reads.sources[b].size())
        return false;
    for (size_t k = 0; k < reads.sources[a].size(); ++k) {
        const Source &p = reads.sources[a][k], &q = reads.sources[b][k];
        if (p.model_input != q.model_input) return false;
        if (p.model_input ? p.index != q.index : p.index >= a || q.index >= b || a - p.index != b - q.index)
            return false;
    }
    return true;
}

// Copies of [start, start + length) follow each other `count` times, and the block is a block:
// a copy's layers are read only within that copy or by the next one, and from after the run only
// the last copy is read.
bool is_sealed_run(const Reads& reads, size_t start, size_t length, size_t count) {
    const size_t end = start + length * count;
    for (size_t layer = start; layer < end; ++layer) {
        const size_t copy = (layer - start) / length;
        for (size_t reader : reads.readers[layer]) {
            if (reader < start) return false;
            if (reader >= end ? copy + 1 != count : (reader - start) / length - copy > 1 || reader < layer)
                return false;
        }
    }
    return true;
}

std::vector<DiagramRepeat> find_repeats(const Analysis& analysis, const Reads& reads) {
    std::vector<DiagramRepeat> repeats;
    const size_t n = analysis.layers.size();
    for (size_t start = 0; start < n;) {
        size_t found_length = 0, found_count = 0;
        for (size_t length = 1; length <= kMaxBlockLength && start + 2 * length <= n; ++length) {
            auto copies_match = [&](size_t from) {
                for (size_t k = 0; k < length; ++k)
                    if (!same_layer(analysis, reads, from + k, from + length + k)) return false;
                return true;
            };
            if (!copies_match(start)) continue;
            size_t count = 2;
            while (start + (count + 1) * length <= n && copies_match(start + (count - 1) * length))
                ++count;
            // A run whose tail is not sealed may still be sealed with fewer copies.
            while (count >= 2 && !is_sealed_run(reads, start, length, count))
                --count;
            if (count >= 2) {
                found_length = length;
                found_count = count;
                break;
            }
        }
        if (found_count == 0) {
            ++start;
            continue;
        }
        repeats.push_back(DiagramRepeat{.first_layer = start, .length = found_length, .count = found_count});
        start += found_length * found_count;
    }
    return repeats;
}

// [SECTION] Nodes and edges -----------------------------------------------------------------

std::string detail_text(const LayerResult& layer) {
    std::string text = cat(with_thousands(layer.params), layer.params == 1 ? " param" : " params");
    if (!layer.activation.empty()) text += cat(", ", layer.activation);
    if (!layer.shares.empty()) text += cat(", weights of ", layer.shares);
    return text;
}

DiagramNode layer_node(const LayerResult& layer) {
    DiagramNode node;
    node.index = layer.index;
    node.title = cat(layer.class_name.empty() ? layer.type : layer.class_name, " ", layer.name);
    node.invalid = layer.status != LayerStatus::ok;
    node.shape = layer.status == LayerStatus::ok      ? format_shape(layer.output_shape)
                 : layer.status == LayerStatus::error ? std::string("invalid")
                                                      : std::string("not reached");
    node.detail = node.invalid ? std::string("no shape") : detail_text(layer);
    if (const LayerKind* kind = find_kind(layer.type)) node.category = kind->category;
    return node;
}

// A range-maximum tree over the rows: how far right each row is taken (by its boxes, then by the
// lanes placed through it). A lane through rows [lo, hi] goes right of their maximum and raises
// them all to itself: O(log rows) each, so a design whose every layer reads the input stays fast.
class RowExtents {
public:
    explicit RowExtents(const std::vector<float>& rows) : size_(std::max<size_t>(rows.size(), 1)) {
        tree_.assign(4 * size_, kLow);
        raise_.assign(4 * size_, kLow);
        for (size_t r = 0; r < rows.size(); ++r)
            raise_to(r, r, rows[r]);
    }
    float max(size_t lo, size_t hi) const { return max(1, 0, size_ - 1, lo, hi); }
    void raise_to(size_t lo, size_t hi, float value) { raise_to(1, 0, size_ - 1, lo, hi, value); }

private:
    static constexpr float kLow = -1e30f;
    float max(size_t at, size_t l, size_t r, size_t lo, size_t hi) const {
        if (hi < l || r < lo) return kLow;
        if (lo <= l && r <= hi) return tree_[at];
        const size_t mid = (l + r) / 2;
        return std::max({raise_[at], max(2 * at, l, mid, lo, hi), max(2 * at + 1, mid + 1, r, lo, hi)});
    }
    void raise_to(size_t at, size_t l, size_t r, size_t lo, size_t hi, float value) {
        if (hi < l || r < lo) return;
        tree_[at] = std::max(tree_[at], value);
        if (lo <= l && r <= hi) {
            raise_[at] = std::max(raise_[at], value); // every row below is at least this
            return;
        }
        const size_t mid = (l + r) / 2;
        raise_to(2 * at, l, mid, lo, hi, value);
        raise_to(2 * at + 1, mid + 1, r, lo, hi, value);
    }
    size_t size_;
    std::vector<float> tree_, raise_;
};

} // namespace

float monospace_text_width(std::string_view text, float font_size) {
    return 0.6f * font_size * static_cast<float>(display_width(text));
}

Diagram layout_diagram(const Analysis& analysis, const DiagramOptions& options) {
    Diagram diagram;
    diagram.font_size = options.font_size;
    diagram.label_font_size = std::max(6.0f, options.font_size - 2);
    diagram.line_height = options.font_size * 1.25f;
    diagram.padding = options.font_size * 0.5f;
    auto width_of = [&](std::string_view text, float size) {
        return options.text_width ? options.text_width(text, size) : monospace_text_width(text, size);
    };

    const size_t n = analysis.layers.size();
    const Reads reads = find_reads(analysis);

    // Which layers are drawn: all but the second and later copies of a collapsed repeat, whose
    // layers the first copy's stand for.
    std::vector<size_t> shown_as(n);
    std::iota(shown_as.begin(), shown_as.end(), size_t{0});
    std::vector<size_t> repeat_of(n, kNoRepeat);
    if (options.collapse_repeats) diagram.repeats = find_repeats(analysis, reads);
    for (size_t r = 0; r < diagram.repeats.size(); ++r) {
        DiagramRepeat& repeat = diagram.repeats[r];
        repeat.expanded = std::find(options.expanded_repeats.begin(), options.expanded_repeats.end(),
                                    repeat.first_layer) != options.expanded_repeats.end();
        if (repeat.expanded) continue;
        for (size_t k = 0; k < repeat.length * repeat.count; ++k) {
            shown_as[repeat.first_layer + k] = repeat.first_layer + k % repeat.length;
            repeat_of[repeat.first_layer + k] = r;
        }
    }

    // Nodes: the model inputs, then the drawn layers.
    std::vector<DiagramNode>& nodes = diagram.nodes;
    for (size_t i = 0; i < analysis.inputs.size(); ++i) {
        DiagramNode node;
        node.model_input = true;
        node.index = i;
        node.title = cat("Input ", analysis.inputs[i].name);
        node.shape = format_shape(analysis.inputs[i].shape);
        node.detail = "model input";
        node.category = "Input";
        nodes.push_back(std::move(node));
    }
    diagram.node_of_layer.assign(n, kNone);
    for (size_t i = 0; i < n; ++i) {
        if (shown_as[i] != i) continue;
        diagram.node_of_layer[i] = nodes.size();
        nodes.push_back(layer_node(analysis.layers[i]));
        nodes.back().repeat = repeat_of[i];
    }
    for (size_t i = 0; i < n; ++i)
        diagram.node_of_layer[i] = diagram.node_of_layer[shown_as[i]];

    // Edges, each (from, to) once: a layer that reads the same tensor twice has one arrow. In the
    // order written, so that the main path follows a layer's first input.
    std::vector<std::vector<size_t>> in_edges(nodes.size()), out_edges(nodes.size());
    auto add_edge = [&](size_t from, size_t to, std::string label) {
        if (from == to) return;
        for (size_t e : in_edges[to])
            if (diagram.edges[e].from == from) return;
        in_edges[to].push_back(diagram.edges.size());
        out_edges[from].push_back(diagram.edges.size());
        diagram.edges.push_back(DiagramEdge{.from = from, .to = to, .label = std::move(label)});
    };
    for (size_t i = 0; i < n; ++i) {
        if (shown_as[i] != i) continue;
        for (const Source& source : reads.sources[i]) {
            if (source.model_input) {
                add_edge(source.index, diagram.node_of_layer[i], format_shape(analysis.inputs[source.index].shape));
            } else {
                const LayerResult& from = analysis.layers[source.index];
                add_edge(diagram.node_of_layer[source.index], diagram.node_of_layer[i],
                         from.status == LayerStatus::ok ? format_shape(from.output_shape) : std::string());
            }
        }
    }

    // [SECTION] Rows and columns --------------------------------------------------------------

    // Rows by longest path (Kahn's order); nodes on a cycle (an invalid design) after the rest.
    std::vector<size_t> pending(nodes.size()), order;
    order.reserve(nodes.size());
    for (size_t v = 0; v < nodes.size(); ++v)
        pending[v] = in_edges[v].size();
    std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
    for (size_t v = 0; v < nodes.size(); ++v)
        if (pending[v] == 0) ready.push(v);
    std::vector<bool> placed(nodes.size(), false);
    while (!ready.empty()) {
        const size_t v = ready.top();
        ready.pop();
        order.push_back(v);
        placed[v] = true;
        for (size_t e : out_edges[v]) {
            DiagramNode& to = nodes[diagram.edges[e].to];
            to.rank = std::max(to.rank, nodes[v].rank + 1);
            if (--pending[diagram.edges[e].to] == 0) ready.push(diagram.edges[e].to);
        }
    }
    size_t rows = 0;
    for (const DiagramNode& node : nodes)
        rows = std::max(rows, node.rank + 1);
    for (size_t v = 0; v < nodes.size(); ++v)
        if (!placed[v]) {
            nodes[v].rank = rows++;
            order.push_back(v);
        }
    // A model input sits just above its first reader, not at the top with a long edge down.
    for (size_t v = 0; v < analysis.inputs.size(); ++v) {
        size_t first_reader = kNone;
        for (size_t e : out_edges[v])
            first_reader = std::min(first_reader, nodes[diagram.edges[e].to].rank);
        if (first_reader != kNone && first_reader > 0) nodes[v].rank = first_reader - 1;
    }

    // The main path: back from the last layer, each step to its first input one row up — but not
    // to a model input moved down beside its reader while a layer there leads further up (a
    // decoder reading its own input and the encoder's states follows the encoder).
    std::vector<size_t> main_input(nodes.size(), kNone); // the edge a main-path node is entered by
    if (n > 0) {
        size_t v = diagram.node_of_layer[n - 1];
        nodes[v].on_main_path = true;
        while (nodes[v].rank > 0) {
            size_t step = kNone;
            for (size_t e : in_edges[v]) {
                const DiagramNode& from = nodes[diagram.edges[e].from];
                if (from.rank + 1 != nodes[v].rank) continue;
                const bool moved_input = from.model_input && from.rank > 0;
                if (step == kNone || (!moved_input && nodes[diagram.edges[step].from].model_input)) step = e;
                if (!moved_input) break;
            }
            if (step == kNone) break;
            main_input[v] = step;
            v = diagram.edges[step].from;
            nodes[v].on_main_path = true;
        }
    }

    // Box sizes, then each row from the main path's column outwards, every node as near as it
    // can be to the mean centre of the nodes it reads (which lie in rows above: placed already).
    const float box_height = 3 * diagram.line_height + 2 * diagram.padding;
    const float row_pitch = box_height + kRowGap;
    for (DiagramNode& node : nodes) {
        const float text = std::max({width_of(node.title, diagram.font_size), width_of(node.shape, diagram.font_size),
                                     width_of(node.detail, diagram.font_size)});
        node.box.width = std::max(kMinBoxWidth, text + 2 * diagram.padding);
        node.box.height = box_height;
        node.box.y = kMargin + static_cast<float>(node.rank) * row_pitch;
    }
    std::vector<std::vector<size_t>> row_nodes(rows);
    for (size_t v : order)
        row_nodes[nodes[v].rank].push_back(v);
    std::vector<float> row_right(rows, 0);
    std::vector<float> centre(nodes.size(), 0);
    std::vector<bool> centred(nodes.size(), false);
    for (size_t r = 0; r < rows; ++r) {
        size_t main = kNone;
        // (wanted centre, node) on the right, (minus the wanted centre, node) on the left: each
        // side sorted from the main column outwards, by one std::sort (a small web app).
        std::vector<std::pair<float, size_t>> left, right;
        for (size_t v : row_nodes[r]) {
            if (nodes[v].on_main_path) {
                main = v;
                continue;
            }
            float sum = 0;
            size_t count = 0;
            for (size_t e : in_edges[v])
                if (centred[diagram.edges[e].from]) {
                    sum += centre[diagram.edges[e].from];
                    ++count;
                }
            const float wanted = count ? sum / static_cast<float>(count) : 0.0f;
            if (wanted < 0) left.emplace_back(-wanted, v);
            else right.emplace_back(wanted, v);
        }
        float left_edge = 0, right_edge = 0;
        if (main != kNone) {
            left_edge = -nodes[main].box.width / 2;
            right_edge = nodes[main].box.width / 2;
            centre[main] = 0;
            centred[main] = true;
        } else {
            left_edge = right_edge = kColumnGap / 2; // nothing between the two sides but a gap
            left_edge = -left_edge;
        }
        std::sort(right.begin(), right.end());
        for (auto [wanted, v] : right) {
            const float x = std::max(wanted - nodes[v].box.width / 2, right_edge + kColumnGap);
            centre[v] = x + nodes[v].box.width / 2;
            right_edge = x + nodes[v].box.width;
            centred[v] = true;
        }
        std::sort(left.begin(), left.end());
        for (auto [minus_wanted, v] : left) {
            const float wanted = -minus_wanted;
            const float x_right = std::min(wanted + nodes[v].box.width / 2, left_edge - kColumnGap);
            centre[v] = x_right - nodes[v].box.width / 2;
            left_edge = x_right - nodes[v].box.width;
            centred[v] = true;
        }
        row_right[r] = right_edge;
        for (size_t v : row_nodes[r])
            nodes[v].box.x = centre[v] - nodes[v].box.width / 2;
    }

    // [SECTION] Lanes and edge routes ---------------------------------------------------------

    // An edge between neighbouring rows bends in the gap between them. Any other passes rows (or
    // goes back up, in a cycle): it leaves its source into the gap below, runs in a lane right of
    // every box and lane in the rows it passes, and enters its target from the gap above.
    // Shorter lanes first, so they nest inside longer ones.
    const float label_height = diagram.label_font_size * 1.2f;
    auto port_on = [&](const DiagramNode& to, float from_x) {
        const float inset = std::min(diagram.padding * 2, to.box.width / 2);
        return std::clamp(from_x, to.box.x + inset, to.box.right() - inset);
    };
    std::vector<std::pair<float, size_t>> lanes; // (rows passed, edge): shorter lanes first
    for (size_t e = 0; e < diagram.edges.size(); ++e) {
        DiagramEdge& edge = diagram.edges[e];
        const DiagramNode &from = nodes[edge.from], &to = nodes[edge.to];
        const float source_x = from.box.centre_x();
        if (to.rank == from.rank + 1) {
            const float target_x = main_input[edge.to] == e ? to.box.centre_x() : port_on(to, source_x);
            const float bend_y = from.box.bottom() + kRowGap / 2;
            edge.points.push_back({source_x, from.box.bottom()});
            if (target_x != source_x) {
                edge.points.push_back({source_x, bend_y});
                edge.points.push_back({target_x, bend_y});
            }
            edge.points.push_back({target_x, to.box.y});
            edge.label_at = {source_x + 4, from.box.bottom() + 1};
        } else {
            edge.skip = true;
            lanes.emplace_back(0.0f, e);
        }
    }
    auto lane_rows = [&](const DiagramEdge& edge) {
        const size_t a = nodes[edge.from].rank, b = nodes[edge.to].rank;
        return std::pair(std::min(a + 1, b), std::max(b == 0 ? 0 : b - 1, a));
    };
    for (auto& [rows_passed, e] : lanes) {
        auto [lo, hi] = lane_rows(diagram.edges[e]);
        rows_passed = static_cast<float>(hi - lo);
    }
    std::sort(lanes.begin(), lanes.end());
    RowExtents extents(row_right);
    for (auto [rows_passed, e] : lanes) {
        DiagramEdge& edge = diagram.edges[e];
        const DiagramNode &from = nodes[edge.from], &to = nodes[edge.to];
        auto [lo, hi] = lane_rows(edge);
        const float lane_x = extents.max(lo, hi) + kLaneGap;
        const float label_width = edge.label.empty() ? 0 : width_of(edge.label, diagram.label_font_size) + 6;
        extents.raise_to(lo, hi, lane_x);
        extents.raise_to(lo, lo, lane_x + label_width); // the label sits beside the lane's top
        // Below the labels that start under the source; above the target, clear of the bends at mid-gap.
        const float leave_y = from.box.bottom() + kRowGap * 0.62f, enter_y = to.box.y - kRowGap * 0.25f;
        const float target_x = port_on(to, lane_x);
        edge.points = {{from.box.centre_x(), from.box.bottom()},
                       {from.box.centre_x(), leave_y},
                       {lane_x, leave_y},
                       {lane_x, enter_y},
                       {target_x, enter_y},
                       {target_x, to.box.y}};
        edge.label_at = {lane_x + 4, std::min(leave_y, enter_y) + 2};
    }

    // Frames around the collapsed repeats' first copies, and around the expanded ones whole.
    for (DiagramRepeat& repeat : diagram.repeats) {
        float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
        const size_t drawn = repeat.expanded ? repeat.length * repeat.count : repeat.length;
        for (size_t k = 0; k < drawn; ++k) {
            const DiagramBox& box = nodes[diagram.node_of_layer[repeat.first_layer + k]].box;
            x0 = std::min(x0, box.x);
            y0 = std::min(y0, box.y);
            x1 = std::max(x1, box.right());
            y1 = std::max(y1, box.bottom());
        }
        const float pad = kColumnGap / 3;
        repeat.frame = {x0 - pad, y0 - pad - label_height, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad + label_height};
    }

    // Everything moved right so that the leftmost box or frame is at the margin.
    float min_x = 0, max_x = 0, max_y = 0;
    bool any = false;
    auto take = [&](float left, float right_x, float bottom) {
        min_x = any ? std::min(min_x, left) : left;
        max_x = any ? std::max(max_x, right_x) : right_x;
        max_y = std::max(max_y, bottom);
        any = true;
    };
    for (const DiagramNode& node : nodes)
        take(node.box.x, node.box.right(), node.box.bottom());
    for (const DiagramRepeat& repeat : diagram.repeats)
        take(repeat.frame.x, repeat.frame.right(), repeat.frame.bottom());
    for (const DiagramEdge& edge : diagram.edges) {
        const float label_width = edge.label.empty() ? 0 : width_of(edge.label, diagram.label_font_size);
        for (const DiagramPoint& point : edge.points)
            take(point.x, point.x, point.y);
        take(edge.label_at.x, edge.label_at.x + label_width, edge.label_at.y + label_height);
    }
    const float shift = kMargin - min_x;
    for (DiagramNode& node : nodes)
        node.box.x += shift;
    for (DiagramRepeat& repeat : diagram.repeats)
        repeat.frame.x += shift;
    for (DiagramEdge& edge : diagram.edges) {
        for (DiagramPoint& point : edge.points)
            point.x += shift;
        edge.label_at.x += shift;
    }
    diagram.width = max_x - min_x + 2 * kMargin;
    diagram.height = max_y + kMargin;
    return diagram;
}

// [SECTION] Colours -----------------------------------------------------------------------------

DiagramColours diagram_colours(bool dark) {
    if (dark) return {0x1e1f24, 0xe6e6e6, 0xa0a4ad, 0x8a8f99, 0x5c6370, 0xd7dae0, 0xe06c75, 0x6b7280};
    return {0xffffff, 0x1f2328, 0x59636e, 0x6e7781, 0x8c959f, 0x1f2328, 0xcf222e, 0x9ca3af};
}

uint32_t category_fill(std::string_view category, bool dark) {
    struct Fill {
        std::string_view category;
        uint32_t light, dark;
    };
    // Hues by role, pale on white and deep on dark grey, so the text stays legible on both.
    static constexpr Fill kFills[] = {
        {"Input", 0xe8eaed, 0x3a3f4b},        {"Convolution", 0xdbeafe, 0x1e3a5f}, {"Pooling", 0xdcfce7, 0x1f4d33},
        {"Core", 0xfef3c7, 0x5c4a12},         {"Activation", 0xfce7f3, 0x5a2346},  {"Normalization", 0xede9fe, 0x3f3366},
        {"Merge", 0xffedd5, 0x5f3a17},        {"Reshaping", 0xf1f5f9, 0x374151},   {"Regularization", 0xf1f5f9, 0x374151},
        {"Sequence", 0xccfbf1, 0x134e4a},     {"Attention", 0xe0e7ff, 0x312e81},
    };
    for (const Fill& fill : kFills)
        if (fill.category == category) return dark ? fill.dark : fill.light;
    return dark ? 0x2d3039 : 0xf6f8fa;
}

} // namespace netshape
