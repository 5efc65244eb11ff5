#include "app_state.h"

#include <cctype>

namespace netshape::app {

namespace {

// How many designs undo remembers: plenty for a session, bounded for a long one. Huge designs
// (a link may hold 100,000 layers) are bounded by their layers too, so memory stays bounded.
constexpr size_t kUndoDepth = 500;
constexpr size_t kUndoLayers = 500'000;

// Shows `design`: analysis, text and hash follow it. Not an undo step by itself.
void show(AppState& state, Architecture design) {
    state.design = std::move(design);
    state.analysis = analyze(state.design);
    state.link_text = architecture_to_text(state.design); // written once per design: the hash, links, the pane
    state.text = layout_link_text(state.link_text);
    state.text_error.reset();
    state.hash_outdated = true;
    ++state.revision;
}

// Takes the design it keeps: the one shown is about to be replaced, so it is moved, not copied.
void remember(std::vector<Architecture>& stack, Architecture design) {
    stack.push_back(std::move(design));
    if (stack.size() > kUndoDepth) stack.erase(stack.begin());
    size_t layers = 0;
    for (const Architecture& kept : stack) layers += kept.layers.size();
    size_t dropped = 0;
    while (layers > kUndoLayers && stack.size() - dropped > 1) layers -= stack[dropped++].layers.size();
    stack.erase(stack.begin(), stack.begin() + static_cast<ptrdiff_t>(dropped));
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

} // namespace

AppState make_state(Architecture design) {
    AppState state;
    show(state, std::move(design));
    return state;
}

void set_design(AppState& state, Architecture design, std::string_view edit_key) {
    if (edit_key.empty() || edit_key != state.last_edit_key) remember(state.undo_stack, std::move(state.design));
    state.last_edit_key = edit_key;
    state.redo_stack.clear();
    show(state, std::move(design));
}

bool edit_text(AppState& state, std::string text) {
    TextReadResult read = read_architecture_text(text);
    if (read.error) {
        state.text = std::move(text);
        state.text_error = read.error;
        return false;
    }
    set_design(state, std::move(read.architecture), "text pane");
    // Keep what the person typed (their spacing, their order) in the pane; the hash is canonical.
    state.text = std::move(text);
    return true;
}

std::optional<ReadError> load_text(AppState& state, std::string_view text) {
    ReadResult read = read_link_text_reporting_place(text);
    if (read.error) return read.error;
    set_design(state, std::move(read.architecture));
    return std::nullopt;
}

bool load_hash(AppState& state, std::string_view hash) {
    if (!hash.empty() && hash.front() == '#') hash.remove_prefix(1);
    if (hash.empty()) return false;
    const std::string decoded = percent_decode(hash);
    TextReadResult read = read_architecture_text(decoded);
    if (read.error) {
        state.rejected_hash = decoded;
        state.hash_error = read.error;
        return false;
    }
    state.rejected_hash.clear();
    state.hash_error.reset();
    if (architecture_to_text(read.architecture) == state.link_text) return false;
    set_design(state, std::move(read.architecture));
    state.hash_outdated = false; // the hash already says this
    return true;
}

std::string current_hash(const AppState& state) { return state.link_text; }

void mark_hash_written(AppState& state) { state.hash_outdated = false; }

bool undo(AppState& state) {
    state.last_edit_key.clear();
    if (state.undo_stack.empty()) return false;
    remember(state.redo_stack, std::move(state.design));
    Architecture previous = std::move(state.undo_stack.back());
    state.undo_stack.pop_back();
    show(state, std::move(previous));
    return true;
}

bool redo(AppState& state) {
    state.last_edit_key.clear();
    if (state.redo_stack.empty()) return false;
    remember(state.undo_stack, std::move(state.design));
    Architecture next = std::move(state.redo_stack.back());
    state.redo_stack.pop_back();
    show(state, std::move(next));
    return true;
}

namespace {

// "mb(c,k)=(…": a header item that defines a block with parameters, on a line of its own.
bool starts_block_definition(std::string_view item) {
    size_t end = 0;
    while (end < item.size() && (std::isalnum(static_cast<unsigned char>(item[end])) || item[end] == '_'))
        ++end;
    return end > 0 && end < item.size() && item[end] == '(';
}

} // namespace

std::string layout_link_text(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    int depth = 0;
    bool quoted = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\'') quoted = !quoted; // titles and names in quotes: '' inside is two toggles
        if (!quoted) {
            if (c == '(') ++depth;
            if (c == ')') --depth;
            if (c == '/' && depth == 0) out += '\n';
            if (c == ';' && depth == 0 && starts_block_definition(text.substr(i + 1))) out += '\n';
        }
        out += c;
    }
    return out;
}

std::string percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            int high = hex_value(text[i + 1]), low = hex_value(text[i + 2]);
            if (high >= 0 && low >= 0) {
                out += static_cast<char>(high * 16 + low);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

} // namespace netshape::app
