// What a layer kind is: one local record that holds everything the engine knows about it.
//
//   fields  — names, types, defaults, limits and docs (the JSON reader, the CLI's catalog and
//             later the UI's widgets all read them from here)
//   rule    — the shape rule, with the framework's documented formula above it; it declares
//             the weights by shape (parameter counts follow from them, per convention) and
//             writes the explanation lines with the numbers substituted.
//
// Every kind is registered in the one explicit list in catalog.cpp.
#pragma once

#include "architecture.h"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace netshape {

// --------------------------------------------------------------------------------------------
// Fields
// --------------------------------------------------------------------------------------------

enum class FieldType {
    integer, // one integer ≥ minimum
    sizes,   // an integer, or a list with one integer ≥ minimum per spatial dimension
    padding, // sizes (≥ 0), or "valid", or "same"
    boolean,
    number, // a real number in [number_min, number_max]
    choice, // one of `choices`
};

std::string_view field_type_name(FieldType type);

struct FieldSpec {
    std::string_view name;
    FieldType type;
    std::string_view doc;
    FieldValue default_value{};      // monostate: required, or derived by the rule (default_text)
    std::string_view default_text{}; // how the catalog shows a derived default ("kernel_size")
    bool required = false;
    bool positional = false; // written without its name in the link text (required fields are too)
    int64_t minimum = 1;     // integer and sizes
    double number_min = 0.0; // number
    double number_max = 1.0;
    std::vector<std::string_view> choices{};
    std::string_view keras_name{}; // what Keras's layer calls it, where that differs: filters, units, strides

    // The name a person reads under `convention` (the JSON and the link text keep `name`).
    std::string_view name_in(Convention convention) const {
        return convention == Convention::keras && !keras_name.empty() ? keras_name : name;
    }
};

struct LayerKind;

// An error in one layer. The analysis adds the layer's index and name to the message.
struct LayerError : std::runtime_error {
    LayerError(std::string field_name, const std::string& message)
        : std::runtime_error(message), field(std::move(field_name)) {}
    std::string field; // the field at fault, or empty
};

struct Padding {
    enum class Mode { explicit_amounts, valid, same };
    Mode mode = Mode::explicit_amounts;
    std::vector<int64_t> amounts; // per spatial dimension, for explicit_amounts
};

// A layer's fields checked against its kind: unknown names and wrong types are refused at
// construction (with the nearest known name suggested); the getters apply the defaults.
class Fields {
public:
    Fields(const LayerKind& kind, const LayerSpec& spec);

    bool given(std::string_view name) const;
    int64_t integer(std::string_view name) const;
    std::optional<int64_t> optional_integer(std::string_view name) const;
    std::vector<int64_t> sizes(std::string_view name, size_t spatial_rank) const;
    std::vector<int64_t> list(std::string_view name) const; // an integer is a list of one
    Padding padding(std::string_view name, size_t spatial_rank) const;
    bool boolean(std::string_view name) const;
    double number(std::string_view name) const;
    std::string choice(std::string_view name) const;

private:
    const FieldSpec& spec_of(std::string_view name) const;
    const FieldValue& value_of(std::string_view name) const; // given, else the default

    const LayerKind& kind_;
    const LayerSpec& layer_;
};

// --------------------------------------------------------------------------------------------
// What a rule returns
// --------------------------------------------------------------------------------------------

enum class WeightRole {
    trainable,     // learnable parameter
    non_trainable, // a parameter the optimizer does not update (Keras's moving statistics)
    buffer,        // state that is not a parameter at all (PyTorch's running statistics)
};

struct Weight {
    std::string name;
    Shape shape;
    WeightRole role = WeightRole::trainable;
};

int64_t element_count(const Shape& shape); // checked; [] (a scalar) has 1 element

