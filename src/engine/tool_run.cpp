// The importers and exporters behind one call (tool_request.h). In the web app this file's
// function is the entry of the second module; nothing in the first calls the importers directly.
#include "tool_request.h"

#include "analysis.h"
#include "export_keras.h"
#include "export_pytorch.h"
#include "import_keras.h"
#include "import_keras_code.h"
#include "import_pytorch.h"
#include "json_format.h"
#include "link_text.h"
#include "text.h"

#include <nlohmann/json.hpp>

namespace netshape {

namespace {

// The JSON reader lives here, not in the page's first module: setText given JSON asks for this,
// and the import dialog given a design saved as JSON.
ToolReply read_design(const ToolRequest& request) {
    const ReadResult read = read_architecture_any(request.text);
    if (read.error) {
        ToolReply refusal{false, {}, read.error->message, {}};
        refusal.where = read.error->where;
        refusal.line = read.error->line;
        refusal.column = read.error->column;
        return refusal;
    }
    return {true, architecture_to_text(read.architecture), {}, {}};
}

// Whether a JSON object has Keras's "class_name" among its top-level keys (a model's to_json()
// does; netshape's own JSON, which Share > Download design and `convert --to json` write, does
// not). Read as events, without building a tree, and stopped at the answer.
class KerasModelKey : public nlohmann::json_sax<nlohmann::json> {
public:
    bool found = false;
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return ++depth, true; }
    bool end_object() override { return --depth, true; }
    bool start_array(std::size_t) override { return ++depth, true; }
    bool end_array() override { return --depth, true; }
    bool key(string_t& name) override {
        found = depth == 1 && name == "class_name";
        return !found;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

private:
    int depth = 0;
};

bool is_keras_model_json(std::string_view text) {
    KerasModelKey keys;
    nlohmann::json::sax_parse(text, &keys, nlohmann::json::input_format_t::json, /*strict=*/false);
    return keys.found;
}

ToolReply import_model(const ToolRequest& request) {
    const std::string_view text = request.text;
    if (trim_space(text).starts_with('{') && !is_keras_model_json(text)) {
        ToolReply reply = read_design(request); // a design saved from netshape: read as it is
        if (!reply.ok) reply.output = cat("netshape's JSON: ", reply.output);
        return reply;
    }
    const bool keras_json = trim_space(text).starts_with('{');
    const bool keras_code = !keras_json && looks_like_keras_code(text);
    // Code holds "nn.Sequential(" somewhere; a repr starts with its model's name and "(".
    const bool pytorch_code =
        !keras_json && !keras_code && !looks_like_pytorch_print(text) && text.find("Sequential(") != std::string_view::npos;
    ImportResult imported = keras_json     ? import_keras_json(text, request.input_shape)
                            : keras_code   ? import_keras_code(text, request.input_shape)
                            : pytorch_code ? import_pytorch_code(text, request.input_shape)
                                           : import_pytorch_print(text, request.input_shape, request.attention_heads);
    if (imported.error) return {false, {}, imported.error->message, {}};
    return {true, architecture_to_text(imported.architecture), {}, std::move(imported.warnings)};
}

ToolReply export_design(const ToolRequest& request) {
    TextReadResult read = read_architecture_text(request.design);
    if (read.error) return {false, {}, cat("the design does not read: ", read.error->message), {}};
    const Analysis analysis = analyze(read.architecture);
    const CodeExport exported = request.verb == ToolVerb::pytorch_code ? export_pytorch(read.architecture, analysis)
                                : request.verb == ToolVerb::keras_code ? export_keras_code(read.architecture, analysis)
                                                                       : export_keras_json(read.architecture, analysis);
    if (!exported.error.empty()) return {false, {}, exported.error, {}};
    return {true, {}, exported.code, {}};
}


} // namespace

std::string run_tool_request(std::string_view encoded_request) {
    const std::optional<ToolRequest> request = decode_tool_request(encoded_request);
    if (!request)
        return encode_tool_reply({false, {}, "the page asked the import and export tools in a form they do not read: reload the page", {}});
    switch (request->verb) {
    case ToolVerb::import_model: return encode_tool_reply(import_model(*request));
    case ToolVerb::read_design: return encode_tool_reply(read_design(*request));
    case ToolVerb::pytorch_code:
    case ToolVerb::keras_code:
    case ToolVerb::keras_json: return encode_tool_reply(export_design(*request));
    }
    return encode_tool_reply({false, {}, "the page asked the tools for something they do not do: reload the page", {}});
}

} // namespace netshape
