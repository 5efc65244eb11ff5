// The CLI as a person runs it: exit codes, the JSON it prints, standard input and errors.
#include "engine/glossary.h"
#include "engine/text.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

struct Run {
    int exit_code = -1;
    std::string out;
    std::string err;
};

std::string slurp(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

fs::path scratch_dir() {
    fs::path dir = fs::temp_directory_path() / ("netshape_cli_test_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir;
}

// Runs `netshape <arguments>` with `input` on standard input.
Run run_cli(const std::string& arguments, const std::string& input = "") {
    fs::path dir = scratch_dir();
    std::ofstream(dir / "stdin.txt", std::ios::binary) << input;
    std::string command = std::string("'") + NETSHAPE_CLI_PATH + "' " + arguments + " < '" +
                          (dir / "stdin.txt").string() + "' > '" + (dir / "stdout.txt").string() + "' 2> '" +
                          (dir / "stderr.txt").string() + "'";
    int status = std::system(command.c_str());
    Run run;
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = slurp(dir / "stdout.txt");
    run.err = slurp(dir / "stderr.txt");
    return run;
}

std::string write_file(const std::string& name, const std::string& text) {
    fs::path path = scratch_dir() / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
}

const std::string kLasagne = R"({"netshape": 1, "name": "Lasagne MNIST", "input": [1, 28, 28], "layers": [
    {"type": "conv2d", "out_channels": 32, "kernel_size": 5, "activation": "relu"},
    {"type": "maxpool2d", "kernel_size": 2},
    {"type": "conv2d", "out_channels": 32, "kernel_size": 3, "activation": "relu"},
    {"type": "maxpool2d", "kernel_size": 2},
    {"type": "flatten"},
    {"type": "linear", "out_features": 256, "activation": "relu"},
    {"type": "linear", "out_features": 10, "activation": "softmax"}]})";

} // namespace