// A recurrent layer's final state, which the framework returns beside the output (PyTorch's h_n
// and c_n, Keras's return_state=True). The recurrent kinds declare theirs; an rnn_state layer
// reading the recurrent layer takes one (a layer has one output, as chunk has one piece).
struct RecurrentState {
    std::string which;   // "h", or "c" (an LSTM's cell state)
    Shape shape;         // one sample's, without the batch
    std::string formula; // the working of the shape: "[D·num_layers, H_out] = [1·1, 256]"
    std::string refused; // why this state cannot be read under the convention, or empty
};

struct LayerOutput {
    // Most kinds write a handful of lines: one allocation instead of one per growth (the analysis
    // of a long network is bound by allocations).
    LayerOutput() { explain.reserve(8); }

    Shape shape;
    std::vector<Weight> weights;
    std::vector<std::string> explain;

    void add_weight(std::string name, Shape weight_shape, WeightRole role = WeightRole::trainable);
    // Adds "params = <formula> = <total of the declared parameters>". The total is computed from
    // the weights, so the line can never show a number the counts disagree with.
    void explain_params(const std::string& formula);
    // The same in three lines — the formula in named symbols, with the values, the result — and
    // a line saying where each value comes from:
    //   params = (k_h·k_w·C_in + 1 bias)·C_out
    //          = (3·3·32 + 1)·32
    //          = 9,248
    //   where C_in = 32 input channels (the output of maxpool1), C_out = out_channels = 32 filters
    void explain_params(const std::string& symbols, const std::string& values, const std::string& where);

    // Multiply-accumulates of one sample's forward pass, counted as fvcore and torchvision's
    // published GFLOPS figures count them: the products in convolutions, matrix products and
    // recurrent cells; bias adds, normalisation, activations and pooling are not counted.
    // nullopt means the kind has no MAC rule: reported as "n/a", never as a silent 0.
    std::optional<int64_t> macs;
    // Sets macs and adds "MACs = <formula> = <value>".
    void set_macs(int64_t value, const std::string& formula);
    // For kinds whose work the convention does not count: MACs = 0, with the reason.
    void no_macs(std::string_view reason);

    // How output positions relate to input positions, for the receptive field (receptive_field.h).
    // Sliding windows set `window` (slide_window does it) over the convention's spatial axes;
    // kinds whose every output sees the whole input (flatten, global pooling, attention,
    // recurrent layers) set mixes_all_positions; `permutation` moves axes; `mixed_axes` lists the
    // output axes along which every value reads all positions (a linear layer's last axis, a
    // normalisation's axes). Others that keep the shape map each position to itself; the rest
    // end the tracking (n/a).
    struct WindowStep {
        std::vector<int64_t> kernel, stride, dilation, pad_before;
    };
    std::optional<WindowStep> window;
    bool mixes_all_positions = false;
    // Each output position reads only the same position of the input, though the size of the
    // channel axis changes (a piece of the channels).
    bool per_position = false;
    // Output axis i is input axis permutation[i] (permute); empty: the axes stay where they are.
    std::vector<size_t> permutation;
    // Output axes along which each value depends on every position: the rank is kept and all
    // other axes map each position to itself.
    std::vector<size_t> mixed_axes;

    // What the shapes show that is likely a slip, though the framework accepts it (input rows a
    // window never reads): the analysis lists them as warnings, and the working ends with them.
    std::vector<std::string> warnings;

    // A recurrent layer's final states (h, then c for an LSTM), for rnn_state layers to read.
    std::vector<RecurrentState> states;
};

// The working leaves out the terms at their defaults (padding 0, stride 1, dilation 1) and adds
// the formula in full on a line of its own, starting with this: readers show it on request.
inline constexpr std::string_view kFullFormulaPrefix = "full formula: ";
inline bool is_full_formula_line(std::string_view line) { return line.starts_with(kFullFormulaPrefix); }

// Three lines of working and a "where" line (see LayerOutput::explain_params): `quantity` is what
// is computed ("params", "H_out"), `result` its value as the table writes it ("9,248").
void explain_worked(std::string_view quantity, const std::string& symbols, const std::string& values,
                    const std::string& result, const std::string& where, std::vector<std::string>& explain);

