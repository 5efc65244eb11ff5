// netshape — the command-line tool on the engine.
//
//   netshape summary [--format table|json|markdown] [--explain] [FILE | -]
//   netshape convert --to text|json [FILE | -]
//   netshape layers [TYPE]
//   netshape check DESIGN TABLE
//   netshape glossary
//   netshape diagram [--format svg|dot] [--style graph|blocks] [--theme auto|light|dark] [--expand] [FILE | -]
//
// Exit status: 0 success, 1 invalid architecture, 2 usage error (bad options, unreadable file).
// Text from the input reaches the terminal only through terminal_text: a stranger's file cannot
// send escape sequences.
#include "../engine/analysis.h"
#include "../engine/catalog.h"
#include "../engine/export_keras.h"
#include "../engine/export_pytorch.h"
#include "../engine/export_table.h"
#include "../engine/answers.h"
#include "../engine/diagram_export.h"
#include "../engine/glossary.h"
#include "../engine/import_keras.h"
#include "../engine/import_keras_code.h"
#include "../engine/import_pytorch.h"
#include "../engine/json_format.h"
#include "../engine/limits.h"
#include "../engine/link_text.h"
#include "../engine/memory.h"
#include "../engine/report.h"
#include "../engine/table_check.h"
#include "../engine/text.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using namespace netshape;

constexpr int kExitOk = 0;
constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 2;

constexpr const char* kVersion = "netshape 0.1.0 (architecture format version 1)";

constexpr const char* kHelp = R"(netshape — shapes and parameter counts of neural networks, with the working shown.

Usage:
  netshape summary [--format table|json|markdown] [--explain] [--full-formulas]
                   [--batch-size N] [--optimizer sgd|momentum|adam] [--dtype fp32|fp16|bf16|int8]
                   [FILE | -]
  netshape convert --to text|json [FILE | -]
  netshape import --from pytorch-print|pytorch-code|keras-json|keras-code [--input SHAPE]
                  [--heads N] [--to text|json]
                  [FILE | -]
  netshape export --to pytorch|keras|keras-json|csv|latex [FILE | -]
  netshape layers [TYPE]
  netshape check DESIGN TABLE
  netshape glossary
  netshape diagram [--format svg|dot] [--style graph|blocks] [--theme auto|light|dark] [--expand] [FILE | -]
  netshape --help | --version

