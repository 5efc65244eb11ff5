// The web app's fonts hold only the characters in web/glyph_ranges.h (the build cuts them down to
// those). Every character the engine writes — explanations, totals, the catalog's docs — must be
// among them, or the app would draw '?' where a formula has '⌊' or '·'.
#include "support.h"

#include "engine/catalog.h"
#include "engine/glossary.h"
#include "engine/link_text.h"
#include "engine/report.h"
#include "engine/text.h"
#include "glyph_ranges.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using namespace netshape;

namespace {

bool in_font(char32_t code_point) {
    for (size_t i = 0; netshape::ui::kGlyphRanges[i] != 0; i += 2)
        if (code_point >= netshape::ui::kGlyphRanges[i] && code_point <= netshape::ui::kGlyphRanges[i + 1]) return true;
    return false;
}

// The code points of a UTF-8 text that the fonts lack (the engine writes valid UTF-8).
void collect_missing(std::string_view text, std::set<char32_t>& missing) {
    for (size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        char32_t code_point = length == 1 ? lead : lead & (0x3F >> (length - 1));
        for (size_t k = 1; k < length && i + k < text.size(); ++k)
            code_point = (code_point << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        if (code_point != '\n' && !in_font(code_point)) missing.insert(code_point);
        i += length;
    }
}

} // namespace

TEST_CASE("glyphs: the app's fonts hold every character the engine writes", "[glyphs]") {
    std::set<char32_t> missing;
    for (const LayerKind& kind : catalog()) {
        collect_missing(kind.doc, missing);
        for (const FieldSpec& field : kind.fields) collect_missing(field.doc, missing);
    }
    for (const GlossaryEntry& entry : glossary()) {
        collect_missing(entry.term, missing);
        collect_missing(entry.text, missing);
    }
    size_t presets = 0;
    for (const auto& entry : std::filesystem::directory_iterator(NETSHAPE_PRESETS_DIR)) {
        std::ifstream file(entry.path(), std::ios::binary);
        std::stringstream text;
        text << file.rdbuf();
        ReadResult read = read_architecture_any(text.str());
        REQUIRE_FALSE(read.error);
        for (Convention convention : {Convention::pytorch, Convention::keras}) {
            read.architecture.convention = convention; // the other convention's explanations too (or its errors)
            const Analysis analysis = analyze(read.architecture);
            for (const LayerResult& layer : analysis.layers) {
                collect_missing(layer_label(layer), missing);
                collect_missing(layer.error, missing);
                for (const std::string& line : layer.explain) collect_missing(line, missing);
            }
            for (const std::string& line : totals_lines(analysis)) collect_missing(line, missing);
        }
        ++presets;
    }
    CHECK(presets >= 10);
    std::string listed;
    for (char32_t code_point : missing) listed += cat("U+", static_cast<int64_t>(code_point), " ");
    INFO("missing code points (decimal): " << listed);
    CHECK(missing.empty());
}
