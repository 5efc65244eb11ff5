// The app's state: the design a person is editing, its analysis, the text pane, the URL hash and
// the undo history. The ImGui front end draws from this and changes it only through these
// functions; the browser glue reads and writes the hash through them. It includes no ImGui,
// Emscripten or GL header, so native tests drive it without a browser.
//
// Rules it keeps:
// - The design is never lost: a text or a hash that does not parse leaves the design as it was
//   and keeps the error and the raw text for the person to fix.
// - The analysis runs once per change of the design, never per frame.
// - Every change of the design is one undo step; undo and redo restore designs exactly.
#pragma once

#include "engine/analysis.h"
#include "engine/architecture.h"
#include "engine/link_text.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netshape::app {

struct AppState {
    Architecture design;
    Analysis analysis;                   // of `design`
    std::string link_text;               // of `design`, canonical: the hash
    std::string text;                    // the text pane: the design's link text laid out, or what is being typed
    std::optional<TextError> text_error; // when `text` does not parse (the design keeps its last value)
    std::string rejected_hash;           // a hash that did not parse, kept for fixing
    std::optional<TextError> hash_error;
    bool hash_outdated = false; // the design changed since the hash was last written
    std::vector<Architecture> undo_stack;
    std::vector<Architecture> redo_stack;
    std::string last_edit_key; // see set_design
    uint64_t revision = 0;     // counts the designs shown: what depends on the analysis refreshes when it moves
};

// A state showing `design`, with empty history.
AppState make_state(Architecture design);

// Replaces the design (an edit): one undo step, the analysis re-run, the text and hash refreshed.
// Consecutive edits with the same non-empty `edit_key` (typing into one field box, key by key)
// make one undo step together, as text editors group typing.
void set_design(AppState& state, Architecture design, std::string_view edit_key = {});

// The text pane changed. A text that parses becomes the design (one undo step); one that does not
// sets text_error and leaves the design alone. Returns whether the design changed. Typing in the
// pane is one undo step until another kind of edit comes between.
bool edit_text(AppState& state, std::string text);

// A whole design arrives as link text from outside the editor (a preset, the JS API's setText;
// setText's JSON is read into link text by the tools module first, see engine/tool_request.h).
// One that reads becomes the design (one undo step); one that does not changes nothing and comes
// back as the error, with its column and caret lines.
std::optional<ReadError> load_text(AppState& state, std::string_view text);

// A hash arrived (page load, hashchange, a pasted link). Percent-escapes are decoded first, since
// browsers may escape characters a person typed. A hash that parses becomes the design; one that
// does not keeps the design and records the error and the raw text. Returns whether the design
// changed. An empty hash changes nothing.
bool load_hash(AppState& state, std::string_view hash);

// The hash to write (without '#'), and whether it needs writing; mark_hash_written after writing.
std::string current_hash(const AppState& state);
void mark_hash_written(AppState& state);

bool undo(AppState& state);
bool redo(AppState& state);

// The text pane's layout of a link text: each top-level element on its own line (the reader skips
// white space between elements; the hash keeps the one-line form).
std::string layout_link_text(std::string_view text);

// "%27" → "'"; malformed escapes are kept as they are.
std::string percent_decode(std::string_view text);

} // namespace netshape::app