Commands:
  summary   Reads an architecture (JSON or link text) from FILE, or from standard input when
            FILE is '-' or absent, and prints every layer's output shape and parameter count,
            then the totals.
              --format table     a torchinfo-like table (the default)
              --format json      one JSON object: input_shape, layers (one entry per layer, with
                                 output_shape, params, trainable_params, non_trainable_params,
                                 macs, weights and explain), total_params, trainable_params,
                                 non_trainable_params, total_macs; on error also "error"
              --format markdown  a Markdown table, for course notes and issues
              --explain          (table, markdown) the weight shapes and the working under
                                 every layer: each formula in named symbols, with the values,
                                 the result, and where each value comes from; terms at their
                                 defaults (padding 0, stride 1, dilation 1) left out
              --full-formulas    --explain with each formula also written in full
              --batch-size, --optimizer, --dtype
                                 the training-memory estimate's batch (1), optimizer (adam)
                                 and number format (fp32)
  convert   Converts an architecture between JSON and the link text (the form used in links).
  import    Reads what PyTorch's print(model) prints into a design (link text, or JSON with --to
            json), given one sample's shape (--input 3x224x224). Layers are named by their
            module paths. Sequentials keep their order; torchvision's blocks (BasicBlock,
            Bottleneck, InvertedResidual, MBConv, SqueezeExcitation, Fire, DenseNet's blocks)
            get their skip connections and joins; a custom module's children are taken in the
            order defined, and what forward() does without a module (a flatten before a
            Linear) is filled in where the next module shows it: warnings on standard error
            say each such guess. --heads N gives the heads of every MultiheadAttention, which
            print(model) does not show (torchvision's vit_b_16: --heads 12); ViT's
            VisionTransformer and EncoderBlock then import with their class token and
            position embedding.
            --from pytorch-code reads the first nn.Sequential(…) in Python code (nested
            Sequentials, OrderedDict and ModuleList children, comments, trailing commas).
            --from keras-json reads Keras's model.to_json() (or TensorFlow.js's toJSON()):
            Sequential and functional models, several inputs and outputs, layers called more
            than once (later calls share the weights); --input only for a model built without
            an input shape.
            --from keras-code reads Keras code: keras.Sequential([...]) or model.add(...), or
            the functional style (x = layers.Dense(10)(x), keras.Model(inputs, outputs)),
            with keras.Input(shape=...) or input_shape=; arguments by position or name as
            Keras's signatures take them. The code is read, not run: --input only for a
            Sequential given no input shape.
  export    Writes the design for other tools:
              --to pytorch  a PyTorch nn.Module (Python) that builds the same model: __init__
                            with in_channels and in_features filled in, forward() with one
                            variable per layer, example_inputs(); runs as it is (PyTorch 1.13+)
              --to keras    (a design in Keras's conventions) Keras functional code:
                            keras.Input, one layers.X(...) call per layer, keras.Model
              --to keras-json  the model as Keras's model.to_json() writes it, which
                            keras.models.model_from_json and tf.models.modelFromJSON build
              --to csv      the summary, one row per layer
              --to latex    the summary as a booktabs table
            Exit status 1 when the design has an error or cannot be written in that form.
  layers    Lists the layer types and their fields, or one TYPE in detail.
  check     Checks a table made by hand against the design in DESIGN (JSON or link text):
            every output shape, activation size and parameter count in TABLE ('-': standard
            input), each wrong one with the right value and the slip that most likely gave it.
            TABLE may be tab- or space-aligned columns (with a header naming them, or none),
            Markdown, CSV, or lines such as "conv1 (28-5+1)=24 -> 6x24x24  (5*5*1+1)*6 = 156";
            rows are matched to layers by name, else in order. Exit status 1 when a cell is
            wrong or unreadable.
  glossary  What the summary's columns and totals mean (parameters, buffers, MACs, ...), true
            for both conventions: the app's Help > Glossary.
  diagram   Draws the network: a box per layer (kind, name, output shape, parameters; coloured
            by category), an arrow per read labelled with the shape it carries, the longest path
            straight down, skip connections beside it, repeated blocks drawn once with "×n".
              --format svg       an SVG picture, text kept as text (the default)
              --format dot       Graphviz DOT (dot -Tpdf turns it into a PDF)
              --theme auto       (svg) light, dark where the viewer prefers dark (the default);
                                 light or dark fixes one
              --expand           repeated blocks drawn out in full
              --style blocks     (svg) for small CNNs: the feature maps along the main path as
                                 blocks sized by C, H and W on a log scale, each kernel drawn
                                 between them, as the classic LeNet and AlexNet figures
                                 (a design with no feature maps: the graph, and why)

Architecture, as JSON (format version 1):
  { "netshape": 1, "name": "Lasagne MNIST", "convention": "pytorch", "input": [1, 28, 28],
    "layers": [ {"type": "conv2d", "out_channels": 32, "kernel_size": 5, "activation": "relu"},
                {"type": "maxpool2d", "kernel_size": 2}, {"type": "flatten"},
                {"type": "linear", "out_features": 10} ] }
  input is one sample's shape without the batch dimension. Under "pytorch" (the default) images
  are channels-first ([C, H, W]); under "keras" channels-last ([H, W, C]). Fields use PyTorch's
  names; any layer may carry "activation", "name" and "inputs" (names of the layers it reads);
  "inputs": {"image": [3, 224, 224], "meta": [10]} at the top gives several model inputs.

The same, as link text:
  ns1;'Lasagne~MNIST';1x28x28/conv2d(32,5)+relu/maxpool2d(2)/flatten/linear(10)
  Header items after ';' (keras, a title in quotes, input shapes); layers after '/'; positional
  values first, then name=value; lists as 3x5; @name or @-k (k layers back) for a layer's inputs;
  3*(…/…) repeats a block. A block with parameters is defined in the header and used by name:
  ns1;3x32x32;cbr(c,s)=(conv2d(c,3,stride=s,padding=1)/batchnorm2d/relu)/cbr(32,1)/cbr(64,2)
  (a parameter stands for a value or a repeat count; mb(@a,16) feeds @a to its first layer).

Exit status:
  0  success
  1  invalid architecture (the message is on standard error; with --format json an
     {"error": {...}} object is also printed on standard output)
  2  usage error: unknown option or command, unreadable file
)";

