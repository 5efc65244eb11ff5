// Hostile and huge input: every reader bounded, linear and consistent (issue 9). Each case is an
// input that used to take minutes or gigabytes, or that one reader took and another refused;
// what each must do instead is derived in the case from the limits (src/engine/limits.h), the
// format descriptions, and Unicode's definition of well-formed UTF-8.
#include "support.h"

#include "engine/catalog.h"
#include "engine/json_writer.h"
#include "engine/limits.h"
#include "engine/link_text.h"
#include "engine/report.h"
#include "engine/text.h"

#include <nlohmann/json.hpp>

#include <cmath>

using namespace netshape;
using namespace netshape::testing;

namespace {

std::string repeated(std::string_view piece, size_t times) {
    std::string out;
    out.reserve(piece.size() * times);
    for (size_t i = 0; i < times; ++i) out += piece;
    return out;
}

ReadError read_error_of(std::string_view text) {
    ReadResult read = read_architecture_any(text);
    REQUIRE(read.error);
    return *read.error;
}

Architecture read_ok(std::string_view text) {
    ReadResult read = read_architecture_any(text);
    INFO((read.error ? read.error->message : std::string()));
    REQUIRE_FALSE(read.error);
    return read.architecture;
}

// A JSON design of `count` layers, each the object `layer`.
std::string json_layers(size_t count, std::string_view layer) {
    std::string text = R"({"input": [4], "layers": [)";
    for (size_t i = 0; i < count; ++i) {
        if (i) text += ',';
        text += layer;
    }
    return text + "]}";
}

} // namespace

TEST_CASE("a cycle is described once, not once per layer after it", "[hostile]") {
    // x and y read each other; 20,000 layers follow, each reading the one before. The cycle's
    // path used to be copied into every later layer's message (quadratic: gigabytes).
    constexpr size_t kAfter = 20'000;
    Analysis analysis = analyze(read_ok(cat("ns1;4/x=relu(@y)/y=relu(@x)", repeated("/relu", kAfter))));
    REQUIRE(analysis.layers.size() == kAfter + 2);
    CHECK(analysis.layers[0].error == "the layers form a cycle: x ← y ← x");
    CHECK(analysis.layers[1].error == "on the cycle through 'x' (layers[0])");
    CHECK(analysis.layers.back().error == "not reached: it depends on the cycle through 'x' (layers[0])");
    size_t message_bytes = 0;
    for (const LayerResult& layer : analysis.layers) {
        CHECK(layer.status == LayerStatus::error);
        message_bytes += layer.error.size();
    }
    CHECK(message_bytes < 80 * analysis.layers.size()); // a bounded message per layer

    SECTION("a long cycle is named by its ends") {
        // c0 reads c999, c1 reads c0, …: one cycle of 1,000 layers.
        std::string text = "ns1;4/c0=relu(@c999)";
        for (int i = 1; i < 1000; ++i) text += cat("/c", i, "=relu(@c", i - 1, ")");
        Analysis long_cycle = analyze(read_ok(text));
        const std::string& message = long_cycle.layers[0].error;
        // From c0 the walk follows what each layer reads: c0 ← c999 ← c998 … ← c1 ← c0.
        CHECK_THAT(message, Catch::StartsWith("the layers form a cycle: c0 ← c999 ← c998"));
        CHECK_THAT(message, Catch::Contains("… 984 more …"));
        CHECK_THAT(message, Catch::EndsWith("c2 ← c1 ← c0"));
        CHECK(message.size() < 300);
    }
}

TEST_CASE("repeat counts cannot wrap around 64 bits", "[hostile]") {
    // 65536⁴ = 2⁶⁴ wraps to 0 in 64-bit arithmetic, which passed the layer limit before; the
    // second repeat from the inside (65536² layers) is already past it. It starts at column 21:
    // "ns1;4/" is 6 characters and each "65536*(" 7.
    TextReadResult read = read_architecture_text("ns1;4/65536*(65536*(65536*(65536*(relu))))");
    REQUIRE(read.error);
    CHECK(read.error->column == 21);
    CHECK_THAT(read.error->message, Catch::Contains("past the limit of 100,000 layers"));
    // Exactly at the limit is fine: 100 · 1,000 layers.
    CHECK(read_ok("ns1;4/100*(1000*(relu))").layers.size() == kMaxLayers);
}