TEST_CASE("cli: summary --format json prints one object with the seed's totals", "[cli]") {
    Run run = run_cli("summary --format json " + write_file("lasagne.json", kLasagne));
    CHECK(run.exit_code == 0);
    CHECK(run.err.empty());
    json summary = json::parse(run.out);
    CHECK(summary["input_shape"] == json::array({1, 28, 28}));
    REQUIRE(summary["layers"].size() == 7);
    CHECK(summary["layers"][0]["params"] == 832);
    CHECK(summary["layers"][5]["params"] == 205'056);
    CHECK(summary["total_params"] == 217'706);
    CHECK(summary["trainable_params"] == 217'706);
    CHECK(summary["non_trainable_params"] == 0);
}

TEST_CASE("cli: reads standard input with '-' or no file", "[cli]") {
    Run dash = run_cli("summary --format json -", kLasagne);
    CHECK(dash.exit_code == 0);
    CHECK(json::parse(dash.out)["total_params"] == 217'706);
    Run none = run_cli("summary --format=json", kLasagne);
    CHECK(none.exit_code == 0);
    CHECK(json::parse(none.out)["total_params"] == 217'706);
}

TEST_CASE("cli: the table reads like torchinfo's", "[cli]") {
    Run run = run_cli("summary -", kLasagne);
    CHECK(run.exit_code == 0);
    CHECK_THAT(run.out, Catch::Contains("Layer (type)"));
    CHECK_THAT(run.out, Catch::Contains("conv2d_1 (Conv2d) + relu"));
    CHECK_THAT(run.out, Catch::Contains("[32, 24, 24]"));
    CHECK_THAT(run.out, Catch::Contains("205,056"));
    CHECK_THAT(run.out, Catch::Contains("Total params: 217,706"));
    CHECK_THAT(run.out, Catch::Contains("Trainable params: 217,706"));
    CHECK_THAT(run.out, Catch::Contains("Non-trainable params: 0"));
    SECTION("--explain adds the working") {
        Run explained = run_cli("summary --explain -", kLasagne);
        CHECK_THAT(explained.out, Catch::Contains("params = (k_h·k_w·C_in + 1 bias)·C_out\n           = (5·5·1 + 1)·32\n"
                                                  "           = 832\n"));
        CHECK_THAT(explained.out, !Catch::Contains("full formula: "));
        Run full = run_cli("summary --full-formulas -", kLasagne);
        CHECK_THAT(full.out, Catch::Contains("full formula: H_out = ⌊(H_in + 2·p − d·(k − 1) − 1)/s⌋ + 1 = ⌊(28 + 2·0 − "
                                             "1·(5 − 1) − 1)/1⌋ + 1 = 24"));
        CHECK_THAT(explained.out, Catch::Contains("weights: weight [32, 1, 5, 5] + bias [32]"));
    }
    SECTION("markdown") {
        Run markdown = run_cli("summary --format markdown -", kLasagne);
        CHECK(markdown.exit_code == 0);
        CHECK_THAT(markdown.out, Catch::Contains("| 0 | conv2d_1 | Conv2d + relu | [32, 24, 24] | 832 | 832 | 0 |"));
        CHECK_THAT(markdown.out, Catch::Contains("Total params: 217,706"));
    }
}

TEST_CASE("cli: an invalid architecture exits 1 with the message on stderr", "[cli]") {
    const std::string bad = R"({"input": [1, 28, 28], "layers": [
        {"type": "conv2d", "out_channels": 4, "kernal_size": 3}]})";
    Run table = run_cli("summary -", bad);
    CHECK(table.exit_code == 1);
    CHECK_THAT(table.err, Catch::Contains("layers[0] 'conv2d_1' (conv2d): unknown field 'kernal_size'"));
    CHECK_THAT(table.err, Catch::Contains("did you mean 'kernel_size'?"));

    Run as_json = run_cli("summary --format json -", bad);
    CHECK(as_json.exit_code == 1);
    json summary = json::parse(as_json.out);
    REQUIRE(summary.contains("error"));
    CHECK(summary["error"]["layer_index"] == 0);
    CHECK(summary["error"]["field"] == "kernal_size");
    CHECK_THAT(as_json.err, Catch::Contains("kernal_size"));
}

TEST_CASE("cli: malformed JSON exits 1 with file:line:column", "[cli]") {
    std::string path =
        write_file("broken.json", "{\n  \"input\": [1, 28, 28],\n  \"layers\": [\n    {\"type\": \"relu\",}\n  ]\n}\n");
    Run run = run_cli("summary --format json " + path);
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.err, Catch::Contains(path + ":4:21: malformed JSON at line 4, column 21"));
    json error = json::parse(run.out);
    CHECK(error["error"]["line"] == 4);
    CHECK(error["error"]["column"] == 21);
}

TEST_CASE("cli: usage errors exit 2", "[cli]") {
    CHECK(run_cli("").exit_code == 2);
    CHECK(run_cli("frobnicate").exit_code == 2);
    CHECK(run_cli("summary --format yaml -", kLasagne).exit_code == 2);
    CHECK(run_cli("summary --verbose -", kLasagne).exit_code == 2);
    CHECK(run_cli("summary a.json b.json").exit_code == 2);
    Run missing = run_cli("summary /nonexistent/netshape.json");
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Catch::Contains("cannot read '/nonexistent/netshape.json'"));
    CHECK(run_cli("layers no_such_layer").exit_code == 2);
}

TEST_CASE("cli: --help, --version and the layer catalog", "[cli]") {
    Run help = run_cli("--help");
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::Contains("netshape summary [--format table|json|markdown]"));
    CHECK_THAT(help.out, Catch::Contains("Exit status"));
    CHECK(run_cli("summary --help").exit_code == 0);
    CHECK(run_cli("--version").exit_code == 0);
    Run layers = run_cli("layers");
    CHECK(layers.exit_code == 0);
    CHECK_THAT(layers.out, Catch::Contains("conv2d"));
    CHECK_THAT(layers.out, Catch::Contains("kernel_size"));
    Run one = run_cli("layers batchnorm2d");
    CHECK(one.exit_code == 0);
    CHECK_THAT(one.out, Catch::Contains("track_running_stats"));
}