int usage_error(const std::string& message) {
    std::cerr << "netshape: " << terminal_text(message) << "\n(netshape --help explains the usage)\n";
    return kExitUsage;
}

// Reads the whole input, at most kMaxInputBytes (and one byte more, to know it was more): a
// directory, an unreadable file or an endless stream (/dev/zero) is a clear error, not an abort.
// Returns false with `problem` set for a usage error; an input over the limit comes back as
// `too_big` (an invalid architecture, like any other that breaks a limit).
bool read_input(const std::string& path, std::string& text, std::string& problem, bool& too_big) {
    int fd = STDIN_FILENO;
    if (path == "-") {
        if (isatty(STDIN_FILENO)) std::cerr << "netshape: reading the architecture from standard input (Ctrl+D ends)\n";
    } else {
        fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            problem = cat("cannot read '", path, "': ", std::strerror(errno));
            return false;
        }
        struct stat info {};
        if (fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
            close(fd);
            problem = cat("'", path, "' is a directory; give an architecture file (JSON or link text)");
            return false;
        }
    }
    text.clear();
    char buffer[1 << 16];
    too_big = false;
    for (;;) {
        ssize_t got = read(fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            problem = cat("error while reading '", path, "': ", std::strerror(errno));
            if (fd != STDIN_FILENO) close(fd);
            return false;
        }
        if (got == 0) break;
        text.append(buffer, static_cast<size_t>(got));
        if (text.size() > kMaxInputBytes) {
            too_big = true;
            break;
        }
    }
    if (fd != STDIN_FILENO) close(fd);
    return true;
}

// Prints why a file could not be read (standard error; with json also an error object on
// standard output) and returns the exit status for an invalid architecture.
int report_read_error(const ReadError& error, const std::string& source, bool json_output) {
    std::string location = error.line > 0 ? cat(source, ":", error.line, ":", error.column) : source;
    std::cerr << "netshape: " << terminal_text(cat(location, ": ", error.message)) << "\n";
    if (json_output) {
        std::string text;
        JsonWriter out(text, 2);
        out.begin_object().key("error");
        write_read_error(out, error);
        out.end_object();
        std::cout << text << "\n";
    }
    return kExitInvalid;
}

// --------------------------------------------------------------------------------------------
// [SECTION] summary
// --------------------------------------------------------------------------------------------

int run_summary(const std::vector<std::string>& args) {
    std::string format = "table";
    std::string path;
    bool explain = false;
    bool full_formulas = false;
    MemoryOptions memory;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--format" || arg == "-f") {
            if (i + 1 >= args.size()) return usage_error("--format needs a value: table, json or markdown");
            format = args[++i];
        } else if (arg.rfind("--format=", 0) == 0) {
            format = arg.substr(9);
        } else if (arg == "--explain") {
            explain = true;
        } else if (arg == "--full-formulas") {
            explain = full_formulas = true;
        } else if (arg == "--batch-size" || arg == "--dtype" || arg == "--optimizer") {
            if (i + 1 >= args.size()) return usage_error(cat(arg, " needs a value"));
            const std::string& value = args[++i];
            if (arg == "--batch-size") {
                char* end = nullptr;
                long long batch = std::strtoll(value.c_str(), &end, 10);
                if (value.empty() || *end != '\0' || batch < 1 || batch > 1'000'000'000)
                    return usage_error(cat("--batch-size takes a positive integer; received '", value, "'"));
                memory.batch_size = batch;
            } else if (arg == "--dtype") {
                std::optional<DType> dtype = parse_dtype(value);
                if (!dtype) return usage_error(cat("unknown --dtype '", value, "'; use fp32, fp16, bf16 or int8"));
                memory.dtype = *dtype;
            } else {
                std::optional<Optimizer> optimizer = parse_optimizer(value);
                if (!optimizer) return usage_error(cat("unknown --optimizer '", value, "'; use sgd, momentum or adam"));
                memory.optimizer = *optimizer;
            }
        } else if (arg == "-" || arg.empty() || arg[0] != '-') {
            if (!path.empty()) return usage_error(cat("more than one input file: '", path, "' and '", arg, "'"));
            path = arg;
        } else {
            return usage_error(cat("unknown option '", arg, "' for summary"));
        }
    }
    if (format != "table" && format != "json" && format != "markdown")
        return usage_error(cat("unknown format '", format, "'; use table, json or markdown"));
    if (path.empty()) path = "-";

    std::string text, problem;
    bool too_big = false;
    if (!read_input(path, text, problem, too_big)) return usage_error(problem);
    const std::string source = path == "-" ? "<stdin>" : path;

    ReadResult read = too_big ? ReadResult{.error = input_size_problem(text.size())} : read_architecture_any(text);
    if (read.error) return report_read_error(*read.error, source, format == "json");

    Analysis analysis = analyze(read.architecture);
    ReportOptions options{.explain = explain, .full_formulas = full_formulas, .memory = memory};
    if (format == "json") {
        write_analysis_json(analysis, memory, 2, [](std::string_view piece) { std::cout << piece; });
        std::cout << "\n";
    } else if (format == "markdown") {
        std::cout << format_markdown(analysis, options);
    } else {
        std::cout << terminal_text(format_table(analysis, options));
    }
    if (analysis.error) {
        std::cout.flush();
        std::cerr << "netshape: " << terminal_text(cat(source, ": ", analysis.error->message)) << "\n";
        return kExitInvalid;
    }
    return kExitOk;
}

