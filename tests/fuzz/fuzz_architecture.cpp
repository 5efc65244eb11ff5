// libFuzzer target: any text, read as an architecture (JSON or link text) and analysed, must give
// a result or an error, never a crash, a hang or a sanitizer report. Invariants:
// - an error points inside the input: a JSON error's line and column, a link text's column;
// - read → write → read gives the same design, through the link text and through JSON (both
//   writers are canonical, so the texts written the second time are the same too; the link
//   text writes a layer's fields in its kind's order, JSON in the order read: same_design.h);
// - the analysis's messages grow linearly: a bounded length per layer (a cycle's path once).
// Built with -DNETSHAPE_FUZZ=ON and clang; `.ci/dev fuzz [SECONDS]` runs it from the presets, and
// `.ci/dev fuzz-slow [SECONDS]` with a two-second limit per input up to 64 KB, which catches
// quadratic paths.
#include "engine/analysis.h"
#include "engine/import_pytorch.h"
#include "engine/json_format.h"
#include "engine/link_text.h"
#include "engine/report.h"
#include "engine/table_check.h"
#include "same_design.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

size_t lines_in(std::string_view text) {
    size_t lines = 1;
    for (char c : text) lines += c == '\n';
    return lines;
}

size_t characters_in(std::string_view text) {
    size_t characters = 0;
    for (char c : text) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return characters;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace netshape;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    // The same text as a table made by hand, checked against seed 000's network: a report, never
    // a crash, and no more cells checked than the text has lines times three columns.
    static const Architecture seed = read_architecture_text(
        "ns1;1x28x28/conv2d1=conv2d(32,5)+relu/maxpool1=maxpool2d(2)/conv2d2=conv2d(32,3,padding=1)+relu/"
        "maxpool2=maxpool2d(2,ceil_mode=true)/flatten/dense=linear(256)+relu/output=linear(10)+softmax").architecture;
    static const Analysis seed_analysis = analyze(seed);
    const TableCheck table = check_table(seed, seed_analysis, text);
    if (table.cells_checked > 3 * lines_in(text) || table.cells_wrong > table.cells_checked) std::abort();
    (void)format_table_check(table);

    // The same text as PyTorch's print(model): a design or an error placed inside the text.
    const ImportResult imported = import_pytorch_print(text, {3, 32, 32});
    if (imported.error && static_cast<size_t>(imported.error->line) > lines_in(text)) std::abort();

    ReadResult read = read_architecture_any(text);
    if (read.error) {
        if (read.error->line > 0 && static_cast<size_t>(read.error->line) > lines_in(text)) std::abort();
        if (read.error->column < 0 || static_cast<size_t>(read.error->column) > characters_in(text) + 1) std::abort();
        return 0;
    }

    // A short input may repeat a block to 100,000 layers. Past a few thousand layers the cost of
    // each later step is linear in layers, not in the input, and the scale benchmark measures
    // it; the target reads and analyses such a design once, so that fuzz-slow's time limit
    // stays about the input's size.
    if (read.architecture.layers.size() > 2'000) {
        (void)analyze(read.architecture);
        return 0;
    }
    const std::string written = architecture_to_text(read.architecture);
    const std::string json = architecture_to_json(read.architecture, -1);
    TextReadResult again = read_architecture_text(written);
    if (again.error || architecture_to_text(again.architecture) != written) std::abort();
    if (!fuzzing::same_design(again.architecture, read.architecture)) std::abort();
    ReadResult from_json = read_architecture_json(json);
    if (from_json.error || architecture_to_json(from_json.architecture, -1) != json) std::abort();

    for (Convention convention : {Convention::pytorch, Convention::keras}) {
        read.architecture.convention = convention;
        Analysis analysis = analyze(read.architecture);
        size_t message_bytes = 0;
        for (const LayerResult& layer : analysis.layers) message_bytes += layer.error.size();
        if (message_bytes > 4096 * (analysis.layers.size() + 1)) std::abort();
        // Every output path runs too: the summary JSON must be valid UTF-8 and printable.
        (void)analysis_to_json(analysis);
        (void)format_table(analysis, {.explain = true});
        (void)format_markdown(analysis, {.explain = true});
    }
    return 0;
}
