#include "limits.h"

#include "link_text.h"
#include "text.h"

namespace netshape {

namespace {

struct LimitFailure {
    std::string where;
    std::string message;
};

void check_text(std::string_view text, size_t limit, const std::string& where, std::string_view what) {
    if (text.size() > limit)
        throw LimitFailure{where, cat(where, ": ", what, " is ", with_thousands(static_cast<int64_t>(text.size())),
                                      " bytes; the limit is ", limit, " bytes")};
}

void check_shape(const Shape& shape, const std::string& where) {
    for (size_t d = 0; d < shape.size(); ++d)
        if (shape[d] > kMaxDimension)
            throw LimitFailure{cat(where, "[", d, "]"),
                               cat(where, "[", d, "]: ", with_thousands(shape[d]),
                                   " is over the limit for one dimension, 2^40 = ", with_thousands(kMaxDimension))};
}

void check_all(const Architecture& architecture) {
    check_text(architecture.name, kMaxTitleBytes, "name", "the title");
    if (architecture.inputs.size() > kMaxModelInputs)
        throw LimitFailure{"inputs", cat("inputs: the design has ", with_thousands(architecture.inputs.size()),
                                         " model inputs; the limit is ", with_thousands(kMaxModelInputs))};
    for (const ModelInput& input : architecture.inputs) {
        const std::string where = cat("inputs.", input.name.substr(0, 40));
        check_text(input.name, kMaxNameBytes, where, "the input's name");
        check_shape(input.shape, architecture.inputs.size() == 1 ? "input" : where);
    }
    if (architecture.layers.size() > kMaxLayers)
        throw LimitFailure{"layers", cat("layers: the design has ", with_thousands(architecture.layers.size()),
                                         " layers; the limit is ", with_thousands(kMaxLayers))};
    for (size_t i = 0; i < architecture.layers.size(); ++i) {
        const LayerSpec& layer = architecture.layers[i];
        const std::string where = cat("layers[", i, "]");
        check_text(layer.type, kMaxNameBytes, where + ".type", "the type");
        check_text(layer.name, kMaxNameBytes, where + ".name", "the name");
        check_text(layer.activation, kMaxNameBytes, where + ".activation", "the activation");
        check_text(layer.shares, kMaxNameBytes, where + ".shares", "the name");
        for (size_t k = 0; k < layer.inputs.size(); ++k)
            check_text(layer.inputs[k], kMaxNameBytes, cat(where, ".inputs[", k, "]"), "the name");
        for (const auto& [field, value] : layer.fields) {
            check_text(field, kMaxNameBytes, cat(where, ".", field.substr(0, 40)), "the field's name");
            if (const std::string* text = std::get_if<std::string>(&value))
                check_text(*text, kMaxNameBytes, cat(where, ".", field), "the value");
        }
    }
}

// More than the canonical link text can take, without writing it: every byte of text may take
// three characters (*HH), every number 24, every item a few separators. A design far below the
// limit (all but a hostile one) is cleared by this alone.
size_t link_text_bound(const Architecture& architecture) {
    constexpr size_t kNumber = 24, kSeparators = 8;
    auto text = [](const std::string& bytes) { return 3 * bytes.size() + kSeparators; };
    size_t bound = 16 + text(architecture.name);
    for (const ModelInput& input : architecture.inputs) bound += text(input.name) + kNumber * input.shape.size();
    for (const LayerSpec& layer : architecture.layers) {
        bound += text(layer.type) + text(layer.name) + text(layer.activation) + text(layer.shares);
        for (const std::string& input : layer.inputs) bound += text(input);
        for (const auto& [field, value] : layer.fields) {
            bound += text(field) + kNumber;
            if (const std::string* written = std::get_if<std::string>(&value)) bound += text(*written);
            if (const auto* list = std::get_if<std::vector<int64_t>>(&value)) bound += kNumber * list->size();
        }
    }
    for (const BlockDefinition& block : architecture.blocks) {
        bound += text(block.name) + text(block.body);
        for (const std::string& parameter : block.parameters) bound += text(parameter);
    }
    for (const BlockUse& use : architecture.block_uses) {
        bound += text(use.block) + text(use.name);
        for (const FieldValue& argument : use.arguments) {
            bound += kNumber;
            if (const std::string* written = std::get_if<std::string>(&argument)) bound += text(*written);
            if (const auto* list = std::get_if<std::vector<int64_t>>(&argument)) bound += kNumber * list->size();
        }
    }
    return bound;
}

} // namespace

std::optional<ReadError> limit_problem(const Architecture& architecture) {
    try {
        check_all(architecture);
    } catch (const LimitFailure& failure) {
        return ReadError{.message = failure.message, .where = failure.where};
    }
    // Last, when every part is within its limit: the link must open again.
    if (link_text_bound(architecture) <= kMaxInputBytes) return std::nullopt;
    const size_t link_bytes = architecture_to_text(architecture).size();
    if (link_bytes > kMaxInputBytes)
        return ReadError{.message = cat("the design's link text would be ", with_thousands(link_bytes),
                                        " bytes; a link holds at most ", with_thousands(kMaxInputBytes),
                                        " bytes (16 MiB), so it could not be opened again"),
                         .where = "text"};
    return std::nullopt;
}

std::optional<ReadError> input_size_problem(size_t bytes) {
    if (bytes <= kMaxInputBytes) return std::nullopt;
    // The size itself is not said: a stream (/dev/zero) is read only up to just past the limit.
    return ReadError{.message = cat("the input has more than ", with_thousands(kMaxInputBytes),
                                    " bytes (16 MiB), the limit for a design"),
                     .where = ""};
}

} // namespace netshape