// --------------------------------------------------------------------------------------------
// [SECTION] diagram
// --------------------------------------------------------------------------------------------

std::optional<Architecture> read_design(const std::string& path, int& status); // [SECTION] convert

int run_diagram(const std::vector<std::string>& args) {
    std::string format = "svg", theme = "auto", style = "graph", path;
    bool expand = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        const size_t equals = arg.find('=');
        const std::string option = arg.substr(0, equals);
        if (option == "--format" || option == "--theme" || option == "--style") {
            if (equals == std::string::npos && i + 1 >= args.size()) return usage_error(cat(option, " needs a value"));
            (option == "--format" ? format : option == "--theme" ? theme : style) =
                equals == std::string::npos ? args[++i] : arg.substr(equals + 1);
        } else if (arg == "--expand") {
            expand = true;
        } else if (arg == "-" || arg.empty() || arg[0] != '-') {
            if (!path.empty()) return usage_error(cat("more than one input file: '", path, "' and '", arg, "'"));
            path = arg;
        } else {
            return usage_error(cat("unknown option '", arg, "' for diagram"));
        }
    }
    if (format != "svg" && format != "dot") return usage_error(cat("unknown format '", format, "'; use svg or dot"));
    if (theme != "auto" && theme != "light" && theme != "dark")
        return usage_error(cat("unknown theme '", theme, "'; use auto, light or dark"));
    if (style != "graph" && style != "blocks") return usage_error(cat("unknown style '", style, "'; use graph or blocks"));
    if (style == "blocks" && (format == "dot" || expand))
        return usage_error(cat(format == "dot" ? "--format dot" : "--expand", " is for the graph style; --style blocks writes SVG"));
    if (path.empty()) path = "-";
    int status = kExitOk;
    const std::optional<Architecture> architecture = read_design(path, status);
    if (!architecture) return status;
    const std::string source = path == "-" ? "<stdin>" : path;

    // An invalid design is drawn too (its bad layers marked), and the error reported as summary does.
    const Analysis analysis = analyze(*architecture);
    const DiagramTheme chosen = theme == "light" ? DiagramTheme::light
                                : theme == "dark" ? DiagramTheme::dark
                                                  : DiagramTheme::automatic;
    const BlocksDiagram blocks = style == "blocks" ? layout_blocks(analysis) : BlocksDiagram{};
    const std::string unsuited = style == "blocks" ? blocks_unsuited(blocks) : std::string();
    if (style == "blocks" && unsuited.empty()) {
        std::cout << blocks_svg(blocks, analysis.name, chosen);
    } else {
        // As the app does: a design the blocks do not suit (a multilayer perceptron) is drawn as
        // the graph, which suits every design, and the reason is said.
        if (!unsuited.empty())
            std::cerr << "netshape: " << terminal_text(cat(source, ": not as blocks: ", unsuited, "; drawn as a graph")) << "\n";
        const Diagram diagram = layout_diagram(analysis, {.collapse_repeats = !expand});
        std::cout << (format == "dot" ? diagram_dot(diagram, analysis.name) : diagram_svg(diagram, analysis.name, chosen));
    }
    if (analysis.error) {
        std::cout.flush();
        std::cerr << "netshape: " << terminal_text(cat(source, ": ", analysis.error->message)) << "\n";
        return kExitInvalid;
    }
    return kExitOk;
}

