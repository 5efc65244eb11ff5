#include "link_blocks.h"

#include "limits.h"
#include "link_text.h"
#include "text.h"

#include <algorithm>

namespace netshape {

bool is_block_name(std::string_view text) {
    if (text.empty() || !((text[0] >= 'a' && text[0] <= 'z') || (text[0] >= 'A' && text[0] <= 'Z'))) return false;
    for (char c : text)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

std::string compact_block_body(std::string_view body) {
    std::string out;
    bool quoted = false;
    for (char c : body) {
        if (c == '\'') quoted = !quoted;
        if (!quoted && (c == ' ' || c == '\n' || c == '\r' || c == '\t')) continue;
        out += c;
    }
    return out;
}

std::string block_definition_text(const BlockDefinition& block) {
    return cat(block.name, "(", join(block.parameters, ","), ")=(", block.body, ")");
}

std::vector<BlockUse> well_formed_block_uses(const Architecture& architecture) {
    std::unordered_map<std::string, size_t> parameters;
    for (const BlockDefinition& block : architecture.blocks)
        parameters.emplace(block.name, block.parameters.size());
    std::vector<BlockUse> uses;
    size_t next_free = 0;
    for (const BlockUse& use : architecture.block_uses) {
        auto block = parameters.find(use.block);
        const bool fits = use.first_layer >= next_free && use.layer_count >= 1 &&
                          use.layer_count <= architecture.layers.size() &&
                          use.first_layer <= architecture.layers.size() - use.layer_count;
        if (!fits || block == parameters.end() || block->second != use.arguments.size()) continue;
        uses.push_back(use);
        next_free = use.first_layer + use.layer_count;
    }
    return uses;
}

bool same_layer(const LayerSpec& a, const LayerSpec& b) {
    if (a.type != b.type || a.name != b.name || a.activation != b.activation || a.inputs != b.inputs ||
        a.shares != b.shares || a.fields.size() != b.fields.size())
        return false;
    // In any order: the writer writes a layer's fields in its kind's order, whatever order they
    // were written in (no field is given twice: both readers refuse it).
    for (const auto& field : a.fields)
        if (std::find(b.fields.begin(), b.fields.end(), field) == b.fields.end()) return false;
    return true;
}

std::vector<size_t> disagreeing_block_uses(const std::vector<BlockUse>& uses, const std::vector<LayerSpec>& written,
                                           const std::vector<LayerSpec>& read_back) {
    size_t first_difference = 0;
    while (first_difference < written.size() && first_difference < read_back.size() &&
           same_layer(written[first_difference], read_back[first_difference]))
        ++first_difference;
    if (first_difference == written.size() && written.size() == read_back.size()) return {};
    // Every use from the first difference on: a use that wrote too many or too few layers moves
    // all that follow it.
    std::vector<size_t> disagreeing;
    for (size_t u = 0; u < uses.size(); ++u)
        if (uses[u].first_layer + uses[u].layer_count > first_difference) disagreeing.push_back(u);
    if (disagreeing.empty()) // the difference is outside every use: none can be trusted
        for (size_t u = 0; u < uses.size(); ++u)
            disagreeing.push_back(u);
    return disagreeing;
}

std::optional<ReadError> block_definitions_problem(const std::vector<BlockDefinition>& blocks) {
    std::string text(kLinkTextPrefix);
    std::vector<size_t> starts; // the column (1-based) where each definition's text starts
    for (const BlockDefinition& block : blocks) {
        text += ";";
        starts.push_back(text.size() + 1);
        if (!is_block_name(block.name))
            return ReadError{.message = cat("blocks[", starts.size() - 1, "].name: '", block.name,
                                            "' is not a block name (letters, digits and _, starting with a letter)"),
                             .where = cat("blocks[", starts.size() - 1, "].name")};
        text += block_definition_text(block);
    }
    const TextReadResult read = read_architecture_text(text);
    if (!read.error) return std::nullopt;
    size_t index = 0;
    while (index + 1 < starts.size() && starts[index + 1] <= read.error->column)
        ++index;
    const std::string where = cat("blocks[", index, "]");
    if (starts.empty()) return ReadError{.message = read.error->message, .where = "blocks"};
    const size_t column = read.error->column >= starts[index] ? read.error->column - starts[index] + 1 : 1;
    return ReadError{.message = cat(where, ", column ", column, " of ", blocks[index].name, "'s definition: ",
                                    read.error->message),
                     .where = where};
}

// --------------------------------------------------------------------------------------------
// BlockExpansion
// --------------------------------------------------------------------------------------------

void BlockExpansion::begin_check(const BlockDefinition& block, size_t defined_at) {
    Frame frame;
    frame.block = &block;
    frame.checking = true;
    frame.use_at = defined_at;
    frames_.push_back(std::move(frame));
}

void BlockExpansion::begin_use(const BlockDefinition& block, std::vector<FieldValue> arguments,
                               const std::string& use_name, size_t use_at, size_t first_layer) {
    Frame frame;
    frame.block = &block;
    frame.arguments = std::move(arguments);
    frame.use_at = use_at;
    frame.first_layer = first_layer;
    if (use_name.empty()) {
        frame.prefix = cat(block.name, ".", ++unnamed_uses_[block.name]);
    } else {
        // A named use inside a body is one of that body's names too.
        frame.use_name = layer_name(use_name);
        frame.prefix = frame.use_name;
    }
    frames_.push_back(std::move(frame));
}

void BlockExpansion::end(std::vector<LayerSpec>& layers) {
    Frame frame = std::move(frames_.back());
    frames_.pop_back();
    if (frame.checking) return;
    if (!frame.use_name.empty() && layers.size() > frame.first_layer) {
        LayerSpec& last = layers.back();
        for (auto& [local, given] : frame.locals)
            if (given == last.name && !last.name.empty()) given = frame.use_name;
        last.name = frame.use_name;
    }
    if (frame.locals.empty()) return;
    auto rename = [&](std::string& reference) {
        auto it = frame.locals.find(reference);
        if (it != frame.locals.end()) reference = it->second;
    };
    for (size_t i = frame.first_layer; i < layers.size(); ++i) {
        for (std::string& input : layers[i].inputs)
            rename(input);
        rename(layers[i].shares);
    }
}

bool BlockExpansion::is_parameter(std::string_view word) const {
    if (frames_.empty()) return false;
    for (const std::string& parameter : frames_.back().block->parameters)
        if (parameter == word) return true;
    return false;
}

const FieldValue* BlockExpansion::argument(std::string_view word) const {
    if (frames_.empty() || frames_.back().checking) return nullptr;
    const Frame& frame = frames_.back();
    for (size_t i = 0; i < frame.block->parameters.size(); ++i)
        if (frame.block->parameters[i] == word) return &frame.arguments[i];
    return nullptr;
}

std::string BlockExpansion::layer_name(const std::string& local) {
    if (frames_.empty() || frames_.back().checking) return local;
    Frame& frame = frames_.back();
    std::string given = cat(frame.prefix, ".", local);
    frame.locals[local] = given;
    return given;
}

bool BlockExpansion::charge(size_t bytes) {
    expanded_bytes_ += bytes;
    return expanded_bytes_ <= kMaxBlockExpansionBytes;
}

} // namespace netshape
