// libFuzzer target: the app's ways in for text from a stranger (a URL hash, setText, the text
// pane) never lose the design a person had. Invariants:
// - a hash, a text or a pane edit that does not read leaves the design exactly as it was (with
//   an error to show, but for an empty hash, which means "nothing to open");
// - one that reads becomes the design, and the hash the app then writes opens to that design.
#include "app_state.h"

#include "engine/json_format.h"
#include "engine/link_text.h"
#include "engine/tool_request.h"
#include "same_design.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace netshape;
    std::string_view input(reinterpret_cast<const char*>(data), size);
    TextReadResult start = read_architecture_text("ns1;'had';1x28x28/conv2d(8,3)+relu/flatten/linear(10)");
    const std::string before = architecture_to_json(start.architecture, -1);

    auto check = [&](app::AppState& state, bool changed) {
        const std::string now = architecture_to_json(state.design, -1);
        if (!changed) {
            if (now != before) std::abort();
            return;
        }
        TextReadResult reopened = read_architecture_text(app::percent_decode(app::current_hash(state)));
        if (reopened.error || !fuzzing::same_design(reopened.architecture, state.design)) std::abort();
    };

    app::AppState by_hash = app::make_state(start.architecture);
    const bool hash_changed = app::load_hash(by_hash, input);
    check(by_hash, hash_changed);
    // Not opened and not refused: only an empty hash, or one that says the design already shown.
    std::string_view hash = input.substr(input.empty() || input.front() != '#' ? 0 : 1);
    if (!hash_changed && !by_hash.hash_error && !hash.empty()) {
        TextReadResult same = read_architecture_text(app::percent_decode(hash));
        if (same.error || architecture_to_text(same.architecture) != architecture_to_text(start.architecture))
            std::abort();
    }

    // setText: JSON is read by the tools (a second module in the page) into link text, which
    // load_text reads; link text goes to load_text directly (web/browser_api.cpp).
    app::AppState by_text = app::make_state(start.architecture);
    std::optional<ReadError> error;
    if (looks_like_json(input)) {
        ToolRequest request;
        request.verb = ToolVerb::read_design;
        request.text = input;
        const ToolReply reply = decode_tool_reply(run_tool_request(encode_tool_request(request)));
        if (reply.ok) error = app::load_text(by_text, reply.design);
        else error = ReadError{.message = reply.output};
        if (reply.ok && error) std::abort(); // the tools wrote link text that does not read back
    } else {
        error = app::load_text(by_text, input);
    }
    check(by_text, !error);

    app::AppState by_pane = app::make_state(start.architecture);
    const bool pane_changed = app::edit_text(by_pane, std::string(input));
    if (!pane_changed && architecture_to_json(by_pane.design, -1) != before) std::abort();
    return 0;
}