// --------------------------------------------------------------------------------------------
// [SECTION] convert
// --------------------------------------------------------------------------------------------

// `--to FORMAT` and one FILE (or '-'), for convert and export. Returns an exit status on a usage
// error, else nullopt with `to` and `path` set.
std::optional<int> read_to_and_path(const std::vector<std::string>& args, std::string_view command,
                                    std::string_view formats, std::string& to, std::string& path) {
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--to") {
            if (i + 1 >= args.size()) return usage_error(cat("--to needs a value: ", formats));
            to = args[++i];
        } else if (arg.rfind("--to=", 0) == 0) {
            to = arg.substr(5);
        } else if (arg == "-" || arg.empty() || arg[0] != '-') {
            if (!path.empty()) return usage_error(cat("more than one input file: '", path, "' and '", arg, "'"));
            path = arg;
        } else {
            return usage_error(cat("unknown option '", arg, "' for ", command));
        }
    }
    if (path.empty()) path = "-";
    return std::nullopt;
}

// Reads the architecture in `path`; on failure reports it and sets `status`.
std::optional<Architecture> read_design(const std::string& path, int& status) {
    std::string text, problem;
    bool too_big = false;
    if (!read_input(path, text, problem, too_big)) {
        status = usage_error(problem);
        return std::nullopt;
    }
    ReadResult read = too_big ? ReadResult{.error = input_size_problem(text.size())} : read_architecture_any(text);
    if (read.error) {
        status = report_read_error(*read.error, path == "-" ? "<stdin>" : path, false);
        return std::nullopt;
    }
    return std::move(read.architecture);
}

int run_convert(const std::vector<std::string>& args) {
    std::string to, path;
    if (auto status = read_to_and_path(args, "convert", "text or json", to, path)) return *status;
    if (to != "text" && to != "json") return usage_error("convert needs --to text or --to json");
    int status = kExitOk;
    std::optional<Architecture> architecture = read_design(path, status);
    if (!architecture) return status;
    if (to == "text")
        std::cout << architecture_to_text(*architecture) << "\n";
    else
        std::cout << architecture_to_json(*architecture) << "\n";
    return kExitOk;
}

// --------------------------------------------------------------------------------------------
// [SECTION] import
// --------------------------------------------------------------------------------------------

int run_import(const std::vector<std::string>& args) {
    std::string from, input, heads_text, to = "text", path;
    std::vector<std::string> rest;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--from" || arg == "--input" || arg == "--heads") {
            if (i + 1 >= args.size()) return usage_error(cat(arg, " needs a value"));
            (arg == "--from" ? from : arg == "--input" ? input : heads_text) = args[++i];
        } else {
            rest.push_back(arg);
        }
    }
    if (auto status = read_to_and_path(rest, "import", "text or json", to, path)) return *status;
    const bool keras = from == "keras-json" || from == "keras-code";
    if (from != "pytorch-print" && from != "pytorch-code" && !keras)
        return usage_error(from.empty() ? "import needs --from pytorch-print, pytorch-code, keras-json or keras-code"
                                        : cat("unknown import format '", from,
                                              "'; use pytorch-print, pytorch-code, keras-json or keras-code"));
    if (to != "text" && to != "json") return usage_error(cat("unknown --to '", to, "'; use text or json"));
    const std::optional<ShapeAnswer> shape = read_shape_answer(input);
    if (!input.empty() && !shape)
        return usage_error(cat("--input '", input, "' is not a shape; write one sample's, e.g. 3x224x224"));
    int64_t heads = 0;
    if (!heads_text.empty()) {
        const auto [end, problem] = std::from_chars(heads_text.data(), heads_text.data() + heads_text.size(), heads);
        if (problem != std::errc() || end != heads_text.data() + heads_text.size() || heads < 1 || heads > 1'000'000)
            return usage_error(cat("--heads '", heads_text, "' is not a number of heads; write a whole number such as 12"));
        if (from != "pytorch-print") return usage_error("--heads is for --from pytorch-print, whose MultiheadAttention hides them");
    }
    if (!keras && input.empty())
        return usage_error("a PyTorch model does not say its input's shape: give one sample's with --input "
                           "(e.g. --input 3x224x224)");
    std::string text, problem;
    bool too_big = false;
    if (!read_input(path, text, problem, too_big)) return usage_error(problem);
    const std::string source = path == "-" ? "<stdin>" : path;
    if (too_big) {
        std::cerr << "netshape: " << source << ": " << input_size_problem(text.size())->message << "\n";
        return kExitInvalid;
    }
    const ImportResult imported = from == "keras-json"     ? import_keras_json(text, shape ? shape->shape : Shape{})
                                  : from == "keras-code"   ? import_keras_code(text, shape ? shape->shape : Shape{})
                                  : from == "pytorch-code" ? import_pytorch_code(text, shape->shape)
                                                           : import_pytorch_print(text, shape->shape, heads);
    if (imported.error) {
        std::cerr << "netshape: " << terminal_text(cat(source, ": ", imported.error->message)) << "\n";
        return kExitInvalid;
    }
    for (const std::string& warning : imported.warnings)
        std::cerr << "netshape: warning: " << terminal_text(warning) << "\n";
    std::cout << (to == "text" ? architecture_to_text(imported.architecture) : architecture_to_json(imported.architecture))
              << "\n";
    return kExitOk;
}

