// Import from PyTorch's print(model): what a text that is not one gets. That real reprs import to
// designs with PyTorch's counts and shapes is checked against torchvision itself
// (tests/import/check_pytorch_import.py, which prints each model in the test).
#include "engine/analysis.h"
#include "engine/import_pytorch.h"

#include <catch2/catch.hpp>

#include <string>

using namespace netshape;

namespace {

ImportError import_error(std::string_view text) {
    const ImportResult result = import_pytorch_print(text, {3, 32, 32});
    REQUIRE(result.error.has_value());
    return *result.error;
}

} // namespace

TEST_CASE("import: an unknown module is placed and the nearest known one named", "[import]") {
    const ImportError error = import_error("Net(\n  (conv): Conv2D(3, 8, kernel_size=(3, 3))\n)\n");
    CHECK(error.line == 2);
    CHECK(error.column == 11); // after "  (conv): "
    CHECK(error.message == "line 2, column 11: netshape does not know the module 'Conv2D'; did you mean 'Conv2d'?");
}

TEST_CASE("import: a container that is never closed, and text after the model", "[import]") {
    CHECK(import_error("Net(\n  (fc): Linear(in_features=4, out_features=2, bias=True)\n").message ==
          "line 1, column 1: Net( is never closed");
    const ImportError after = import_error("Net(\n)\nprint(model)\n");
    CHECK(after.line == 3);
    CHECK(after.message == "line 3, column 1: text after the model's closing parenthesis");
}

TEST_CASE("import: a text that is not a repr says what was expected", "[import]") {
    CHECK(import_error("").message == "line 1, column 1: no module: paste what print(model) prints, such as ResNet( … )");
    CHECK(import_error("x = 3\n").message.starts_with("line 1, column 1: expected a module such as Conv2d(…)"));
    CHECK(import_error("Net(\n  (c): Conv2d(3, 8, kernel_size=(x, 3))\n)").message ==
          "line 2, column 8: Conv2d: 'x' in (x, 3) is not a whole number netshape can use");
}

TEST_CASE("import: attention asks to be written in netshape, as the repr has no head count", "[import]") {
    const ImportError error =
        import_error("Net(\n  (attn): MultiheadAttention(\n    (out_proj): NonDynamicallyQuantizableLinear(in_features=8, "
                     "out_features=8, bias=True)\n  )\n)\n");
    CHECK(error.line == 2);
    CHECK(error.message.find("does not show the number of heads") != std::string::npos);
}

TEST_CASE("import: attention with its heads given imports, its width checked against out_proj", "[import]") {
    const char* repr = "Net(\n  (attn): MultiheadAttention(\n    (out_proj): NonDynamicallyQuantizableLinear(in_features=8, "
                       "out_features=8, bias=True)\n  )\n)\n";
    const ImportResult result = import_pytorch_print(repr, {5, 8}, 2);
    REQUIRE_FALSE(result.error.has_value());
    const Analysis analysis = analyze(result.architecture);
    REQUIRE(analysis.ok());
    // nn.MultiheadAttention: in_proj 3·E·E + 3·E, out_proj E·E + E: 4·64 + 4·8 = 288 for E = 8.
    CHECK(analysis.total_params == 288);
    CHECK(result.warnings.size() == 1);
    // A width that is not the sequence's is the analysis's error, not a silent change.
    CHECK_FALSE(analyze(import_pytorch_print(repr, {5, 6}, 2).architecture).ok());
}

TEST_CASE("import: nesting deeper than any model is refused, not followed down the stack", "[import]") {
    std::string text;
    for (int depth = 0; depth < 150; ++depth) text += std::string(static_cast<size_t>(depth + 1) * 2, ' ') + "(" + std::to_string(depth) + "): Sequential(\n";
    text = "Net(\n" + text;
    const ImportError error = import_error(text);
    CHECK(error.message.find("nested more than 100 deep") != std::string::npos);
}

// ---- Keras JSON ----

#include "engine/import_keras.h"

namespace {

ImportError keras_error(std::string_view text) {
    const ImportResult result = import_keras_json(text);
    REQUIRE(result.error.has_value());
    return *result.error;
}

} // namespace

