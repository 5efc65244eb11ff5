// The import and export tools' one call (engine/tool_request.h), which the web app makes across
// two WebAssembly modules: what is asked arrives whole, what cannot be read is refused with a
// reason, and an import or export through it is the importer's or exporter's own.
#include "engine/analysis.h"
#include "engine/export_pytorch.h"
#include "engine/json_format.h"
#include "engine/link_text.h"
#include "engine/tool_request.h"

#include "support.h"

#include <catch2/catch.hpp>

using namespace netshape;

namespace {

// LeNet-5 as PyTorch's print(model) writes it.
const char* kLeNetPrint = "LeNet(\n"
                          "  (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))\n"
                          "  (pool1): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)\n"
                          "  (conv2): Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))\n"
                          "  (pool2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)\n"
                          "  (flatten): Flatten(start_dim=1, end_dim=-1)\n"
                          "  (fc1): Linear(in_features=400, out_features=120, bias=True)\n"
                          "  (fc2): Linear(in_features=120, out_features=84, bias=True)\n"
                          "  (fc3): Linear(in_features=84, out_features=10, bias=True)\n"
                          ")\n";

} // namespace

TEST_CASE("A tools request arrives whole: any text, newlines, colons and digits included", "[tools]") {
    ToolRequest request;
    request.verb = ToolVerb::import_model;
    request.text = "12:34\n5:x\n\n:";
    request.design = "ns1;3x8x8/conv2d(4,3)";
    request.input_shape = {3, 224, 224};
    request.attention_heads = 12;
    const std::optional<ToolRequest> decoded = decode_tool_request(encode_tool_request(request));
    REQUIRE(decoded);
    CHECK(decoded->verb == request.verb);
    CHECK(decoded->text == request.text);
    CHECK(decoded->design == request.design);
    CHECK(decoded->input_shape == request.input_shape);
    CHECK(decoded->attention_heads == 12);

    const ToolReply reply{true, "ns1;4/linear(2)", "", {"a: first", "second\nline"}};
    const ToolReply back = decode_tool_reply(encode_tool_reply(reply));
    CHECK(back.ok);
    CHECK(back.design == reply.design);
    CHECK(back.warnings == reply.warnings);
}

TEST_CASE("What the tools cannot read is refused with a reason, never misread", "[tools]") {
    ToolRequest request;
    request.verb = ToolVerb::pytorch_code;
    request.design = "ns1;4/linear(2)";
    const std::string whole = encode_tool_request(request);
    // Every shorter prefix (a request cut short), a stranger's text, another version's format.
    for (size_t length = 0; length < whole.size(); ++length) {
        INFO(length);
        CHECK_FALSE(decode_tool_request(whole.substr(0, length)));
    }
    for (const char* stranger : {"", "hello", "99999999999999999999:x", "16:netshape-tools-1", "-1:"}) {
        INFO(stranger);
        CHECK_FALSE(decode_tool_request(stranger));
        const ToolReply reply = decode_tool_reply(run_tool_request(stranger));
        CHECK_FALSE(reply.ok);
        CHECK(reply.output.find("in a form they do not read") != std::string::npos);
        CHECK_FALSE(decode_tool_reply(stranger).ok);
    }
    CHECK(decode_tool_reply("hello").output.find("in a form this page does not read") != std::string::npos);
}

TEST_CASE("An import through the tools gives the importer's design, as link text", "[tools][import]") {
    ToolRequest request;
    request.verb = ToolVerb::import_model;
    request.text = kLeNetPrint;
    request.input_shape = {1, 28, 28};
    const ToolReply reply = decode_tool_reply(run_tool_request(encode_tool_request(request)));
    REQUIRE(reply.ok);
    const TextReadResult read = read_architecture_text(reply.design);
    REQUIRE_FALSE(read.error);
    const Analysis analysis = analyze(read.architecture);
    REQUIRE(analysis.ok());
    // LeNet-5 on 1×28×28 (padding 2 keeps 28): conv1 6·(25+1) = 156, conv2 16·(6·25+1) = 2,416,
    // fc1 400·120+120 = 48,120, fc2 120·84+84 = 10,164, fc3 84·10+10 = 850: 61,706 in all.
    CHECK(analysis.total_params == 61706);
    CHECK(read.architecture.layers.size() == 8);

    // An error keeps its place in the pasted text.
    request.text = "Net(\n  (conv): Conv2D(3, 8, kernel_size=(3, 3))\n)\n";
    const ToolReply refused = decode_tool_reply(run_tool_request(encode_tool_request(request)));
    CHECK_FALSE(refused.ok);
    CHECK(refused.output == "line 2, column 11: netshape does not know the module 'Conv2D'; did you mean 'Conv2d'?");
}

