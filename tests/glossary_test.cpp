// The glossary (src/engine/glossary.cpp) against the README's Glossary section, which must say the
// same, and against the summary it explains: every totals line and number column has its entry.
#include "support.h"

#include "engine/glossary.h"
#include "engine/report.h"
#include "engine/text.h"

#include <fstream>
#include <sstream>

using namespace netshape;
using netshape::testing::analyze_json;

namespace {

std::string readme() {
    std::ifstream in(NETSHAPE_README, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// The README's "## Glossary" section: its list items, one a line, "- **Term.** text".
std::vector<std::string> readme_glossary_items() {
    const std::string text = readme();
    const size_t start = text.find("\n## Glossary\n");
    REQUIRE(start != std::string::npos);
    const size_t end = text.find("\n## ", start + 1);
    std::istringstream section(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    std::vector<std::string> items;
    for (std::string line; std::getline(section, line);)
        if (line.starts_with("- **")) items.push_back(line);
    return items;
}

} // namespace

TEST_CASE("glossary: the README's Glossary section says what the app's Help says, entry for entry", "[glossary]") {
    std::vector<std::string> expected;
    for (const GlossaryEntry& entry : glossary()) expected.push_back(cat("- **", entry.term, ".** ", entry.text));
    const std::vector<std::string> items = readme_glossary_items();
    REQUIRE(items.size() == expected.size());
    for (size_t i = 0; i < items.size(); ++i) {
        CAPTURE(i);
        CHECK(items[i] == expected[i]);
    }
}

TEST_CASE("glossary: the terms the issue asks for are there, each with a stand-alone first sentence", "[glossary]") {
    // Issue 11: parameters, trainable vs non-trainable, buffers, MACs vs FLOPs, activations memory,
    // receptive field, channels-first/last.
    for (std::string_view id : {"params", "trainable", "buffers", "macs", "activations", "receptive_field", "layout"}) {
        CAPTURE(id);
        CHECK(glossary_entry(id) != nullptr);
    }
    for (const GlossaryEntry& entry : glossary()) {
        CAPTURE(entry.id);
        const std::string_view sentence = first_sentence(entry.text);
        CHECK(sentence.ends_with('.'));
        CHECK(sentence.size() <= 240); // a hover text, not the paragraph again
        CHECK(entry.text.size() <= 600); // short: the web app downloads every byte
    }
    CHECK(first_sentence("One. Two.") == "One.");
    CHECK(first_sentence("No full stop") == "No full stop");
}

TEST_CASE("glossary: every totals line and number column links to its entry", "[glossary]") {
    // A PyTorch design with a BatchNorm (so the Buffers line shows) and seed 000's layers.
    const Analysis analysis = analyze_json(R"({"input": [3, 32, 32], "layers": [
        {"type": "conv2d", "out_channels": 16, "kernel_size": 3},
        {"type": "batchnorm2d"}, {"type": "flatten"}, {"type": "linear", "out_features": 10}]})");
    REQUIRE(analysis.ok());
    REQUIRE(analysis.buffer_elements == 2 * 16 + 1);
    const std::vector<std::string> lines = totals_lines(analysis);
    // Total, trainable, non-trainable, buffers, MACs, params size, activations, training memory,
    // receptive field, output shape: ten lines, each explained.
    REQUIRE(lines.size() == 10);
    const char* expected_ids[] = {"params",      "trainable",       "trainable",       "buffers",      "macs",
                                  "params_size", "activations", "training_memory", "receptive_field", "output_shape"};
    for (size_t i = 0; i < lines.size(); ++i) {
        CAPTURE(lines[i]);
        const GlossaryEntry* entry = glossary_entry_for(lines[i]);
        REQUIRE(entry != nullptr);
        CHECK(entry->id == expected_ids[i]);
    }
    // The summary table's number columns, by their headings.
    CHECK(glossary_entry_for("Params")->id == "params");
    CHECK(glossary_entry_for("Non-trainable")->id == "trainable");
    CHECK(glossary_entry_for("MACs")->id == "macs");
    CHECK(glossary_entry_for("Output shape")->id == "output_shape");
    CHECK(glossary_entry_for("Layer") == nullptr);
    CHECK(glossary_entry_for("Total paramsX") == nullptr); // a label is a whole word before ':' or " ("
}
