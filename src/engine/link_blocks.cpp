#include "link_blocks.h"

#include "analysis.h"
#include "limits.h"
#include "link_text.h"
#include "text.h"

#include <algorithm>
#include <unordered_set>

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
    std::vector<size_t> disagreeing;
    if (written.size() == read_back.size()) {
        // As many layers: each layer is where it was written, so only the uses whose own layers
        // differ are wrong (a detached use before them moves nothing).
        bool outside_every_use = false;
        size_t u = 0;
        for (size_t i = first_difference; i < written.size(); ++i) {
            if (same_layer(written[i], read_back[i])) continue;
            while (u < uses.size() && uses[u].first_layer + uses[u].layer_count <= i) ++u;
            if (u < uses.size() && uses[u].first_layer <= i) {
                if (disagreeing.empty() || disagreeing.back() != u) disagreeing.push_back(u);
            } else {
                outside_every_use = true;
            }
        }
        if (!outside_every_use) return disagreeing;
        disagreeing.clear();
    }
    // Every use from the first difference on: a use that wrote too many or too few layers moves
    // all that follow it.
    for (size_t u = 0; u < uses.size(); ++u)
        if (uses[u].first_layer + uses[u].layer_count > first_difference) disagreeing.push_back(u);
    if (disagreeing.empty()) // the difference is outside every use: none can be trusted
        for (size_t u = 0; u < uses.size(); ++u)
            disagreeing.push_back(u);
    return disagreeing;
}

LayerListEdit LayerListEdit::none(size_t layer_count) {
    LayerListEdit edit;
    edit.moved_to.reserve(layer_count);
    for (size_t i = 0; i < layer_count; ++i) edit.moved_to.emplace_back(i);
    edit.changed.assign(layer_count, false);
    return edit;
}

LayerListEdit LayerListEdit::inserted(size_t layer_count, size_t at, size_t count) {
    LayerListEdit edit = none(layer_count);
    for (size_t i = at; i < layer_count; ++i) edit.moved_to[i] = i + count;
    return edit;
}

LayerListEdit LayerListEdit::erased(size_t layer_count, size_t at) {
    LayerListEdit edit = none(layer_count);
    if (at >= layer_count) return edit;
    edit.moved_to[at].reset();
    for (size_t i = at + 1; i < layer_count; ++i) edit.moved_to[i] = i - 1;
    return edit;
}

LayerListEdit LayerListEdit::moved(size_t layer_count, size_t from, size_t to) {
    LayerListEdit edit = none(layer_count);
    if (from >= layer_count || to >= layer_count) return edit;
    for (size_t i = 0; i < layer_count; ++i) {
        if (i == from) {
            edit.moved_to[i] = to;
            continue;
        }
        const size_t without = i > from ? i - 1 : i; // its place once the moved layer is out
        edit.moved_to[i] = without >= to ? without + 1 : without;
    }
    return edit;
}

LayerListEdit LayerListEdit::changed_layer(size_t layer_count, size_t at) {
    LayerListEdit edit = none(layer_count);
    if (at < layer_count) edit.changed[at] = true;
    return edit;
}

namespace {

// Takes the names the edit pinned out of the kept uses' layers (`pinned`, indices in `after`),
// renaming every reference to them to the default names they get. False, with `after` as it was,
// when that would make a reference read another layer or input.
bool unpin_names(Architecture& after, const std::vector<size_t>& pinned) {
    if (pinned.empty()) return true;
    Architecture trial = after;
    const std::vector<std::string> old_names = layer_names(after);
    for (size_t i : pinned) trial.layers[i].name.clear();
    const std::vector<std::string> new_names = layer_names(trial);
    std::unordered_map<std::string_view, size_t> renamed; // an old pinned name → its layer
    std::unordered_set<std::string_view> given;           // the defaults they get now
    for (size_t i : pinned) {
        renamed.emplace(old_names[i], i);
        given.insert(new_names[i]);
    }
    // A default name must not be another layer's or an input's: references would read two.
    std::unordered_map<std::string_view, size_t> count;
    for (const std::string& name : new_names) ++count[name];
    for (const ModelInput& input : trial.inputs) ++count[input.name];
    for (size_t i : pinned)
        if (count[new_names[i]] != 1) return false;
    auto rename = [&](std::string& reference) {
        auto it = renamed.find(reference);
        if (it != renamed.end()) {
            reference = new_names[it->second];
            return true;
        }
        // A reference that read nothing by that name must not start reading a renamed layer.
        return !given.contains(reference);
    };
    for (LayerSpec& layer : trial.layers) {
        for (std::string& input : layer.inputs)
            if (!rename(input)) return false;
        if (!layer.shares.empty() && !rename(layer.shares)) return false;
    }
    after = std::move(trial);
    return true;
}

// Where a reference points: a layer's index, or nothing for a model input or a name nothing has.
std::optional<size_t> referenced_layer(const std::unordered_map<std::string_view, size_t>& index_of,
                                       const std::string& reference) {
    auto it = index_of.find(reference);
    return it == index_of.end() ? std::nullopt : std::optional<size_t>(it->second);
}

std::unordered_map<std::string_view, size_t> index_by_name(const std::vector<std::string>& names) {
    std::unordered_map<std::string_view, size_t> index_of;
    for (size_t i = 0; i < names.size(); ++i)
        index_of.emplace(names[i], i);
    return index_of;
}

// Whether the edit left the use's layers as they were, reading what they read: a layer inside the
// use where it moved, a layer before it at the same distance (the body says @-k), an input by the
// same name. An edit elsewhere can change them (removing a layer rewires its readers).
class UseCheck {
public:
    UseCheck(const Architecture& before, const Architecture& after, const LayerListEdit& edit)
        : before_(before), after_(after), edit_(edit), before_names_(layer_names(before)),
          after_names_(layer_names(after)), before_index_(index_by_name(before_names_)),
          after_index_(index_by_name(after_names_)) {}