TEST_CASE("suggestions are bounded in length and in total work", "[hostile]") {
    CHECK(edit_distance_within("rleu", "relu", 3) == 1); // one swap
    CHECK(edit_distance_within("kitten", "sitting", 3) == 3);
    CHECK(edit_distance_within("kitten", "sitting", 2) == 3); // past the limit: limit + 1
    CHECK(edit_distance_within("conv", "conv2d", 1) == 2);

    SECTION("a megabyte-long type gets no suggestion, at once") {
        const std::string huge(1'000'000, 'q');
        CHECK_THAT(unknown_type_message(huge), Catch::EndsWith("(netshape layers lists the known types)"));
    }
    SECTION("after its budget a suggester stops suggesting") {
        std::vector<std::string> names;
        for (int i = 0; i < 1000; ++i) names.push_back(cat("name", 1000 + i));
        std::vector<std::string_view> views(names.begin(), names.end());
        // One query of an 8-letter name costs 1,000 candidates · 8 · (2·2 + 1) steps = 40,000.
        NameSuggester suggester(views, 100'000);
        CHECK(suggester.nearest("name1O00") == "name1000");
        CHECK(suggester.nearest("name1O01") == "name1001");
        CHECK(suggester.nearest("name1O02").empty()); // 120,000 > 100,000: out of budget
        CHECK(suggester.nearest("name1O00") == "name1000"); // asked before: remembered
    }
    SECTION("20,000 distinct dangling names against 20,000 layers") {
        std::string text = "ns1;4";
        for (int i = 0; i < 20'000; ++i) text += cat("/l", 10'000 + i, "=relu(@m", 10'000 + i, ")");
        Analysis analysis = analyze(read_ok(text));
        CHECK(analysis.layers[0].error == "no layer or input is named 'm10000'; did you mean 'l10000'?");
        for (const LayerResult& layer : analysis.layers)
            CHECK_THAT(layer.error, Catch::StartsWith(cat("no layer or input is named 'm", layer.name.substr(1))));
    }
}

TEST_CASE("JSON objects are read in linear time, and a key may appear once", "[hostile]") {
    SECTION("200,000 keys in one layer") {
        std::string layer = R"({"type": "linear")";
        for (int i = 0; i < 200'000; ++i) layer += cat(", \"k", i, "\": 1");
        Analysis analysis = analyze_json(json_layers(1, layer + "}"));
        CHECK_THAT(analysis.layers[0].error, Catch::StartsWith("unknown field 'k0' for linear"));
    }
    SECTION("200,000 model inputs: over the limit of 1,000") {
        std::string text = R"({"inputs": {)";
        for (int i = 0; i < 200'000; ++i) text += cat(i ? ", " : "", "\"i", i, "\": [4]");
        ReadError error = read_error_of(text + R"(}, "layers": []})");
        CHECK(error.where == "inputs");
        CHECK(error.message == "inputs: the design has 200,000 model inputs; the limit is 1,000");
    }
    SECTION("a duplicate key is an error that names it and where") {
        ReadError error = read_error_of("{\"input\": [4],\n \"layers\": [{\"type\": \"linear\", \"out_features\": 2,\n"
                                        "  \"out_features\": 3}]}");
        CHECK(error.line == 3);
        CHECK_THAT(error.message, Catch::Contains("the key \"out_features\" appears twice in one object"));
        CHECK_FALSE(read_error_of(R"({"input": [4], "input": [5], "layers": []})").message.empty());
    }
}

TEST_CASE("one set of limits, the same for JSON and the link text", "[hostile]") {
    SECTION("layers: 100,000 in either form, not one more") {
        CHECK(read_ok(json_layers(kMaxLayers, R"({"type":"relu"})")).layers.size() == kMaxLayers);
        CHECK(read_ok(cat("ns1;4", repeated("/relu", kMaxLayers))).layers.size() == kMaxLayers);
        CHECK(read_error_of(json_layers(kMaxLayers + 1, R"({"type":"relu"})")).message ==
              "layers: the design has 100,001 layers; the limit is 100,000");
        CHECK_THAT(read_error_of(cat("ns1;4", repeated("/relu", kMaxLayers + 1))).message,
                   Catch::Contains("more than 100,000 layers, the limit"));
    }
    SECTION("input bytes: 16 MiB") {
        std::string padded_json = json_layers(1, R"({"type":"relu"})");
        padded_json.insert(1, kMaxInputBytes + 1 - padded_json.size(), ' '); // white space is still input
        REQUIRE(padded_json.size() == kMaxInputBytes + 1);
        CHECK_THAT(read_error_of(padded_json).message, Catch::Contains("more than 16,777,216 bytes"));
        std::string padded_text = "ns1;4/relu" + std::string(kMaxInputBytes + 1 - 10, ' ');
        CHECK_THAT(read_error_of(padded_text).message, Catch::Contains("more than 16,777,216 bytes"));
    }
    SECTION("names: 256 bytes") {
        const std::string longest(kMaxNameBytes, 'n'), too_long(kMaxNameBytes + 1, 'n');
        read_ok(cat(R"({"input": [4], "layers": [{"type": "relu", "name": ")", longest, "\"}]}"));
        read_ok(cat("ns1;4/", longest, "=relu"));
        CHECK(read_error_of(cat(R"({"input": [4], "layers": [{"type": "relu", "name": ")", too_long, "\"}]}")).where ==
              "layers[0].name");
        CHECK_THAT(read_error_of(cat("ns1;4/", too_long, "=relu")).message,
                   Catch::Contains("this name is 257 characters; names hold at most 256"));
        // The editor's rename box asks name_problem: the same limit.
        CHECK(name_problem(longest).empty());
        CHECK(name_problem(too_long) == "a name holds at most 256 characters; this one has 257");
    }
    SECTION("one dimension: 2^40") {
        const int64_t largest = int64_t{1} << 40;
        read_ok(cat(R"({"input": [)", largest, R"(], "layers": []})"));
        read_ok(cat("ns1;", largest, "/relu"));
        CHECK(read_error_of(cat(R"({"input": [)", largest + 1, R"(], "layers": []})")).where == "input[0]");
        CHECK_THAT(read_error_of(cat("ns1;", largest + 1, "/relu")).message,
                   Catch::Contains("over the limit for one dimension"));
    }
    SECTION("the title: 1,024 bytes") {
        CHECK(read_error_of(cat(R"({"name": ")", std::string(kMaxTitleBytes + 1, 't'), R"(", "input": [4], "layers": []})"))
                  .where == "name");
        CHECK_FALSE(read_architecture_text(cat("ns1;'", std::string(kMaxTitleBytes + 1, 't'), "';4")).error->message.empty());
    }
    SECTION("a design whose link could not open again is refused") {
        // A padding string of 128 'é' is 256 bytes: within the name limit. In JSON it is 256 bytes
        // of UTF-8; the link text writes each byte as *HH, three characters. 25,000 such layers
        // are about 7.5 MB of JSON but 25,000 · 768 = 19.2 MB of link text, past 16 MiB.
        // (Each layer has its own out_channels, so that no repeat folds them in the link.)
        const std::string accents = repeated("é", 128);
        auto layers = [&](size_t count) {
            std::string text = R"({"input": [1, 4, 4], "layers": [)";
            for (size_t i = 0; i < count; ++i)
                text += cat(i ? "," : "", R"({"type":"conv2d","out_channels":)", i + 1,
                            R"(,"kernel_size":1,"padding":")", accents, "\"}");
            return text + "]}";
        };
        std::string text = layers(25'000);
        REQUIRE(text.size() < kMaxInputBytes);
        ReadError error = read_error_of(text);
        CHECK(error.where == "text");
        CHECK_THAT(error.message, Catch::Contains("so it could not be opened again"));
        // 2,000 of them fit, and their link opens again to the same design.
        Architecture fits = read_ok(layers(2'000));
        CHECK(architecture_to_json(read_ok(architecture_to_text(fits)), -1) == architecture_to_json(fits, -1));
    }
}

TEST_CASE("only well-formed UTF-8 is read, and the error says at which byte", "[hostile]") {
    // Unicode 15, table 3-7: overlong forms, surrogates, code points past U+10FFFF, unfinished
    // sequences and stray continuation bytes are all ill-formed.
    CHECK(invalid_utf8_at("plain ASCII") == std::string_view::npos);
    CHECK(invalid_utf8_at("é · 中 😀") == std::string_view::npos);
    CHECK(invalid_utf8_at("a\xC0\xAF") == 1);         // overlong '/'
    CHECK(invalid_utf8_at("ab\xE0\x80\xAF") == 2);    // overlong, three bytes
    CHECK(invalid_utf8_at("\xED\xA0\x80") == 0);      // U+D800, a surrogate
    CHECK(invalid_utf8_at("\xF4\x90\x80\x80") == 0);  // U+110000
    CHECK(invalid_utf8_at("xyz\xE2\x82") == 3);       // unfinished
    CHECK(invalid_utf8_at("\x9D") == 0);              // a lone continuation byte
    CHECK(invalid_utf8_at("\xF5\x80\x80\x80") == 0);  // no such lead byte

    // In a link, other bytes are written *HH: 'ok*ED*A0*80' says U+D800 in UTF-8. The error
    // points at the '*' that wrote the first bad byte, column 8 (ns1; is 4, the quote 5).
    TextReadResult read = read_architecture_text("ns1;'ok*ED*A0*80';4/relu");
    REQUIRE(read.error);
    CHECK(read.error->column == 8);
    CHECK_THAT(read.error->message, Catch::Contains("not valid UTF-8 at byte 3"));
    CHECK(read_error_of("{\"name\": \"\xC0\xAF\", \"input\": [4], \"layers\": []}").line == 1);
}

TEST_CASE("strict numbers, a byte-order mark, duplicate-free fields", "[hostile]") {
    SECTION("a whole number written as a float is refused as written") {
        Analysis analysis = analyze_json(R"({"input": [4], "layers": [{"type": "linear", "out_features": 3.0}]})");
        CHECK_THAT(analysis.layers[0].error, Catch::Contains("received out_features=3.0"));
    }
    SECTION("a number that underflows to 0 is refused in both forms") {
        CHECK_THAT(read_error_of(R"({"input": [4], "layers": [{"type": "dropout", "p": 1e-400}]})").message,
                   Catch::Contains("1e-400 is too close to 0"));
        CHECK_THAT(read_error_of("ns1;4/dropout(p=1e-400)").message, Catch::Contains("too close to 0"));
        read_ok(R"({"input": [4], "layers": [{"type": "dropout", "p": 1e-300}]})");
        // A subnormal double (below 2.2e-308, above 4.9e-324) is a number: both forms take it,
        // and the link of the JSON design opens (strtod's ERANGE would have refused it there).
        Architecture subnormal = read_ok(R"({"input": [4], "layers": [{"type": "dropout", "p": 1e-310}]})");
        CHECK(architecture_to_json(read_ok(architecture_to_text(subnormal)), -1) == architecture_to_json(subnormal, -1));
        CHECK(decimal_to_double("1e-310") == 1e-310);
        CHECK_FALSE(decimal_to_double("1e-400"));
        CHECK_FALSE(decimal_to_double("1e999"));
        CHECK(decimal_to_double("0.000e-999") == 0.0); // written as zero: it is zero
    }
    SECTION("a byte-order mark before either form is skipped") {
        CHECK(read_ok("\xEF\xBB\xBF{\"input\": [4], \"layers\": [{\"type\": \"relu\"}]}").layers.size() == 1);
        CHECK(read_ok("\xEF\xBB\xBFns1;4/relu").layers.size() == 1);
    }
}

TEST_CASE("Markdown and terminal output keep a stranger's text inert", "[hostile]") {
    Architecture design = read_ok("ns1;'<img~src=x~onerror=alert(1)>*0A|*1B[2J';4/relu");
    Analysis analysis = analyze(design);
    const std::string markdown = format_markdown(analysis, {});
    const std::string title_line = markdown.substr(0, markdown.find('\n'));
    CHECK(title_line.find("<img") == std::string::npos); // only the <br> the line break became
    CHECK_THAT(title_line, Catch::Contains("&lt;img src=x onerror=alert(1)&gt;<br>\\|\\\\x1B[2J"));
    CHECK(terminal_text("a\x1B[2Jb\x07\xC2\x9B" "c\n") == "a\\x1B[2Jb\\x07\\x9Bc\n");
    CHECK(format_table(analysis, {}).find('\x1B') != std::string::npos); // the table holds it; the CLI escapes
    CHECK(terminal_text(format_table(analysis, {})).find('\x1B') == std::string::npos);
}

TEST_CASE("text put into HTML or XML cannot close its element or attribute, and XML readers accept it", "[hostile]") {
    // The five characters with a meaning in markup as references (HTML and XML both read &#39;);
    // XML 1.0 allows no control character but tab, line feed and carriage return: a space instead.
    CHECK(markup_text("\"&'<>") == "&quot;&amp;&#39;&lt;&gt;");
    CHECK(markup_text("a\x1B[2J\tb\n") == "a [2J\tb\n");
    CHECK(markup_text("9\xC3\x97" "9") == "9\xC3\x97" "9"); // UTF-8 passes unchanged
}

TEST_CASE("when the memory estimate overflows, the totals say so", "[hostile]") {
    // [2^40, 2^20] is 2^60 values; the input and the relu's output are 2^61, times 4 bytes 2^63:
    // one past int64.
    Analysis analysis = analyze(read_ok(cat("ns1;", int64_t{1} << 40, "x", 1 << 20, "/relu")));
    REQUIRE(analysis.ok());
    std::vector<std::string> lines = totals_lines(analysis, {});
    CHECK(std::find(lines.begin(), lines.end(),
                    "Memory estimate: n/a (a byte count for batch 1 does not fit in a 64-bit number)") != lines.end());
}

TEST_CASE("the JSON writer writes what nlohmann writes, with no tree", "[hostile][json]") {
    // nlohmann's own dump is the reference layout.
    nlohmann::ordered_json reference = {{"a", 1},
                                        {"b", nlohmann::ordered_json::array()},
                                        {"c", {{"d", 2.0}, {"e", {1, 2}}, {"f", nullptr}}},
                                        {"g", "tab\there \"quoted\" \x01"}};
    std::string text;
    JsonWriter out(text, 2);
    out.begin_object().key("a").value(1).key("b").begin_array().end_array();
    out.key("c").begin_object().key("d").value(2.0).key("e").value(std::vector<int64_t>{1, 2}).key("f").null();
    out.end_object().key("g").value("tab\there \"quoted\" \x01").end_object();
    CHECK(text == reference.dump(2));
    std::string compact;
    JsonWriter(compact).begin_array().value(0.1).value(1e-05).value(std::nan("")).value("\xFF").end_array();
    CHECK(compact == "[0.1,1e-05,null,\"\xEF\xBF\xBD\"]"); // NaN has no JSON; a bad byte is U+FFFD
}

TEST_CASE("the summary JSON is handed over in pieces, never held whole", "[hostile][json]") {
    // 2,000 layers of about 1 kB of summary each: the text is handed on in pieces of at least
    // kSummaryChunkBytes (but the last), each cut after a whole layer, so the writer holds one
    // piece and one layer at most; joined, they are the text analysis_to_json writes.
    std::string text = "ns1;64";
    for (int i = 0; i < 2000; ++i) text += cat("/linear(", 64 + i % 11, ")");
    Analysis analysis = analyze(read_ok(text));
    std::vector<std::string> pieces;
    write_analysis_json(analysis, {}, 2, [&](std::string_view piece) { pieces.emplace_back(piece); });
    REQUIRE(pieces.size() > 2);
    std::string joined;
    for (size_t i = 0; i < pieces.size(); ++i) {
        if (i + 1 < pieces.size()) CHECK(pieces[i].size() >= kSummaryChunkBytes);
        CHECK(pieces[i].size() < kSummaryChunkBytes + 4096); // a piece and one layer at most
        joined += pieces[i];
    }
    CHECK(joined == analysis_to_json(analysis));
    CHECK(nlohmann::json::parse(joined)["layers"].size() == 2000);
}

TEST_CASE("the totals name at most ten layers without a MAC rule", "[hostile]") {
    // A line of the totals stays a line however many layers have no MAC rule (the JSON's
    // layers_without_macs has them all).
    Analysis analysis = analyze(read_ok("ns1;4/relu"));
    REQUIRE(analysis.ok());
    analysis.layers_without_macs.clear();
    for (int i = 1; i <= 12; ++i) analysis.layers_without_macs.push_back(cat("l", i));
    std::vector<std::string> lines = totals_lines(analysis, {});
    auto macs = std::find_if(lines.begin(), lines.end(), [](const std::string& line) { return line.rfind("Total MACs", 0) == 0; });
    REQUIRE(macs != lines.end());
    CHECK_THAT(*macs, Catch::StartsWith("Total MACs: at least 0"));
    CHECK_THAT(*macs, Catch::EndsWith("; n/a for l1, l2, l3, l4, l5, l6, l7, l8, l9, l10 and 2 more"));
}
