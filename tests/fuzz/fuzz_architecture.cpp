// libFuzzer target: any text, read as an architecture and analysed, must give a result or an
// error, never a crash, a hang or a sanitizer report. Built with -DNETSHAPE_FUZZ=ON and clang;
// `.ci/dev fuzz [SECONDS]` runs it from the preset corpus.
#include "engine/analysis.h"
#include "engine/json_format.h"
#include "engine/report.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    netshape::ReadResult read = netshape::read_architecture_json(text);
    if (read.error) return 0;
    for (netshape::Convention convention : {netshape::Convention::pytorch, netshape::Convention::keras}) {
        read.architecture.convention = convention;
        netshape::Analysis analysis = netshape::analyze(read.architecture);
        // Every output path runs too: the summary JSON must be valid UTF-8 and printable.
        (void)netshape::analysis_to_json(analysis).dump();
        (void)netshape::format_table(analysis, {.explain = true});
        (void)netshape::format_markdown(analysis, {.explain = true});
    }
    return 0;
}