    bool unchanged(const BlockUse& use, size_t new_first) const {
        for (size_t k = 0; k < use.layer_count; ++k) {
            const LayerSpec& old_layer = before_.layers[use.first_layer + k];
            const LayerSpec& new_layer = after_.layers[new_first + k];
            if (old_layer.type != new_layer.type || old_layer.activation != new_layer.activation ||
                old_layer.fields != new_layer.fields || old_layer.inputs.size() != new_layer.inputs.size() ||
                old_layer.shares.empty() != new_layer.shares.empty())
                return false;
            // mb(@a,…): the first layer reads what the use's text names, whatever the distance.
            const bool named_by_use = k == 0 && !use.inputs.empty();
            for (size_t j = 0; j < old_layer.inputs.size(); ++j)
                if (!same_reference(use, new_first, old_layer.inputs[j], new_layer.inputs[j], named_by_use))
                    return false;
            if (!old_layer.shares.empty() && !same_reference(use, new_first, old_layer.shares, new_layer.shares, false))
                return false;
        }
        return true;
    }

private:
    bool same_reference(const BlockUse& use, size_t new_first, const std::string& old_reference,
                        const std::string& new_reference, bool named_by_use) const {
        const std::optional<size_t> old_target = referenced_layer(before_index_, old_reference);
        const std::optional<size_t> new_target = referenced_layer(after_index_, new_reference);
        if (!old_target || !new_target)
            return !old_target && !new_target && (named_by_use || old_reference == new_reference);
        if (edit_.moved_to[*old_target] != new_target) return false;
        const bool inside = *old_target >= use.first_layer && *old_target < use.first_layer + use.layer_count;
        return inside || named_by_use || use.first_layer - *old_target == new_first - *new_target;
    }

    const Architecture& before_;
    const Architecture& after_;
    const LayerListEdit& edit_;
    std::vector<std::string> before_names_, after_names_;
    std::unordered_map<std::string_view, size_t> before_index_, after_index_;
};

} // namespace

void keep_block_uses(const Architecture& before, Architecture& after, const LayerListEdit& edit) {
    if (before.block_uses.empty()) {
        after.block_uses.clear();
        return;
    }
    const UseCheck check(before, after, edit);
    std::vector<BlockUse> kept;
    std::vector<size_t> pinned;      // layers of kept uses (in `after`) the edit named
    std::vector<size_t> pinned_uses; // which kept use each belongs to
    for (const BlockUse& use : before.block_uses) {
        if (use.layer_count == 0 || use.first_layer + use.layer_count > before.layers.size() ||
            before.layers.size() != edit.moved_to.size())
            continue;
        const std::optional<size_t> first = edit.moved_to[use.first_layer];
        bool whole = first.has_value();
        for (size_t k = 0; whole && k < use.layer_count; ++k) {
            const size_t old_index = use.first_layer + k;
            whole =
                !edit.changed[old_index] && edit.moved_to[old_index] == *first + k && *first + k < after.layers.size();
        }
        if (!whole || !check.unchanged(use, *first)) continue;
        BlockUse moved = use;
        moved.first_layer = *first;
        for (size_t k = 0; k < use.layer_count; ++k)
            if (before.layers[use.first_layer + k].name.empty() && !after.layers[*first + k].name.empty()) {
                pinned.push_back(*first + k);
                pinned_uses.push_back(kept.size());
            }
        kept.push_back(std::move(moved));
    }
    if (!unpin_names(after, pinned)) {
        // The names stay: the uses holding them no longer expand to their layers.
        std::vector<BlockUse> unpinned;
        for (size_t u = 0; u < kept.size(); ++u)
            if (std::find(pinned_uses.begin(), pinned_uses.end(), u) == pinned_uses.end())
                unpinned.push_back(std::move(kept[u]));
        kept = std::move(unpinned);
    }
    // mb(@a,…) writes what its first layer reads, which the edit may have renamed.
    for (BlockUse& use : kept)
        if (!use.inputs.empty()) use.inputs = after.layers[use.first_layer].inputs;
    after.block_uses = std::move(kept);
}

void detach_block_use_at(Architecture& architecture, size_t layer) {
    std::erase_if(architecture.block_uses, [&](const BlockUse& use) {
        return use.first_layer <= layer && layer - use.first_layer < use.layer_count;
    });
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