TEST_CASE("cli: convert between JSON and link text, summary reads either", "[cli]") {
    Run to_text = run_cli("convert --to text -", kLasagne);
    CHECK(to_text.exit_code == 0);
    CHECK(to_text.out == "ns1;'Lasagne~MNIST';1x28x28/conv2d(32,5)+relu/maxpool2d(2)/conv2d(32,3)+relu/maxpool2d(2)/"
                         "flatten/linear(256)+relu/linear(10)+softmax\n");
    Run to_json = run_cli("convert --to json -", to_text.out);
    CHECK(to_json.exit_code == 0);
    CHECK(json::parse(to_json.out)["layers"].size() == 7);
    Run summary = run_cli("summary --format json -", to_text.out);
    CHECK(summary.exit_code == 0);
    CHECK(json::parse(summary.out)["total_params"] == 217'706);
    CHECK(run_cli("convert -", kLasagne).exit_code == 2); // --to is required
}

TEST_CASE("cli: diagram's options, and an invalid design drawn with its error", "[cli]") {
    Run svg = run_cli("diagram -", kLasagne);
    CHECK(svg.exit_code == 0);
    CHECK(svg.out.rfind("<?xml", 0) == 0);
    Run dot = run_cli("diagram --format=dot -", kLasagne);
    CHECK(dot.exit_code == 0);
    CHECK(dot.out.rfind("digraph \"Lasagne MNIST\" {", 0) == 0);
    Run png = run_cli("diagram --format png -", kLasagne);
    CHECK(png.exit_code == 2);
    CHECK_THAT(png.err, Catch::Contains("unknown format 'png'; use svg or dot"));
    CHECK(run_cli("diagram --theme sepia -", kLasagne).exit_code == 2);
    CHECK(run_cli("diagram --style -", kLasagne).exit_code == 2);
    CHECK(run_cli("diagram --style cubes -", kLasagne).exit_code == 2);
    Run blocks_dot = run_cli("diagram --style blocks --format dot -", kLasagne);
    CHECK(blocks_dot.exit_code == 2);
    CHECK_THAT(blocks_dot.err, Catch::Contains("--format dot is for the graph style; --style blocks writes SVG"));
    CHECK(run_cli("diagram --style=blocks -", kLasagne).exit_code == 0);
    // A multilayer perceptron has no feature maps to draw as blocks: the graph, and the reason.
    Run perceptron = run_cli("diagram --style blocks -", "ns1;784/linear(100)+relu/linear(10)");
    CHECK(perceptron.exit_code == 0);
    CHECK_THAT(perceptron.out, Catch::Contains("linear_2"));
    CHECK_THAT(perceptron.err, Catch::Contains("<stdin>: not as blocks: "));
    CHECK_THAT(perceptron.err, Catch::Contains("; drawn as a graph"));
    // linear on a [1, 28, 28] image without flatten is fine; a conv2d on a vector is not: the
    // picture is drawn, the bad layer marked, and the error on standard error with exit status 1.
    Run invalid = run_cli("diagram -", "ns1;10/conv2d(4,3)/relu");
    CHECK(invalid.exit_code == 1);
    CHECK_THAT(invalid.out, Catch::Contains("not reached"));
    CHECK_THAT(invalid.err, Catch::Contains("layers[0] 'conv2d_1' (conv2d)"));
}

TEST_CASE("cli: a link text error shows the caret", "[cli]") {
    Run run = run_cli("summary -", "ns1;1x28x28/conv2(32,5)");
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.err, Catch::Contains("link text, column 13: unknown layer type 'conv2'; did you mean 'conv2d'?\n"
                                        "ns1;1x28x28/conv2(32,5)\n            ^"));
}

