// The editor's edits (web/editing.h): what a person types into field boxes, and structural edits
// that must keep graphs connected.
#include "support.h"

#include "app_state.h"
#include "editing.h"
#include "engine/catalog.h"

using namespace netshape;
using namespace netshape::app;
using netshape::testing::kSeed000Json;

namespace {

Architecture from_json(std::string_view text) {
    ReadResult read = read_architecture_json(text);
    INFO((read.error ? read.error->message : std::string()));
    REQUIRE_FALSE(read.error);
    return read.architecture;
}

const FieldSpec& field_of(std::string_view type, std::string_view name) {
    const LayerKind* kind = find_kind(type);
    REQUIRE(kind != nullptr);
    const FieldSpec* spec = kind->find_field(name);
    REQUIRE(spec != nullptr);
    return *spec;
}

// Two linear layers summed: add reads both by their default names.
constexpr const char* kTwoBranches = R"({"input": [8], "layers": [
    {"type": "linear", "out_features": 8},
    {"type": "linear", "out_features": 8},
    {"type": "add", "inputs": ["linear_1", "linear_2"]}]})";

} // namespace

TEST_CASE("editing: field boxes accept what people type", "[editing]") {
    const FieldSpec& kernel = field_of("conv2d", "kernel_size");
    CHECK(parse_field_text(kernel, "3").value == FieldValue{int64_t{3}});
    CHECK(parse_field_text(kernel, "3x5").value == FieldValue{std::vector<int64_t>{3, 5}});
    CHECK(parse_field_text(kernel, "[3, 5]").value == FieldValue{std::vector<int64_t>{3, 5}});
    CHECK(parse_field_text(kernel, " 3, 5 ").value == FieldValue{std::vector<int64_t>{3, 5}});
    CHECK(parse_field_text(kernel, "").value == FieldValue{}); // back to the default
    CHECK_FALSE(parse_field_text(kernel, "three").error.empty());
    CHECK(parse_field_text(kernel, "3x").value == FieldValue{std::vector<int64_t>{3}}); // a list of one, as in link text

    const FieldSpec& padding = field_of("conv2d", "padding");
    CHECK(parse_field_text(padding, "same").value == FieldValue{std::string("same")});
    CHECK(parse_field_text(padding, "1x2").value == FieldValue{std::vector<int64_t>{1, 2}});
    CHECK_FALSE(parse_field_text(padding, "full").error.empty());

    const FieldSpec& out_channels = field_of("conv2d", "out_channels");
    CHECK(parse_field_text(out_channels, "64").value == FieldValue{int64_t{64}});
    CHECK_FALSE(parse_field_text(out_channels, "3x3").error.empty());
    CHECK_FALSE(parse_field_text(out_channels, "99999999999999999999").error.empty());

    const FieldSpec& rate = field_of("dropout", "p");
    CHECK(parse_field_text(rate, "0.25").value == FieldValue{0.25});
    CHECK_FALSE(parse_field_text(rate, "a quarter").error.empty());
}

TEST_CASE("editing: field text round-trips through the boxes", "[editing]") {
    const FieldSpec& kernel = field_of("conv2d", "kernel_size");
    for (const FieldValue& value : {FieldValue{int64_t{5}}, FieldValue{std::vector<int64_t>{3, 5}},
                                    FieldValue{std::vector<int64_t>{7}}}) {
        CAPTURE(field_text(value));
        CHECK(parse_field_text(kernel, field_text(value)).value == value);
    }
}

TEST_CASE("editing: input shapes", "[editing]") {
    std::string error;
    CHECK(parse_shape_text("1x28x28", error) == Shape{1, 28, 28});
    CHECK(parse_shape_text("3, 224, 224", error) == Shape{3, 224, 224});
    CHECK(parse_shape_text("[10]", error) == Shape{10});
    CHECK_FALSE(parse_shape_text("1x0x28", error));
    CHECK(error.find("at least 1") != std::string::npos);
    CHECK_FALSE(parse_shape_text("", error));
    CHECK_FALSE(error.empty());
    CHECK(shape_text({1, 28, 28}) == "1x28x28");
}