TEST_CASE("import keras: malformed JSON is placed by line and column", "[import]") {
    const ImportError error = keras_error("{\"class_name\": \"Sequential\",\n \"config\": {\"layers\": [}\n}");
    CHECK(error.line == 2);
    CHECK(error.message.starts_with("line 2, column 24: not JSON"));
}

TEST_CASE("import keras: an unknown layer class names the layer and the nearest class", "[import]") {
    const ImportError error = keras_error(R"({"class_name": "Sequential", "config": {"name": "m", "layers": [
        {"class_name": "Conv2d", "config": {"name": "c", "filters": 4, "kernel_size": [3, 3],
                                            "batch_input_shape": [null, 8, 8, 1]}}]}})");
    CHECK(error.message == "layers[0]: netshape does not know the Keras layer 'Conv2d'; did you mean 'Conv2D'?");
}

TEST_CASE("import keras: settings netshape cannot follow are refused with the reason", "[import]") {
    CHECK(keras_error(R"({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "Conv2D", "config": {"filters": 4, "kernel_size": 3, "data_format": "channels_first",
                                            "batch_input_shape": [null, 1, 8, 8]}}]}})")
              .message == "layers[0] (Conv2D): data_format \"channels_first\": netshape's Keras convention is channels last");
    CHECK(keras_error(R"({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "Dense", "config": {"units": 4}}]}})")
              .message == "the model has no input shape (built without one): give one sample's shape");
    CHECK(keras_error(R"({"class_name": "Model", "config": {"layers": [
        {"name": "x", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 4]}, "inbound_nodes": []},
        {"name": "d", "class_name": "Dense", "config": {"units": 2}, "inbound_nodes": [[["y", 0, 0, {}]]]}]}})")
              .message == "layers[1] 'd': reads 'y', which no layer of the model defines");
}

TEST_CASE("import keras: a Sequential without an input shape takes the one given", "[import]") {
    const ImportResult result = import_keras_json(R"({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "Dense", "config": {"units": 4, "activation": "relu", "use_bias": true}}]}})",
                                                  {10});
    REQUIRE_FALSE(result.error.has_value());
    const Analysis analysis = analyze(result.architecture);
    REQUIRE(analysis.ok());
    CHECK(analysis.total_params == 10 * 4 + 4); // Dense: a 10×4 kernel and 4 biases
    CHECK(result.architecture.layers[0].activation == "relu");
}

// ---- nn.Sequential code ----

TEST_CASE("import code: sizes computed by code are read as arithmetic, names are refused", "[import]") {
    const ImportResult read = import_pytorch_code("model = nn.Sequential(nn.Flatten(), nn.Linear(2 * (3 + 1), 8 // 2))", {2, 4});
    REQUIRE_FALSE(read.error.has_value());
    REQUIRE(read.architecture.layers.size() == 2);
    // in_features = 2·(3 + 1) = 8, the flattened 2×4; out_features = 8 // 2 = 4.
    CHECK(read.architecture.layers[1].fields ==
          std::vector<std::pair<std::string, FieldValue>>{{"in_features", int64_t{8}}, {"out_features", int64_t{4}}});
    const ImportResult named = import_pytorch_code("hidden = 64\nmodel = nn.Sequential(\n    nn.Linear(10, hidden))", {10});
    REQUIRE(named.error.has_value());
    CHECK(named.error->message == "line 3, column 5: Linear: out_features is 'hidden', not a number; netshape reads the "
                                  "code, it does not run it: write the number");
}

TEST_CASE("import code: code without a Sequential, and a call never closed", "[import]") {
    const ImportResult none = import_pytorch_code("x = nn.Linear(3, 4)\n", {3});
    REQUIRE(none.error.has_value());
    CHECK(none.error->message.starts_with("line 1, column 1: no nn.Sequential( in the code"));
    const ImportResult open = import_pytorch_code("m = torch.nn.Sequential(\n  nn.Linear(3, 4),\n  nn.ReLU(\n", {3});
    REQUIRE(open.error.has_value());
    CHECK(open.error->message == "line 3, column 3: ReLU( is never closed");
}