TEST_CASE("cli: the memory estimate follows --batch-size, --optimizer and --dtype", "[cli]") {
    // seed 000: 217,706 parameters, 28,890 activation values per sample (memory_receptive_test
    // derives them); fp16, SGD, batch 32: 2·217,706·2 + 32·28,890·2 bytes
    Run run = run_cli("summary --format json --batch-size 32 --optimizer sgd --dtype fp16 -", kLasagne);
    CHECK(run.exit_code == 0);
    json memory = json::parse(run.out)["memory"];
    CHECK(memory["batch_size"] == 32);
    CHECK(memory["training_bytes"] == 2 * 217'706 * 2 + 32 * 28'890 * 2);
    CHECK(run_cli("summary --batch-size 0 -", kLasagne).exit_code == 2);
    CHECK(run_cli("summary --dtype fp64 -", kLasagne).exit_code == 2);
    CHECK(run_cli("summary --optimizer rmsprop -", kLasagne).exit_code == 2);
}

TEST_CASE("cli: hostile input is refused with a clear message, never an abort", "[cli][hostile]") {
    SECTION("a directory is a usage error naming it (it used to abort with exit 134)") {
        Run run = run_cli("summary '" + scratch_dir().string() + "'");
        CHECK(run.exit_code == 2);
        CHECK_THAT(run.err, Catch::Contains(scratch_dir().string() + "' is a directory"));
    }
    SECTION("an endless stream is read only up to the 16 MiB limit") {
        Run run = run_cli("summary /dev/zero");
        CHECK(run.exit_code == 1);
        CHECK_THAT(run.err, Catch::Contains("/dev/zero: the input has more than 16,777,216 bytes"));
    }
    SECTION("escape sequences in a title or a type never reach the terminal") {
        // ESC [ 2 J clears a screen; BEL rings; \x9B is the one-byte CSI.
        Run run = run_cli("summary -",
                          "{\"name\": \"a\\u001b[2Jb\\u0007\", \"input\": [4], \"layers\": [{\"type\": \"x\\u009b1m\"}]}");
        CHECK(run.exit_code == 1);
        CHECK(run.out.find('\x1B') == std::string::npos);
        CHECK(run.out.find('\x07') == std::string::npos);
        CHECK_THAT(run.out, Catch::Contains("a\\x1B[2Jb\\x07"));
        CHECK_THAT(run.err, Catch::Contains("unknown layer type 'x\\x9B1m'"));
        CHECK(run.err.find("\xC2\x9B") == std::string::npos);
    }
    SECTION("Markdown escapes HTML and line breaks in the title") {
        Run run = run_cli("summary --format markdown -", R"({"name": "<b>bold</b>\nnext", "input": [4], "layers": []})");
        CHECK(run.exit_code == 0);
        CHECK_THAT(run.out, Catch::StartsWith("**&lt;b&gt;bold&lt;/b&gt;<br>next — "));
    }
}

TEST_CASE("cli: check marks a hand-made table's wrong cells and exits 1", "[cli]") {
    // kLasagne's layers are unnamed (conv2d_1, maxpool2d_1, …): the rows match in order. conv2d_2's
    // (3·3·32 + 1)·32 = 9,248 written without its 32 biases: 9,216.
    const std::string design = write_file("check_design.json", kLasagne);
    const std::string table = write_file("check_table.txt", "layer  shape  params\n"
                                                            "conv1  32x24x24  832\n"
                                                            "pool1  32x12x12  0\n"
                                                            "conv2  32x10x10  9216\n");
    Run wrong = run_cli("check " + design + " " + table);
    CHECK(wrong.exit_code == 1);
    CHECK(wrong.out.find("WRONG  params 9216: it is 9,248 — bias left out") != std::string::npos);
    CHECK(wrong.out.find("1 of 6 cells wrong") != std::string::npos);
    // The table from standard input; all right: exit 0.
    Run right = run_cli("check " + design + " -", "conv1 -> 32x24x24  (5*5*1+1)*32 = 832\n");
    CHECK(right.exit_code == 0);
    CHECK(right.out.find("0 of 2 cells wrong") != std::string::npos);
    // Usage: two files.
    CHECK(run_cli("check " + design).exit_code == 2);
    CHECK(run_cli("check - -").exit_code == 2);
}

