// Import and export as one strings-in, strings-out call. The importers and exporters (and the
// JSON reader) are a fifth of the web app's code and no first frame needs them, so the web app
// keeps them in a second WebAssembly module that the page fetches the first time a person
// imports or exports, or a host page hands setText JSON (web/tools_main.cpp); what passes
// between the two modules is exactly this. The design travels
// as its link text, which keeps everything a design holds (it is what a shared link carries).
// Native programs make the call directly.
#pragma once

#include "architecture.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netshape {

enum class ToolVerb {
    import_model, // print(model), nn.Sequential code, Keras JSON or Keras code, told apart as the dialog says
    pytorch_code,
    keras_code,
    keras_json,
    read_design, // netshape's JSON (or link text) as link text: the page's setText given JSON
};

struct ToolRequest {
    ToolVerb verb = ToolVerb::import_model;
    std::string design;      // export: the design's link text
    std::string text;        // import: what was pasted
    Shape input_shape;       // import: one sample's shape; empty where the text has its own
    int64_t attention_heads = 0; // import: a MultiheadAttention's heads, which print(model) hides; 0: none given
};

struct ToolReply {
    bool ok = false;
    std::string design;                // import: the imported design's link text
    std::string output;                // export: the code or JSON; a refusal: why
    std::vector<std::string> warnings; // import: what was inferred rather than read
    // read_design's refusal: where in the text, as ReadError says it ("layers[2].kernel_size", or
    // "" with the line and column of malformed JSON).
    std::string where;
    int line = 0;
    int column = 0;
};

std::string encode_tool_request(const ToolRequest& request);
std::optional<ToolRequest> decode_tool_request(std::string_view encoded);
std::string encode_tool_reply(const ToolReply& reply);
// A reply that does not decode (a module of another version) comes back as a refusal saying so.
ToolReply decode_tool_reply(std::string_view encoded);

// Runs an encoded request and returns the encoded reply (engine/tool_run.cpp: the only caller of
// the importers and exporters in the web app's second module).
std::string run_tool_request(std::string_view encoded_request);

// What the import dialog must ask before an import: whether the text carries its own input shape
// (Keras's JSON and code do; print(model) and nn.Sequential code do not).
bool import_text_has_shape(std::string_view text);

} // namespace netshape