// --------------------------------------------------------------------------------------------
// [SECTION] export
// --------------------------------------------------------------------------------------------

int run_export(const std::vector<std::string>& args) {
    std::string to, path;
    if (auto status = read_to_and_path(args, "export", "pytorch, keras, keras-json, csv or latex", to, path)) return *status;
    if (to != "pytorch" && to != "keras" && to != "keras-json" && to != "csv" && to != "latex")
        return usage_error(to.empty() ? "export needs --to pytorch, keras, keras-json, csv or latex"
                                      : cat("unknown export format '", to, "'; use pytorch, keras, keras-json, csv or latex"));
    int status = kExitOk;
    std::optional<Architecture> architecture = read_design(path, status);
    if (!architecture) return status;
    const std::string source = path == "-" ? "<stdin>" : path;
    const Analysis analysis = analyze(*architecture);
    if (to == "pytorch" || to == "keras" || to == "keras-json") {
        const CodeExport code = to == "pytorch" ? export_pytorch(*architecture, analysis)
                                : to == "keras" ? export_keras_code(*architecture, analysis)
                                                : export_keras_json(*architecture, analysis);
        if (!code.error.empty()) {
            std::cerr << "netshape: "
                      << terminal_text(cat(source, ": cannot write ", to == "pytorch" ? "PyTorch code" : "Keras's model", ": ",
                                           code.error))
                      << "\n";
            return kExitInvalid;
        }
        std::cout << code.code;
        return kExitOk;
    }
    if (analysis.error) {
        std::cerr << "netshape: " << terminal_text(cat(source, ": ", analysis.error->message)) << "\n";
        return kExitInvalid;
    }
    std::cout << (to == "csv" ? format_csv(analysis) : format_latex(analysis));
    return kExitOk;
}

// --------------------------------------------------------------------------------------------
// [SECTION] check
// --------------------------------------------------------------------------------------------

int run_check(const std::vector<std::string>& args) {
    std::vector<std::string> paths;
    for (const std::string& arg : args) {
        if (arg != "-" && !arg.empty() && arg[0] == '-') return usage_error(cat("unknown option '", arg, "' for check"));
        paths.push_back(arg);
    }
    if (paths.size() != 2) return usage_error("check takes two files: the DESIGN and the TABLE made by hand");
    if (paths[0] == "-" && paths[1] == "-") return usage_error("only one of DESIGN and TABLE can be standard input");

    std::string design_text, table_text, problem;
    bool too_big = false;
    if (!read_input(paths[0], design_text, problem, too_big)) return usage_error(problem);
    ReadResult read = too_big ? ReadResult{.error = input_size_problem(design_text.size())} : read_architecture_any(design_text);
    if (read.error) return report_read_error(*read.error, paths[0] == "-" ? "<stdin>" : paths[0], false);
    if (!read_input(paths[1], table_text, problem, too_big)) return usage_error(problem);
    if (too_big) return usage_error(cat("'", paths[1], "' is larger than a table can be (", kMaxInputBytes, " bytes)"));
    if (size_t bad = invalid_utf8_at(table_text); bad != std::string::npos)
        return usage_error(cat("'", paths[1], "' is not UTF-8 text (byte ", bad, ")"));

    Analysis analysis = analyze(read.architecture);
    if (analysis.error)
        std::cerr << "netshape: " << terminal_text(cat(paths[0], ": ", analysis.error->message))
                  << "\n(the layers before it are checked)\n";
    TableCheck check = check_table(read.architecture, analysis, table_text);
    std::cout << terminal_text(format_table_check(check));
    return check.cells_wrong == 0 && check.cells_unreadable == 0 && !analysis.error ? kExitOk : kExitInvalid;
}

