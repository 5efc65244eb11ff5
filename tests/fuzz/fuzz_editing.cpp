// libFuzzer target: random sequences of the editor's edits (web/editing.h) over a design read
// from the input, each applied through the app state as the UI applies it. After every edit:
//   - the design can be written as link text and as JSON, and either reads back to it;
//   - every reference that survived the edit points at the same layer as before (layers are
//     followed through inserts, moves, duplicates and removals by their position);
//   - undo gives back the design before the edit, and redo the design after it.
// Any broken promise aborts, so libFuzzer reports it with the input that broke it.
#include "app_state.h"
#include "editing.h"

#include "engine/analysis.h"
#include "engine/catalog.h"
#include "engine/json_format.h"
#include "engine/link_text.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

using namespace netshape;

namespace {

void fail(const char* promise, const std::string& detail) {
    std::fprintf(stderr, "broken promise: %s\n%s\n", promise, detail.c_str());
    std::abort();
}

std::string text_of(const Architecture& design) { return architecture_to_text(design); }

void check_writable(const Architecture& design) {
    const std::string text = text_of(design);
    TextReadResult read = read_architecture_text(text);
    if (read.error) fail("what the editor makes, the link reads", text + "\n" + read.error->message);
    if (text_of(read.architecture) != text) fail("the link reads back to the same design", text);
    // and so does the JSON
    ReadResult json = read_architecture_json(architecture_to_json(design, -1));
    if (json.error) fail("what the editor makes, the JSON reads", text + "\n" + json.error->message);
    if (text_of(json.architecture) != text) fail("the JSON reads back to the same design", text);
}

// For each layer, the layers its explicit inputs and shares resolve to (−1: a model input, a
// name nothing has or a name two layers have, which edits leave alone).
std::vector<std::vector<long>> references(const Architecture& design) {
    const std::vector<std::string> names = layer_names(design);
    std::map<std::string, long> index;
    for (size_t i = 0; i < names.size(); ++i) {
        // A name two layers have (an error the analysis reports) names no one layer: left out.
        auto [it, added] = index.emplace(names[i], static_cast<long>(i));
        if (!added) it->second = -1;
    }
    std::vector<std::vector<long>> out;
    for (const LayerSpec& layer : design.layers) {
        std::vector<long> targets;
        for (const std::string& input : layer.inputs) {
            auto it = index.find(input);
            targets.push_back(it == index.end() ? -1 : it->second);
        }
        auto it = index.find(layer.shares);
        targets.push_back(layer.shares.empty() || it == index.end() ? -1 : it->second);
        out.push_back(std::move(targets));
    }
    return out;
}

// `where[old]`: the layer's new position, or nullopt when the edit removed it. References held
// by layers the edit rewrote on purpose (`rewired`) and to a removed layer are not compared.
void check_references(const Architecture& before, const Architecture& after, const std::vector<std::optional<size_t>>& where,
                      std::optional<size_t> rewired) {
    const auto old_refs = references(before), new_refs = references(after);
    for (size_t j = 0; j < old_refs.size(); ++j) {
        if (!where[j] || j == rewired) continue;
        const std::vector<long>& now = new_refs[*where[j]];
        if (now.size() != old_refs[j].size()) continue; // a removed layer's sharer took over its kind
        for (size_t r = 0; r < now.size(); ++r) {
            const long target = old_refs[j][r];
            if (target < 0 || !where[static_cast<size_t>(target)]) continue;
            if (now[r] != static_cast<long>(*where[static_cast<size_t>(target)]))
                fail("references keep pointing at the same layers", text_of(before) + "\n→ " + text_of(after));
        }
    }
}

std::string random_name(FuzzedDataProvider& input, const Architecture& design) {
    const std::vector<std::string> names = layer_names(design);
    switch (input.ConsumeIntegralInRange(0, 3)) {
    case 0: return names.empty() ? std::string() : names[input.ConsumeIntegralInRange<size_t>(0, names.size() - 1)];
    case 1: return design.inputs.empty() ? std::string("input") : design.inputs[0].name;
    case 2: return "";
    default: return input.ConsumeRandomLengthString(12);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    FuzzedDataProvider input(data, size);
    const std::string start = input.ConsumeRandomLengthString(400);
    ReadResult read = read_architecture_any(start);
    if (read.error || read.architecture.layers.size() > 200) return 0;
    app::AppState state = app::make_state(std::move(read.architecture));
    const std::vector<LayerKind>& kinds = catalog();

    for (int step = 0; step < 24 && input.remaining_bytes() > 0; ++step) {
        const Architecture before = state.design;
        const size_t count = before.layers.size();
        const size_t at = count ? input.ConsumeIntegralInRange<size_t>(0, count - 1) : 0;
        std::vector<std::optional<size_t>> where(count);
        for (size_t i = 0; i < count; ++i) where[i] = i;
        std::optional<size_t> rewired;
        std::optional<Architecture> after;
        switch (input.ConsumeIntegralInRange(0, 10)) {
        case 0: { // insert a kind
            const size_t kind = input.ConsumeIntegralInRange<size_t>(0, kinds.size() - 1);
            const size_t index = input.ConsumeIntegralInRange<size_t>(0, count);
            after = app::with_layer_inserted(before, index, kinds[kind].type);
            for (size_t i = index; i < count; ++i) where[i] = i + 1;
            break;
        }
        case 1: // remove
            if (!count) break;
            after = app::with_layer_removed(before, at);
            where[at].reset();
            for (size_t i = at + 1; i < count; ++i) where[i] = i - 1;
            break;
        case 2: { // move
            if (!count) break;
            const size_t to = input.ConsumeIntegralInRange<size_t>(0, count - 1);
            after = app::with_layer_moved(before, at, to);
            for (size_t i = 0; i < count; ++i) {
                size_t p = i;
                if (i == at) p = to;
                else if (at < to && i > at && i <= to) p = i - 1;
                else if (to < at && i >= to && i < at) p = i + 1;
                where[i] = p;
            }
            break;
        }
        case 3: // duplicate
            if (!count) break;
            after = app::with_layer_duplicated(before, at);
            for (size_t i = at + 1; i < count; ++i) where[i] = i + 1;
            break;
        case 4: { // rename
            if (!count) break;
            app::Edited edited = app::with_layer_renamed(before, at, random_name(input, before));
            if (edited.refused.empty()) after = std::move(edited.design);
            break;
        }
        case 5: { // what a layer reads
            if (!count) break;
            std::vector<std::string> inputs;
            for (int n = input.ConsumeIntegralInRange(0, 3); n > 0; --n) inputs.push_back(random_name(input, before));
            app::Edited edited = app::with_layer_inputs(before, at, inputs);
            if (edited.refused.empty()) after = std::move(edited.design), rewired = at;
            break;
        }
        case 6: { // rename a model input
            if (before.inputs.empty()) break;
            app::Edited edited = app::with_input_renamed(before, 0, random_name(input, before));
            if (edited.refused.empty()) after = std::move(edited.design);
            break;
        }
        case 7: // the convention switch
            after = app::with_convention(before, before.convention == Convention::pytorch ? Convention::keras : Convention::pytorch);
            break;
        case 8: { // the palette's link text
            std::string error;
            std::vector<LayerSpec> layers = app::layers_from_text(input.ConsumeRandomLengthString(40), error);
            if (!error.empty() || layers.size() > 50) break;
            const size_t index = input.ConsumeIntegralInRange<size_t>(0, count);
            const size_t added = layers.size();
            app::Edited edited = app::with_layers_inserted(before, index, std::move(layers));
            if (!edited.refused.empty()) break;
            after = std::move(edited.design);
            for (size_t i = index; i < count; ++i) where[i] = i + added;
            break;
        }
        case 9: // New, another input, or one input fewer
            if (input.ConsumeBool()) {
                after = app::with_input_added(before);
                break;
            }
            if (input.ConsumeBool() && !before.inputs.empty()) {
                Architecture fewer = before;
                fewer.inputs.erase(fewer.inputs.begin() + input.ConsumeIntegralInRange<size_t>(0, fewer.inputs.size() - 1));
                after = std::move(fewer);
                break;
            }
            app::set_design(state, app::new_design(before.convention));
            check_writable(state.design);
            continue;
        default: // undo or redo
            if (input.ConsumeBool()) app::undo(state);
            else app::redo(state);
            check_writable(state.design);
            continue;
        }
        if (!after) continue;
        check_writable(*after);
        check_references(before, *after, where, rewired);
        const std::string before_text = text_of(before), after_text = text_of(*after);
        app::set_design(state, std::move(*after));
        if (!app::undo(state) || text_of(state.design) != before_text) fail("undo gives back the design before the edit", before_text);
        if (!app::redo(state) || text_of(state.design) != after_text) fail("redo gives back the design after the edit", after_text);
    }
    return 0;
}