// --------------------------------------------------------------------------------------------
// The kind record
// --------------------------------------------------------------------------------------------

struct LayerContext {
    const Shape& input; // the first (for most kinds, the only) input
    Convention convention;
    const Fields& fields;
    const LayerKind& kind;
    const std::vector<Shape>& inputs; // all inputs, for kinds that merge several
    // Where the first input comes from, for the working ("H_in = 12, the output of maxpool1"):
    // a layer's name, or empty for the model input.
    std::string_view input_layer = {};
    // The final states of the layer the first input comes from, when that is a recurrent layer.
    const std::vector<RecurrentState>* input_states = nullptr;

    // "the output of maxpool1", or "the model input".
    std::string input_source() const;

    bool channels_last() const { return convention == Convention::keras; }
    // Where the channel axis is in a sample of this rank under the convention.
    size_t channel_axis() const { return channels_last() ? input.size() - 1 : 0; }
    // The sample's spatial sizes (all dimensions but the channel axis).
    Shape spatial() const;
    // The indices of those dimensions in the sample.
    std::vector<size_t> spatial_axes() const;
    // Puts a channel count and spatial sizes together in the convention's layout.
    Shape with_channels(int64_t channels, const Shape& spatial_sizes) const;
    // "[C, H, W]" or "[H, W, C]" for a sample with `spatial_rank` spatial dimensions.
    std::string layout_text(size_t spatial_rank) const;

    // The kind's spatial rank, or for the rank-generic kinds (conv, maxpool, …: spatial_rank 0)
    // the sample's rank less the channel axis, at least 1.
    size_t spatial_rank() const;
    // Throws unless the sample is channels plus `spatial_rank` spatial dimensions.
    void require_channels_and_spatial(size_t spatial_rank) const;
    // Throws when the optional field `field_name` was given and disagrees with `inferred`
    // (PyTorch's in_channels / in_features / num_features, checked against the input).
    void check_declared_size(std::string_view field_name, int64_t inferred, std::string_view what) const;
    // A sample axis as written in the field `field_name` (Python's way: 0…rank−1, or −1 for the
    // last), as an index into the input; throws naming the field when it is out of range.
    size_t sample_axis(std::string_view field_name, int64_t written) const;
    // A field's name in the convention's words, for explanations ("filters" under Keras).
    std::string_view field_word(std::string_view field_name) const;
};

using LayerRule = LayerOutput (*)(const LayerContext&);

struct LayerKind {
    std::string_view type;          // the name in JSON: "conv2d"
    std::string_view pytorch_class; // "Conv2d", shown in the summary under pytorch
    std::string_view keras_class;   // "Conv2D", shown under keras
    std::string_view category;      // groups the catalog: "Convolution", "Pooling", …
    std::string_view doc;
    size_t spatial_rank = 0; // 1, 2, 3 for the …1d/2d/3d families; 0 for rank-generic or non-spatial kinds
    size_t min_inputs = 1;   // merge kinds (add, concat, …) take 2 or more
    size_t max_inputs = 1;
    // For kinds whose framework layer keeps the rank of its first input (Keras's InputSpec(ndim=…)
    // set in build(); PyTorch's BatchNorm2d taking 4-D batches only): whether a layer sharing it,
    // built on `first`, may be called on `again`. Null: any input its weights fit.
    bool (*call_fits)(const Shape& first, const Shape& again, Convention convention) = nullptr;
    std::vector<FieldSpec> fields;
    LayerRule rule = nullptr;

    const FieldSpec* find_field(std::string_view name) const;
    std::string_view class_name(Convention convention) const {
        return convention == Convention::keras ? keras_class : pytorch_class;
    }
};

// Fields every layer may carry besides its kind's own.
inline constexpr std::string_view kCommonFieldNames[] = {"type", "name", "activation", "inputs", "shares"};

} // namespace netshape