TEST_CASE("An export through the tools is the exporter's own code, and a refusal carries its reason", "[tools][export]") {
    const std::string seed000 = "ns1;1x28x28/conv2d(32,5)+relu/maxpool2d(2)/conv2d(32,3)+relu/maxpool2d(2)/flatten/"
                                "linear(256)+relu/linear(10)+softmax";
    ToolRequest request;
    request.verb = ToolVerb::pytorch_code;
    request.design = seed000;
    const ToolReply reply = decode_tool_reply(run_tool_request(encode_tool_request(request)));
    REQUIRE(reply.ok);
    const TextReadResult read = read_architecture_text(seed000);
    CHECK(reply.output == export_pytorch(read.architecture, analyze(read.architecture)).code);

    // PyTorch code of a design in Keras's conventions is refused (export_pytorch.h), and says so.
    request.design = "ns1;keras;28x28x1/conv2d(8,3)";
    const ToolReply refused = decode_tool_reply(run_tool_request(encode_tool_request(request)));
    CHECK_FALSE(refused.ok);
    CHECK_FALSE(refused.output.empty());
    request.design = "ns1;not a design";
    CHECK(decode_tool_reply(run_tool_request(encode_tool_request(request))).output.starts_with("the design does not read: "));
}

// The page's setText given JSON: its first module has no JSON reader, so the tools read it.
TEST_CASE("JSON read through the tools comes back as the same design, or as the reader's error with its place", "[tools][json]") {
    ToolRequest request;
    request.verb = ToolVerb::read_design;
    request.text = netshape::testing::kSeed000Json;
    const ToolReply reply = decode_tool_reply(run_tool_request(encode_tool_request(request)));
    REQUIRE(reply.ok);
    const TextReadResult read = read_architecture_text(reply.design);
    REQUIRE_FALSE(read.error);
    CHECK(architecture_to_json(read.architecture) == architecture_to_json(read_architecture_json(request.text).architecture));
    // Seed 000, "exactly what Lasagne reports": (5·5·1+1)·32 = 832, (3·3·32+1)·32 = 9,248,
    // (32·5·5+1)·256 = 205,056, (256+1)·10 = 2,570: 217,706.
    CHECK(analyze(read.architecture).total_params == 217'706);

    // Malformed JSON: the comma missing after "conv2d" on the third line. A value of the wrong
    // kind: "input" is a string. Each refusal is the reader's own error, place included.
    for (const char* text : {"{\"input\": [10],\n \"layers\": [\n  {\"type\": \"conv2d\" \"out_channels\": 4}]}",
                             R"({"input": "ten", "layers": []})"}) {
        CAPTURE(text);
        request.text = text;
        const ToolReply refused = decode_tool_reply(run_tool_request(encode_tool_request(request)));
        const ReadResult direct = read_architecture_json(text);
        REQUIRE(direct.error);
        CHECK_FALSE(refused.ok);
        CHECK(refused.output == direct.error->message);
        CHECK(refused.where == direct.error->where);
        CHECK(refused.line == direct.error->line);
        CHECK(refused.column == direct.error->column);
    }
    CHECK(decode_tool_reply(run_tool_request(encode_tool_request(request))).where == "input");
    request.text = "{\"input\": [10],\n \"layers\": [\n  {\"type\": \"conv2d\" \"out_channels\": 4}]}";
    CHECK(decode_tool_reply(run_tool_request(encode_tool_request(request))).line == 3);
}

// Share > Download design writes netshape's JSON; Edit > Import a model takes it back as it was,
// and a Keras model's JSON (Keras's "class_name" at the top) still goes to the Keras importer.
TEST_CASE("A design saved as netshape's JSON imports as it was saved, and Keras's JSON stays Keras's", "[tools][import][json]") {
    ToolRequest request;
    request.verb = ToolVerb::import_model;
    request.text = netshape::testing::kSeed000Json;
    const ToolReply reply = decode_tool_reply(run_tool_request(encode_tool_request(request)));
    REQUIRE(reply.ok);
    const TextReadResult read = read_architecture_text(reply.design);
    REQUIRE_FALSE(read.error);
    CHECK(architecture_to_json(read.architecture) == architecture_to_json(read_architecture_json(request.text).architecture));
    CHECK(analyze(read.architecture).total_params == 217'706); // seed 000, as derived above

    // A layer named "class_name" is a value, not Keras's key at the top: still netshape's JSON.
    // Linear(3) on 4 features: 4·3 + 3 = 15.
    request.text = R"({"input": [4], "layers": [{"type": "linear", "out_features": 3, "name": "class_name"}]})";
    const ToolReply named = decode_tool_reply(run_tool_request(encode_tool_request(request)));
    REQUIRE(named.ok);
    CHECK(analyze(read_architecture_text(named.design).architecture).total_params == 15);

    // netshape's JSON that does not read: the reader's error, saying which format it was read as.
    request.text = R"({"input": "ten", "layers": []})";
    const ToolReply refused = decode_tool_reply(run_tool_request(encode_tool_request(request)));
    CHECK_FALSE(refused.ok);
    CHECK(refused.output == "netshape's JSON: " + read_architecture_json(request.text).error->message);

    // Keras's to_json() of a Dense(3) on 4 features: the Keras importer, Keras's convention, 15.
    request.text = R"({"class_name": "Sequential", "config": {"name": "tiny", "layers": [
        {"class_name": "Dense", "config": {"name": "d", "units": 3, "batch_input_shape": [null, 4]}}]}})";
    const ToolReply keras = decode_tool_reply(run_tool_request(encode_tool_request(request)));
    REQUIRE(keras.ok);
    const TextReadResult keras_design = read_architecture_text(keras.design);
    CHECK(keras_design.architecture.convention == Convention::keras);
    CHECK(analyze(keras_design.architecture).total_params == 15);
}
