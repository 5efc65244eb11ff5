#include "tool_request.h"

#include "import_keras_code.h"
#include "text.h"

#include <charconv>

namespace netshape {

namespace {

// Fields as "<bytes>:<text>", so any text travels unchanged, newlines and colons included. The
// first field names the format's version: a stale cached module answers with a clear refusal.
constexpr std::string_view kFormat = "netshape-tools-2";

void put(std::string& out, std::string_view field) {
    out += std::to_string(field.size());
    out += ':';
    out += field;
}

struct FieldReader {
    std::string_view rest;
    bool failed = false;

    std::string_view next() {
        const size_t colon = rest.find(':');
        size_t length = 0;
        const auto [end, problem] = colon == std::string_view::npos ? std::from_chars(rest.data(), rest.data(), length)
                                                                    : std::from_chars(rest.data(), rest.data() + colon, length);
        if (colon == std::string_view::npos || colon == 0 || problem != std::errc() || end != rest.data() + colon ||
            length > rest.size() - colon - 1) {
            failed = true;
            rest = {};
            return {};
        }
        const std::string_view field = rest.substr(colon + 1, length);
        rest.remove_prefix(colon + 1 + length);
        return field;
    }
    int64_t number() {
        const std::string_view field = next();
        int64_t value = 0;
        const auto [end, problem] = std::from_chars(field.data(), field.data() + field.size(), value);
        if (field.empty() || problem != std::errc() || end != field.data() + field.size()) failed = true;
        return value;
    }
};

} // namespace

std::string encode_tool_request(const ToolRequest& request) {
    std::string out;
    put(out, kFormat);
    put(out, std::to_string(static_cast<int>(request.verb)));
    put(out, request.design);
    put(out, request.text);
    put(out, std::to_string(request.attention_heads));
    put(out, std::to_string(request.input_shape.size()));
    for (int64_t size : request.input_shape) put(out, std::to_string(size));
    return out;
}

std::optional<ToolRequest> decode_tool_request(std::string_view encoded) {
    FieldReader in{encoded};
    if (in.next() != kFormat) return std::nullopt;
    ToolRequest request;
    const int64_t verb = in.number();
    if (verb < 0 || verb > static_cast<int>(ToolVerb::read_design)) return std::nullopt;
    request.verb = static_cast<ToolVerb>(verb);
    request.design = in.next();
    request.text = in.next();
    request.attention_heads = in.number();
    const int64_t rank = in.number();
    for (int64_t i = 0; i < rank && !in.failed; ++i) request.input_shape.push_back(in.number());
    if (in.failed || !in.rest.empty()) return std::nullopt;
    return request;
}

std::string encode_tool_reply(const ToolReply& reply) {
    std::string out;
    put(out, kFormat);
    put(out, reply.ok ? "ok" : "refused");
    put(out, reply.design);
    put(out, reply.output);
    put(out, reply.where);
    put(out, std::to_string(reply.line));
    put(out, std::to_string(reply.column));
    for (const std::string& warning : reply.warnings) put(out, warning);
    return out;
}

ToolReply decode_tool_reply(std::string_view encoded) {
    FieldReader in{encoded};
    ToolReply reply;
    if (in.next() == kFormat) {
        const std::string_view status = in.next();
        reply.ok = status == "ok";
        reply.design = in.next();
        reply.output = in.next();
        reply.where = in.next();
        reply.line = static_cast<int>(in.number());
        reply.column = static_cast<int>(in.number());
        while (!in.failed && !in.rest.empty()) reply.warnings.emplace_back(in.next());
        if (!in.failed && (reply.ok || status == "refused")) return reply;
    }
    return {false, {}, "the import and export tools answered in a form this page does not read: reload the page", {}};
}

bool import_text_has_shape(std::string_view text) {
    return trim_space(text).starts_with('{') || looks_like_keras_code(text);
}

} // namespace netshape
