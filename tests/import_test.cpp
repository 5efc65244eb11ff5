// Import from PyTorch's print(model): what a text that is not one gets. That real reprs import to
// designs with PyTorch's counts and shapes is checked against torchvision itself
// (tests/import/check_pytorch_import.py, which prints each model in the test).
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

TEST_CASE("import: nesting deeper than any model is refused, not followed down the stack", "[import]") {
    std::string text;
    for (int depth = 0; depth < 150; ++depth) text += std::string(static_cast<size_t>(depth + 1) * 2, ' ') + "(" + std::to_string(depth) + "): Sequential(\n";
    text = "Net(\n" + text;
    const ImportError error = import_error(text);
    CHECK(error.message.find("nested more than 100 deep") != std::string::npos);
}