// --------------------------------------------------------------------------------------------
// [SECTION] layers
// --------------------------------------------------------------------------------------------

std::string field_line(const FieldSpec& field) {
    std::string type(field_type_name(field.type));
    if (field.type == FieldType::choice) {
        std::vector<std::string> quoted;
        for (std::string_view choice : field.choices)
            quoted.push_back(cat('"', choice, '"'));
        type += cat(" ", join(quoted, ", ")); // (" " + … trips GCC 12's -Wrestrict false positive)
    }
    std::string default_text = field.required ? std::string("required")
                               : !field.default_text.empty()
                                   ? cat("default ", field.default_text)
                                   : (std::holds_alternative<std::monostate>(field.default_value)
                                          ? std::string("optional")
                                          : cat("default ", format_field_value(field.default_value)));
    const std::string keras = field.keras_name.empty() ? std::string() : cat("; Keras: ", field.keras_name);
    return cat("    ", field.name, "  (", type, "; ", default_text, keras, ") — ", field.doc);
}

void print_kind(const LayerKind& kind, bool with_fields) {
    std::cout << "  " << kind.type << "  [PyTorch " << kind.pytorch_class << ", Keras " << kind.keras_class << "] — "
              << kind.doc << "\n";
    if (!with_fields) return;
    std::cout << "    written " << link_text_form(kind) << "\n";
    for (const FieldSpec& field : kind.fields)
        std::cout << field_line(field) << "\n";
    std::cout << "    activation, name, inputs, shares  (any layer) — a fused activation; a unique name; the layers "
                 "it reads; a layer whose weights it reuses (with a type of its own: those of matching shape, tied)\n";
}

int run_layers(const std::vector<std::string>& args) {
    if (args.size() > 1) return usage_error("layers takes at most one TYPE");
    if (args.size() == 1) {
        const LayerKind* kind = find_kind(args[0]);
        if (!kind) return usage_error(unknown_type_message(args[0]));
        print_kind(*kind, true);
        return kExitOk;
    }
    std::string_view category;
    for (const LayerKind& kind : catalog()) {
        if (kind.category != category) {
            category = kind.category;
            std::cout << (category == catalog().front().category ? "" : "\n") << category << "\n";
        }
        print_kind(kind, true);
    }
    return kExitOk;
}

// The glossary's paragraphs wrapped at 96 columns (the help's width), indented under each term.
int run_glossary(const std::vector<std::string>& args) {
    if (!args.empty()) return usage_error("glossary takes no arguments");
    for (const GlossaryEntry& entry : glossary()) {
        std::cout << entry.term << "\n";
        std::string line = "   ";
        std::string_view rest = entry.text;
        while (!rest.empty()) {
            const size_t space = rest.find(' ');
            const std::string_view word = rest.substr(0, space);
            if (line.size() > 3 && display_width(line) + 1 + display_width(word) > 96) {
                std::cout << line << "\n";
                line = "   ";
            }
            line += cat(" ", word);
            rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
        }
        std::cout << line << "\n\n";
    }
    return kExitOk;
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << kHelp;
        return kExitUsage;
    }
    const std::string command = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << kHelp;
        return kExitOk;
    }
    if (command == "--version") {
        std::cout << kVersion << "\n";
        return kExitOk;
    }
    for (const std::string& arg : rest)
        if (arg == "--help" || arg == "-h") {
            std::cout << kHelp;
            return kExitOk;
        }
    if (command == "summary") return run_summary(rest);
    if (command == "layers") return run_layers(rest);
    if (command == "convert") return run_convert(rest);
    if (command == "export") return run_export(rest);
    if (command == "import") return run_import(rest);
    if (command == "check") return run_check(rest);
    if (command == "glossary") return run_glossary(rest);
    if (command == "diagram") return run_diagram(rest);
    return usage_error(cat("unknown command '", command,
                           "'; the commands are summary, convert, import, export, layers, check, glossary and diagram"));
}
