// libFuzzer target: any text, read as an architecture (JSON or link text) and analysed, must give
// a result or an error, never a crash, a hang or a sanitizer report; and the link text written
// for whatever was read must read back to the same text (the writer is canonical).
// Built with -DNETSHAPE_FUZZ=ON and clang; `.ci/dev fuzz [SECONDS]` runs it from the presets.
#include "engine/analysis.h"
#include "engine/json_format.h"
#include "engine/link_text.h"
#include "engine/report.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    netshape::ReadResult read = netshape::read_architecture_any(text);
    if (read.error) return 0;

    const std::string written = netshape::architecture_to_text(read.architecture);
    netshape::TextReadResult again = netshape::read_architecture_text(written);
    if (again.error || netshape::architecture_to_text(again.architecture) != written) std::abort();

    for (netshape::Convention convention : {netshape::Convention::pytorch, netshape::Convention::keras}) {
        read.architecture.convention = convention;
        netshape::Analysis analysis = netshape::analyze(read.architecture);
        // Every output path runs too: the summary JSON must be valid UTF-8 and printable.
        (void)netshape::analysis_to_json(analysis);
        (void)netshape::format_table(analysis, {.explain = true});
        (void)netshape::format_markdown(analysis, {.explain = true});
    }
    return 0;
}