TEST_CASE("cli: glossary prints every entry, wrapped, with every word of its text", "[cli]") {
    const Run run = run_cli("glossary");
    CHECK(run.exit_code == 0);
    std::string words; // the output's words in order, the wrapping and indentation undone
    std::istringstream out(run.out);
    for (std::string word; out >> word;) words += word + " ";
    std::string expected;
    for (const netshape::GlossaryEntry& entry : netshape::glossary()) {
        std::istringstream text(std::string(entry.term) + " " + std::string(entry.text));
        for (std::string word; text >> word;) expected += word + " ";
    }
    CHECK(words == expected);
    std::istringstream lines(run.out);
    for (std::string line; std::getline(lines, line);) CHECK(netshape::display_width(line) <= 96);
    CHECK(run_cli("glossary extra").exit_code == 2);
}

TEST_CASE("cli: export writes PyTorch code, CSV and LaTeX, and refuses what it cannot write", "[cli]") {
    const std::string design = write_file("export.json", kLasagne);
    const Run pytorch = run_cli("export --to pytorch '" + design + "'");
    CHECK(pytorch.exit_code == 0);
    CHECK(pytorch.out.find("class LasagneMNIST(nn.Module):") != std::string::npos);
    CHECK(pytorch.out.find("nn.Linear(800, 256)") != std::string::npos); // 32·5·5 features (seed 000)
    const Run csv = run_cli("export --to csv -", kLasagne);
    CHECK(csv.exit_code == 0);
    CHECK(csv.out.find("conv2d_2,conv2d,maxpool2d_1,\"[32, 10, 10]\",9248,9248,0,") != std::string::npos);
    const Run keras = run_cli("export --to pytorch -", "ns1;keras;28x28x1/conv2d(8,3)");
    CHECK(keras.exit_code == 1);
    CHECK(keras.err.find("Keras's conventions") != std::string::npos);
    const Run unknown = run_cli("export --to onnx -", kLasagne);
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("unknown export format 'onnx'; use pytorch, keras, keras-json, csv or latex") != std::string::npos);
}

TEST_CASE("cli: import --from keras-code reads Keras code, and places what it cannot read", "[cli]") {
    const Run read = run_cli("import --from keras-code -",
                             "model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3, activation='relu')])\n");
    CHECK(read.exit_code == 0);
    CHECK(read.out == "ns1;keras;4/dense=linear(3)+relu\n"); // Keras names the first Dense "dense"
    const Run unknown = run_cli("import --from keras-code -", "model = keras.Sequential([\n    layers.Dens(3)])\n");
    CHECK(unknown.exit_code == 1);
    CHECK(unknown.err == "netshape: <stdin>: line 2, column 5: netshape does not know the Keras layer 'Dens'; did you mean 'Dense'?\n");
    const Run format = run_cli("import --from keras -", "");
    CHECK(format.exit_code == 2);
    CHECK(format.err.find("use pytorch-print, pytorch-code, keras-json or keras-code") != std::string::npos);
}

TEST_CASE("cli: import --heads is a whole number, for print(model) only", "[cli]") {
    const std::string repr = "Net(\n  (attn): MultiheadAttention(\n    (out_proj): NonDynamicallyQuantizableLinear(in_features=8, "
                             "out_features=8, bias=True)\n  )\n)\n";
    const Run read = run_cli("import --from pytorch-print --input 5x8 --heads 2 -", repr);
    CHECK(read.exit_code == 0);
    CHECK(read.out.find("multihead_attention(2") != std::string::npos);
    const Run zero = run_cli("import --from pytorch-print --input 5x8 --heads 0 -", repr);
    CHECK(zero.exit_code == 2);
    CHECK(zero.err.find("--heads '0' is not a number of heads") != std::string::npos);
    CHECK(run_cli("import --from keras-json --heads 2 -", "{}").exit_code == 2);
}