TEST_CASE("editing: setting and clearing fields", "[editing]") {
    LayerSpec layer;
    layer.type = "conv2d";
    set_field(layer, "out_channels", int64_t{32});
    set_field(layer, "kernel_size", int64_t{5});
    set_field(layer, "out_channels", int64_t{16});
    REQUIRE(layer.fields.size() == 2);
    CHECK(layer.fields[0].first == "out_channels"); // order kept
    CHECK(*layer.find("out_channels") == FieldValue{int64_t{16}});
    set_field(layer, "out_channels", std::monostate{});
    CHECK(layer.find("out_channels") == nullptr);
}

TEST_CASE("editing: removing a layer from seed 000", "[editing]") {
    // Without the first max pool: conv 5x5 → [32, 24, 24], conv 3x3 → [32, 22, 22],
    // pool → [32, 11, 11], flatten 3,872, linear 256: 3,872·256 + 256 = 991,488.
    // Total 832 + (3·3·32 + 1)·32 + 991,488 + (256 + 1)·10 = 832 + 9,248 + 991,488 + 2,570.
    Architecture design = with_layer_removed(from_json(kSeed000Json), 1);
    Analysis analysis = analyze(design);
    REQUIRE(analysis.ok());
    CHECK(analysis.total_params == 1'004'138);
}

TEST_CASE("editing: inserting, duplicating and moving layers", "[editing]") {
    Architecture design = from_json(R"({"input": [10], "layers": [{"type": "linear", "out_features": 4}]})");
    design = with_layer_inserted(design, 99, "relu"); // clamped to the end
    REQUIRE(design.layers.size() == 2);
    CHECK(design.layers[1].type == "relu");
    CHECK(design.layers[1].fields.empty());

    design = with_layer_duplicated(design, 0); // the copy reads the first: 10 → 4, then 4 → 4
    REQUIRE(design.layers.size() == 3);
    CHECK(design.layers[1].type == "linear");
    Analysis analysis = analyze(design);
    REQUIRE(analysis.ok());
    CHECK(analysis.total_params == (10 * 4 + 4) + (4 * 4 + 4));

    design = with_layer_moved(design, 2, 0); // relu first: shapes still fit
    CHECK(design.layers[0].type == "relu");
    CHECK(analyze(design).ok());

    SECTION("a named layer's copy gets its own name") {
        design.layers[1].name = "fc";
        design = with_layer_duplicated(design, 1);
        CHECK(design.layers[2].name == "fc_copy");
        design = with_layer_duplicated(design, 1);
        CHECK(design.layers[2].name == "fc_copy2");
    }
}

TEST_CASE("editing: moving layers of a graph keeps what each layer reads", "[editing]") {
    // Moving linear_2 to the front would renumber the default names (it would become linear_1);
    // the edit writes the names in first, so add still reads the same two layers.
    Architecture design = with_layer_moved(from_json(kTwoBranches), 1, 0);
    CHECK(design.layers[0].name == "linear_2");
    CHECK(design.layers[1].name == "linear_1");
    CHECK(design.layers[2].inputs == std::vector<std::string>{"linear_1", "linear_2"});
}

TEST_CASE("editing: removing a layer reconnects what read it", "[editing]") {
    // linear_2 read linear_1 (the previous layer); add now reads linear_1 twice.
    Architecture design = with_layer_removed(from_json(kTwoBranches), 1);
    REQUIRE(design.layers.size() == 2);
    CHECK(design.layers[1].inputs == std::vector<std::string>{"linear_1", "linear_1"});
    Analysis analysis = analyze(design);
    REQUIRE(analysis.ok());
    CHECK(analysis.total_params == 8 * 8 + 8);
}

TEST_CASE("app state: a whole design as text, JSON or link text", "[app]") {
    AppState state = make_state(from_json(R"({"input": [10], "layers": [{"type": "linear", "out_features": 2}]})"));
    CHECK_FALSE(load_text(state, kSeed000Json));
    CHECK(state.analysis.total_params == 217'706);
    CHECK_FALSE(load_text(state, "ns1;10/linear(3)"));
    CHECK(state.analysis.total_params == 10 * 3 + 3);

    std::optional<ReadError> error = load_text(state, "ns1;10/linear(3");
    REQUIRE(error);
    CHECK(error->where == "text");
    CHECK(state.analysis.total_params == 33); // unchanged
    REQUIRE(undo(state));
    CHECK(state.analysis.total_params == 217'706);
}
