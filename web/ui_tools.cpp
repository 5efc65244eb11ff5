// Imports and exports through the tools (engine/tool_request.h). In the web app they live in a
// second module fetched on first use, so an answer may come frames after the question: the
// question waits in UiState::pending_tools, is asked again each frame until it is answered (the
// glue draws a frame when the module arrives), and only then is the design changed or the file
// offered. Natively the answer comes at once.
#include "ui_common.h"

#include "engine/analysis.h"
#include "engine/link_text.h"
#include "engine/text.h"
#include "engine/tool_request.h"

namespace netshape::ui {

namespace {

void finish_import(UiState& ui, const ToolReply& reply, FrameEdits& edits) {
    ui.import_warnings.clear();
    ui.import_failed = true;
    if (!reply.ok) {
        ui.import_result = reply.output;
        return;
    }
    TextReadResult read = read_architecture_text(reply.design);
    if (read.error) { // the tools wrote a design this module does not read: a version mismatch
        ui.import_result = cat("the imported design does not read here (reload the page): ", read.error->message);
        return;
    }
    const Analysis analysis = analyze(read.architecture);
    ui.import_failed = false;
    // A design saved without a title has no name to give ("Imported: 7 layers, …").
    ui.import_result = cat("Imported", read.architecture.name.empty() ? "" : " ", read.architecture.name, ": ",
                           read.architecture.layers.size(), " layers, ",
                           with_thousands(analysis.total_params), " parameters",
                           analysis.ok() ? "." : cat(". ", analysis.error->message));
    ui.import_warnings = reply.warnings;
    commit(edits, std::move(read.architecture));
    ui.selected.reset();
}

void finish_export(UiState& ui, const Platform& platform, const PendingTools& pending, const ToolReply& reply) {
    const bool json = pending.use == ToolsUse::download_keras_json;
    if (!reply.ok) {
        notify(ui, cat(json ? "No Keras model: " : cat("No ", pending.framework, " code: "), reply.output));
    } else if (pending.use == ToolsUse::copy_code) {
        platform.copy_text(reply.output);
        notify(ui, cat(pending.framework, " code copied: it runs as it is"));
    } else {
        platform.download(pending.file_name, json ? "application/json" : "text/x-python", reply.output);
    }
}

// Asks for the waiting request; false while the tools have not answered.
bool try_pending(UiState& ui, const Platform& platform, FrameEdits& edits) {
    const std::optional<std::string> answer =
        platform.run_tools ? platform.run_tools(ui.pending_tools->request)
                           : encode_tool_reply({false, {}, "this build of netshape has no import and export tools", {}});
    if (!answer) return false;
    const PendingTools pending = std::move(*ui.pending_tools);
    ui.pending_tools.reset();
    const ToolReply reply = decode_tool_reply(*answer);
    if (pending.use == ToolsUse::import_model) finish_import(ui, reply, edits);
    else finish_export(ui, platform, pending, reply);
    return true;
}

} // namespace

void ask_tools(UiState& ui, PendingTools pending) {
    ui.pending_tools = std::move(pending); // a newer question replaces one still waiting
    ui.pending_tools_asked = false;
}

void serve_pending_tools(UiState& ui, const Platform& platform, FrameEdits& edits) {
    if (!ui.pending_tools || edits.any()) return; // an import's design waits for a frame with no other edit
    const bool first_time = !ui.pending_tools_asked;
    ui.pending_tools_asked = true;
    if (try_pending(ui, platform, edits)) return;
    // The import dialog says it is waiting; an export made from a menu says it here.
    if (first_time && ui.pending_tools->use != ToolsUse::import_model) notify(ui, "Loading the export tools...");
}

bool waiting_for_tools(const UiState& ui, ToolsUse use) { return ui.pending_tools && ui.pending_tools->use == use; }

} // namespace netshape::ui
