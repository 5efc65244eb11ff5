// Blocks with parameters in the link text: a block is defined once, in the header, and used by
// name with arguments as often as the network needs it.
//
//   ns1;3x32x32;cbr(c,s)=(conv2d(c,3,stride=s,padding=1,bias=false)/batchnorm2d/relu)
//      /cbr(32,1)/cbr(64,2)/cbr(64,1)/flatten/linear(10)
//
// - A definition is a header item name(parameters)=(elements). Names of blocks and parameters
//   are letters, digits and '_' starting with a letter; a block is not named like a layer type.
// - In the body, a parameter's name stands for its argument where a value goes: a field's value
//   (written without a name or as name=value), a repeat count (n*(…)) and a fused activation
//   (+f). 'same' in quotes is the word itself even when a parameter is called same.
// - A body uses only blocks defined before it, so no definition is recursive; uses nest at most
//   kMaxBlockNesting deep and read at most kMaxBlockExpansionBytes of text in all (limits.h).
// - A use reads the layer before it, as a layer does; @-k counts layers of the expanded list, so
//   a body may reach the layer before the use (a residual's input).
// - A layer named x in a body is named after its use: "mb.2.x" in the second unnamed use of mb,
//   "s1.x" in s1=mb(…), where the last layer is named "s1" itself. @x in the body is the use's own.
//
// The writer writes a use again only while the layers it covers are what it expands to (an edit
// of its layers turns it back into them), so the text always says the same network. Edits of the
// layer list keep the uses they leave whole (keep_block_uses).
#pragma once

#include "architecture.h"
#include "json_format.h"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace netshape {

// Letters, digits and '_', starting with a letter: "mb", "inception_a", "c2".
bool is_block_name(std::string_view text);

// The body as the architecture keeps it: white space outside quotes removed.
std::string compact_block_body(std::string_view body);

// "mb(c,k,s)=(conv2d(c,k,stride=s)/relu)" — the header item, without the ';'.
std::string block_definition_text(const BlockDefinition& block);

// The uses the writer may try: in layer order, not overlapping, inside the layers, of a defined
// block with one argument per parameter. Others are left out (their layers are written).
std::vector<BlockUse> well_formed_block_uses(const Architecture& architecture);

// The same type, name, inputs, shares, activation and fields (in any order: the link text writes
// them in the kind's order).
bool same_layer(const LayerSpec& a, const LayerSpec& b);

// The uses that cannot be trusted when `read_back` (the text written with `uses`, read again)
// differs from `written`: none when the two agree; with as many layers, the uses holding a layer
// that differs (every use when a layer outside them differs); otherwise every use from the first
// difference on.
std::vector<size_t> disagreeing_block_uses(const std::vector<BlockUse>& uses, const std::vector<LayerSpec>& written,
                                           const std::vector<LayerSpec>& read_back);

// The uses the link text writer writes (link_text.cpp): those whose layers are still what they
// expand to. The JSON reader keeps only these, so that a design read from either form holds the
// uses its link text says.
std::vector<BlockUse> block_uses_written(const Architecture& architecture);

// How an edit of the layer list moved the layers: where each layer of the design before the
// edit is after it (nullopt: removed), and which layers it changed in place (fields, name, inputs).
struct LayerListEdit {
    std::vector<std::optional<size_t>> moved_to; // per layer before the edit
    std::vector<bool> changed;                   // per layer before the edit

    static LayerListEdit none(size_t layer_count); // references or names elsewhere changed
    static LayerListEdit inserted(size_t layer_count, size_t at, size_t count);
    static LayerListEdit erased(size_t layer_count, size_t at);
    // Layer `from` taken out and put back at `to` (an index in the list after the edit).
    static LayerListEdit moved(size_t layer_count, size_t from, size_t to);
    static LayerListEdit changed_layer(size_t layer_count, size_t at);
};

// Sets after.block_uses to the uses of `before` that `edit` left whole, at the positions their
// layers have after it: a use with a layer changed, removed or moved out, or another layer put
// between its layers, is left out (the link text writes its layers instead). Names the edit wrote
// into a kept use's layers so that references survive it (app::pin_referenced_names) are taken out
// again, with every reference to them renamed, so that its layers are what the use expands to and
// the design is the one its link text reads back as.
void keep_block_uses(const Architecture& before, Architecture& after, const LayerListEdit& edit);

// Leaves out the use that covers `layer` (an edit of that layer in place: a field, an activation).
void detach_block_use_at(Architecture& architecture, size_t layer);

// A JSON design's block definitions, read as the link text's header would read them: the first
// problem, with where = "blocks[i]…", or nullopt.
std::optional<ReadError> block_definitions_problem(const std::vector<BlockDefinition>& blocks);

// What the link text reader knows of the uses being expanded: the arguments of the innermost one,
// the names its layers get and the text it has read again.
class BlockExpansion {
public:
    struct Frame {
        const BlockDefinition* block = nullptr;
        std::vector<FieldValue> arguments; // empty while a definition is checked
        bool checking = false;             // reading a definition's body once, expanding nothing
        size_t use_at = 0;                 // where the use (or the definition) is written
        std::string prefix;                // "mb.2" or "s1"
        std::string use_name;              // "s1" for s1=mb(…)
        size_t first_layer = 0;
        std::unordered_map<std::string, std::string> locals; // x → mb.2.x
    };

    bool active() const { return !frames_.empty(); }
    const Frame& innermost() const { return frames_.back(); }
    size_t depth() const { return frames_.size(); }

    // A definition's body, read once to check it, with parameters standing for themselves.
    void begin_check(const BlockDefinition& block, size_t defined_at);
    // A use of `block` whose layers start at `first_layer`; `use_name` is "" when unnamed.
    void begin_use(const BlockDefinition& block, std::vector<FieldValue> arguments, const std::string& use_name,
                   size_t use_at, size_t first_layer);
    // Ends the innermost frame: its last layer takes the use's name, and references to the
    // body's own names in layers [first_layer, end) take the names given to those layers.
    void end(std::vector<LayerSpec>& layers);

    // True when `word` is a parameter of the innermost block.
    bool is_parameter(std::string_view word) const;
    // The argument a parameter stands for, or nullptr (not a parameter, or a definition checked).
    const FieldValue* argument(std::string_view word) const;
    // The name a layer named `local` in the innermost body gets; `local` itself outside blocks.
    std::string layer_name(const std::string& local);

    // Counts text read again; false once past kMaxBlockExpansionBytes.
    bool charge(size_t bytes);

private:
    std::vector<Frame> frames_;
    std::unordered_map<std::string, size_t> unnamed_uses_; // per block, for "mb.2"
    size_t expanded_bytes_ = 0;
};

} // namespace netshape
