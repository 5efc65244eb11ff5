// The editor's edits (web/editing.h): what a person types into field boxes, and structural edits
// that must keep graphs connected.
#include "support.h"

#include "app_state.h"
#include "editing.h"
#include "engine/catalog.h"
#include "engine/link_text.h"

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
    // Decimal notation only: what JSON and the link text can hold (issue 9). strtod alone takes
    // the other four; 1e-400 is not 0.
    CHECK(parse_field_text(rate, ".5").value == FieldValue{0.5});
    CHECK(parse_field_text(rate, "1e-05").value == FieldValue{1e-05});
    CHECK(parse_field_text(rate, "1e-310").value == FieldValue{1e-310}); // subnormal: as JSON and the link read it
    for (const char* refused : {"nan", "inf", "0x1p-2", "1e-400", "1e", "-", "0.5.5", " 1 2"})
        CHECK_FALSE(parse_field_text(rate, refused).error.empty());
    CHECK_FALSE(parse_field_text(out_channels, "0x10").error.empty());
    CHECK_FALSE(parse_field_text(out_channels, "+5").error.empty());
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

// (The page's setText reads JSON in the tools module and hands this the link text: tool_request_test.)
TEST_CASE("app state: a whole design as link text", "[app]") {
    AppState state = make_state(from_json(R"({"input": [10], "layers": [{"type": "linear", "out_features": 2}]})"));
    CHECK_FALSE(load_text(state, architecture_to_text(from_json(kSeed000Json))));
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

namespace {

Architecture from_text(std::string_view text) {
    TextReadResult read = read_architecture_text(text);
    INFO((read.error ? read.error->message : std::string()));
    REQUIRE_FALSE(read.error);
    return read.architecture;
}

// The design reads back from its own link text to the same text (the editor never makes a design
// the link cannot say).
void check_writable(const Architecture& design) {
    const std::string text = architecture_to_text(design);
    TextReadResult read = read_architecture_text(text);
    INFO(text);
    REQUIRE_FALSE(read.error);
    CHECK(architecture_to_text(read.architecture) == text);
    ReadResult json = read_architecture_json(architecture_to_json(design, -1));
    INFO((json.error ? json.error->message : std::string()));
    REQUIRE_FALSE(json.error);
    CHECK(architecture_to_text(json.architecture) == text);
}

} // namespace

TEST_CASE("editing: naming a layer keeps every reference on the layer it meant", "[editing]") {
    // Naming linear_1 would make the second linear "linear_1" if nothing were pinned: add would
    // then read the second linear twice (8·8+8 + 8·8+8 parameters either way, but not the same graph).
    Edited named = with_layer_renamed(from_json(kTwoBranches), 0, "stem");
    REQUIRE(named.refused.empty());
    CHECK(named.design.layers[0].name == "stem");
    CHECK(named.design.layers[1].name == "linear_2");
    CHECK(named.design.layers[2].inputs == std::vector<std::string>{"stem", "linear_2"});
    check_writable(named.design);
    // Back to its default name: the references follow.
    Edited cleared = with_layer_renamed(named.design, 0, "");
    REQUIRE(cleared.refused.empty());
    CHECK(layer_names(cleared.design)[0] == "linear_1");
    CHECK(cleared.design.layers[2].inputs == std::vector<std::string>{"linear_1", "linear_2"});
    check_writable(cleared.design);
}

TEST_CASE("editing: a name that is taken or not writable is refused", "[editing]") {
    CHECK_THAT(with_layer_renamed(from_json(kTwoBranches), 0, "linear_2").refused, Catch::Contains("already called"));
    CHECK_THAT(with_layer_renamed(from_json(kTwoBranches), 0, "input").refused, Catch::Contains("model input"));
    CHECK_THAT(with_layer_renamed(from_json(kTwoBranches), 0, "a/b").refused, Catch::Contains("character"));
    CHECK(with_layer_renamed(from_json(kTwoBranches), 0, "linear_1").refused.empty()); // its own name
}

TEST_CASE("editing: a layer cannot be told to read itself", "[editing]") {
    Edited edited = with_layer_inputs(from_json(kTwoBranches), 2, {"linear_1", "add_1"});
    CHECK_THAT(edited.refused, Catch::Contains("cannot read itself"));
    Edited fine = with_layer_inputs(from_json(kTwoBranches), 2, {"linear_2", "linear_2"});
    CHECK(fine.refused.empty());
    check_writable(fine.design);
}

TEST_CASE("editing: renaming a model input renames what reads it", "[editing]") {
    Architecture design = from_text("ns1;image=1x8x8;meta=4/conv2d(2,3,@image)/flatten/concat(@-1,@meta)");
    Edited renamed = with_input_renamed(design, 1, "extra");
    REQUIRE(renamed.refused.empty());
    CHECK(renamed.design.layers[2].inputs == std::vector<std::string>{"flatten_1", "extra"});
    CHECK(analyze(renamed.design).ok());
    CHECK_THAT(with_input_renamed(design, 1, "image").refused, Catch::Contains("already called"));
    check_writable(renamed.design);
}

TEST_CASE("editing: removing a layer others share keeps the shared weights", "[editing]") {
    // enc reads x; its second call reads y with the same weights: 4·3 + 3 = 15 parameters, once.
    Architecture design = from_text("ns1;x=4;y=4/enc=linear(3,@x)/@enc(@y)/add(@-2,@-1)");
    REQUIRE(analyze(design).total_params == 15);
    Architecture removed = with_layer_removed(design, 0);
    const Analysis analysis = analyze(removed);
    CHECK(analysis.total_params == 15); // the second call took over the layer and its weights
    CHECK(removed.layers[0].type == "linear");
    CHECK(removed.layers[0].shares.empty());
    check_writable(removed);
}

TEST_CASE("editing: removing a layer whose weights another ties leaves that layer its own", "[editing]") {
    // wte: 100·16 = 1,600; the tied head's bias 100. Without wte the head has its weight back:
    // 16·100 + 100 = 1,700, and it stays a linear layer.
    Architecture design = from_text("ns1;tokens=8/wte=embedding(@tokens,100,16)/linear(100,shares=@wte)");
    REQUIRE(analyze(design).total_params == 1'700);
    Architecture removed = with_layer_removed(design, 0);
    CHECK(removed.layers[0].type == "linear");
    CHECK(removed.layers[0].shares.empty());
    check_writable(removed);
}

TEST_CASE("editing: another model input gets a name nothing has", "[editing]") {
    // Found by the UI fuzzer: inputs y and input2, y removed, then "+ input" named the new one
    // input2 as well (a name per count of inputs), which no link can say.
    Architecture design = from_text("ns1;input2=4;y=4/linear(3,@input2)");
    design.inputs.erase(design.inputs.begin() + 1);
    Architecture added = with_input_added(design);
    REQUIRE(added.inputs.size() == 2);
    CHECK(added.inputs[1].name == "input3");
    CHECK(added.inputs[1].shape == Shape{4}); // shaped like the last
    check_writable(added);
    // Nor a layer's name.
    CHECK(with_input_added(from_text("ns1;4/input2=linear(3)")).inputs[1].name == "input3");
}

TEST_CASE("editing: a new design is empty and says so in its link", "[editing]") {
    Architecture design = new_design(Convention::keras);
    CHECK(design.layers.empty());
    CHECK(design.inputs.empty());
    CHECK(design.name.empty());
    CHECK(architecture_to_text(design) == "ns1;keras");
    check_writable(design);
    CHECK_FALSE(analyze(design).ok()); // "the architecture has no input", until one is given
}

TEST_CASE("editing: the convention switch moves channel axes", "[editing]") {
    // LeNet-5: 61,706 parameters whichever framework counts them.
    Architecture lenet = from_text("ns1;1x32x32/conv(6,5)+tanh/avgpool(2)/conv(16,5)+tanh/avgpool(2)/flatten/"
                                   "linear(120)+tanh/linear(84)+tanh/linear(10)");
    std::vector<std::string> notes;
    Architecture keras = with_convention(lenet, Convention::keras, &notes);
    CHECK(keras.inputs[0].shape == Shape{32, 32, 1});
    CHECK(notes == std::vector<std::string>{"input 1x32x32 → 32x32x1"});
    CHECK(analyze(keras).total_params == 61706);
    CHECK(with_convention(keras, Convention::pytorch).inputs[0].shape == Shape{1, 32, 32});
    // A 1-D signal read by a convolution is [C, L] ↔ [L, C]; a sequence read by an LSTM is
    // [seq_len, features] under both and stays.
    CHECK(with_convention(from_text("ns1;2x100/conv1d(4,3)"), Convention::keras).inputs[0].shape == Shape{100, 2});
    CHECK(with_convention(from_text("ns1;100x2/lstm(4)"), Convention::keras).inputs[0].shape == Shape{100, 2});
    // An explicit concat axis moves with the channels: axis 0 (channels) of [C, H, W] is Keras's 2.
    Architecture joined = with_convention(from_text("ns1;3x8x8/a=conv2d(4,1)/conv2d(4,1,@-2)/concat(@a,@-1,axis=0)"),
                                          Convention::keras);
    CHECK(std::get<int64_t>(*joined.layers[2].find("axis")) == 2);
    CHECK(analyze(joined).ok());
}

TEST_CASE("editing: a layout hint for an input in the other convention's order", "[editing]") {
    CHECK_THAT(layout_hint({3, 224, 224}, Convention::keras), Catch::Contains("224x224x3"));
    CHECK_THAT(layout_hint({224, 224, 3}, Convention::pytorch), Catch::Contains("3x224x224"));
    CHECK(layout_hint({3, 224, 224}, Convention::pytorch).empty());
    CHECK(layout_hint({28, 28}, Convention::keras).empty());
}

TEST_CASE("editing: the palette takes layers written as link text", "[editing]") {
    std::string error;
    std::vector<LayerSpec> layers = layers_from_text("conv2d(6,5)+relu", error);
    REQUIRE(error.empty());
    REQUIRE(layers.size() == 1);
    CHECK(layers[0].type == "conv2d");
    CHECK(layers[0].activation == "relu");
    CHECK(layers_from_text("2*(linear(64)/relu)", error).size() == 4);
    CHECK(layers_from_text("conv2d(6,5", error).empty());
    CHECK_THAT(error, Catch::Contains("column"));
    // Inserted after layer 0 of 1x28x28/flatten: 784·10 + 10 = 7,850.
    Architecture design = with_layers_inserted(from_text("ns1;1x28x28/flatten"), 1, layers_from_text("linear(10)", error)).design;
    CHECK(analyze(design).total_params == 7850);
    // A name the design already gives is refused, not doubled: found by fuzzing, where a second
    // 'enc' made '@enc' mean another layer.
    const Architecture shared = from_text("ns1;x=4;y=4/enc=linear(@x,3)/@enc(@y)/add(@enc,@-1)");
    Edited twice = with_layers_inserted(shared, 1, layers_from_text("enc=linear(6)", error));
    CHECK(twice.refused == "'enc' already names a layer or input of the design; give the new layer another name");
    CHECK(architecture_to_text(twice.design) == architecture_to_text(shared));
    CHECK_FALSE(with_layers_inserted(shared, 1, layers_from_text("x=relu", error)).refused.empty()); // an input's name
    CHECK(with_layers_inserted(shared, 1, layers_from_text("enc2=linear(6)", error)).refused.empty());
}
