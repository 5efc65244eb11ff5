// Sequences: embedding and the recurrent layers rnn, lstm, gru. A sequence sample is
// [seq_len, features] in both conventions.
#include "families.h"

#include "../checked.h"
#include "../text.h"

#include <limits>

namespace netshape::layers {

// --------------------------------------------------------------------------------------------
// [SECTION] embedding
// PyTorch Embedding(num_embeddings, embedding_dim) / Keras Embedding(input_dim, output_dim): a
// table of num_embeddings vectors; every index in the input becomes one. [seq_len] →
// [seq_len, embedding_dim]; params = num_embeddings·embedding_dim. A lookup is not a MAC.
// --------------------------------------------------------------------------------------------

static LayerOutput embedding_rule(const LayerContext& context) {
    const int64_t rows = context.fields.integer("num_embeddings");
    const int64_t dim = context.fields.integer("embedding_dim");
    if (context.fields.given("padding_idx")) {
        const int64_t padding_idx = context.fields.integer("padding_idx");
        if (padding_idx >= rows || padding_idx < -rows)
            throw LayerError("padding_idx",
                             cat("padding_idx=", padding_idx, " is not a row of the table (", rows, " rows)"));
    }
    LayerOutput out;
    out.shape = context.input;
    out.shape.push_back(dim);
    out.explain.push_back(cat("every one of the ", join_product(context.input), " indices becomes a vector of ", dim));
    out.add_weight(context.channels_last() ? "embeddings" : "weight", {rows, dim});
    out.explain_params(cat(context.field_word("num_embeddings"), "·", context.field_word("embedding_dim"), " (a row per index)"),
                       cat(rows, "·", dim), "");
    out.no_macs("a table lookup multiplies nothing");
    return out;
}

LayerKind embedding() {
    return LayerKind{
        .type = "embedding",
        .pytorch_class = "Embedding",
        .keras_class = "Embedding",
        .category = "Sequence",
        .doc = "A learned vector for every token index; the input holds indices.",
        .fields =
            {
                {.name = "num_embeddings",
                 .type = FieldType::integer,
                 .doc = "vocabulary size (rows)",
                 .required = true},
                {.name = "embedding_dim", .type = FieldType::integer, .doc = "vector size", .required = true},
                {.name = "padding_idx",
                 .type = FieldType::integer,
                 .doc = "a row kept at zero; no effect on counts",
                 .minimum = std::numeric_limits<int64_t>::min()},
            },
        .rule = embedding_rule,
    };
}

// --------------------------------------------------------------------------------------------
// [SECTION] recurrent layers
// A cell has g gate blocks (rnn 1, gru 3, lstm 4) of hidden_size H. Per layer and direction:
//   PyTorch: weight_ih [g·H, in], weight_hh [g·H, H], bias_ih [g·H], bias_hh [g·H] — two bias
//     vectors; lstm with proj_size P: weight_hh [4H, P] and weight_hr [P, H], output size P.
//   Keras:   kernel [in, g·H], recurrent_kernel [H, g·H], bias [g·H] — one bias vector, except
//     GRU with reset_after (Keras's default): bias [2, 3H].
// `in` is the features for the first layer and D·H_out for the next (D = 2 when bidirectional).
// Output: [seq_len, D·H_out] with return_sequences (PyTorch's output; the default under pytorch),
// [D·H_out] for the last step only (Keras's default).
// MACs: the matrix products of every step: seq_len·D·Σ g·H·(in + H_out) (+ H·P for projections).
// --------------------------------------------------------------------------------------------

struct Recurrent {
    std::string_view type;
    int64_t gates;
};

static LayerOutput recurrent(const LayerContext& context, Recurrent cell) {
    const Fields& fields = context.fields;
    if (context.input.size() != 2)
        throw LayerError(
            "", cat(cell.type, " expects a [seq_len, features] sample; received ", format_shape(context.input)));
    const bool keras = context.convention == Convention::keras;
    const int64_t steps = context.input[0];
    const int64_t features = context.input[1];
    context.check_declared_size("input_size", features, "features");
    const int64_t hidden = fields.integer("hidden_size");
    const int64_t layers = fields.integer("num_layers");
    const int64_t directions = fields.boolean("bidirectional") ? 2 : 1;
    const bool bias = fields.boolean("bias");
    const int64_t projection = cell.gates == 4 ? fields.integer("proj_size") : 0;
    if (projection >= hidden)
        throw LayerError("proj_size", cat("proj_size must be smaller than hidden_size; received proj_size=", projection,
                                          ", hidden_size=", hidden));
    if (keras && projection > 0) throw LayerError("proj_size", "proj_size exists only in PyTorch's LSTM");
    const bool reset_after = cell.gates == 3 && fields.boolean("reset_after");
    if (!keras && cell.gates == 3 && fields.given("reset_after") && !reset_after)
        throw LayerError("reset_after", "PyTorch's GRU always applies the reset gate after the product "
                                        "(reset_after=true); reset_after=false is Keras's other variant");
    const bool sequences = fields.given("return_sequences") ? fields.boolean("return_sequences") : !keras;

    const int64_t out_size = projection > 0 ? projection : hidden;
    const int64_t block = checked_mul(cell.gates, hidden);
    LayerOutput out;
    int64_t macs = 0;
    int64_t in = features;
    for (int64_t layer = 0; layer < layers; ++layer) {
        for (int64_t direction = 0; direction < directions; ++direction) {
            const std::string suffix = cat("_l", layer, direction == 1 ? "_reverse" : "");
            if (keras) {
                const std::string prefix = cat(directions == 2 ? (direction ? "backward_" : "forward_") : "",
                                               layers > 1 ? cat("layer", layer, "_") : "");
                out.add_weight(prefix + "kernel", {in, block});
                out.add_weight(prefix + "recurrent_kernel", {hidden, block});
                if (bias) out.add_weight(prefix + "bias", reset_after ? Shape{2, block} : Shape{block});
            } else {
                out.add_weight("weight_ih" + suffix, {block, in});
                out.add_weight("weight_hh" + suffix, {block, out_size});
                if (bias) {
                    out.add_weight("bias_ih" + suffix, {block});
                    out.add_weight("bias_hh" + suffix, {block});
                }
                if (projection > 0) out.add_weight("weight_hr" + suffix, {projection, hidden});
            }
            int64_t step = checked_mul(block, checked_add(in, out_size));
            if (projection > 0) step = checked_add(step, checked_mul(hidden, projection));
            macs = checked_add(macs, checked_mul(steps, step));
        }
        in = checked_mul(directions, out_size);
    }
    const int64_t width = checked_mul(directions, out_size);
    out.shape = sequences ? Shape{steps, width} : Shape{width};
    out.explain.push_back(cat(cell.gates, " gate block", cell.gates == 1 ? "" : "s", " of H = ", hidden,
                              directions == 2 ? "; both directions" : "",
                              layers > 1 ? cat("; ", layers, " layers") : "",
                              sequences ? "; every step's output" : "; the last step's output"));
    const std::string biases = !bias ? "" : keras ? (reset_after ? " + 2" : " + 1") : " + 2";
    const std::string first = cat(cell.gates, "·", hidden, "·(", features, " + ", out_size, biases, ")");
    std::string formula = directions == 2 ? cat("2·", first) : first;
    if (layers > 1)
        formula += cat(" + ", layers - 1, "·", directions == 2 ? "2·" : "", cell.gates, "·", hidden, "·(",
                       directions * out_size, " + ", out_size, biases, ")");
    if (projection > 0) formula += cat(" + ", layers * directions, "·", projection, "·", hidden);
    out.explain_params(formula);
    out.set_macs(macs, cat(steps, " steps of the gate products"));
    out.mixes_all_positions = true;
    return out;
}

static LayerOutput rnn_rule(const LayerContext& context) { return recurrent(context, {"rnn", 1}); }
static LayerOutput gru_rule(const LayerContext& context) { return recurrent(context, {"gru", 3}); }
static LayerOutput lstm_rule(const LayerContext& context) { return recurrent(context, {"lstm", 4}); }

static LayerKind recurrent_kind(std::string_view type, std::string_view pytorch_class, std::string_view keras_class,
                                std::string_view doc, LayerRule rule) {
    LayerKind kind{
        .type = type,
        .pytorch_class = pytorch_class,
        .keras_class = keras_class,
        .category = "Sequence",
        .doc = doc,
        .fields =
            {
                {.name = "hidden_size", .type = FieldType::integer, .doc = "units of the state", .required = true, .keras_name = "units"},
                {.name = "num_layers",
                 .type = FieldType::integer,
                 .doc = "stacked layers",
                 .default_value = int64_t{1}},
                {.name = "bidirectional",
                 .type = FieldType::boolean,
                 .doc = "run both ways, concatenated",
                 .default_value = false},
                {.name = "bias", .type = FieldType::boolean, .doc = "learn bias vectors", .default_value = true, .keras_name = "use_bias"},
                {.name = "return_sequences",
                 .type = FieldType::boolean,
                 .doc = "output every step (true) or the last (false)",
                 .default_text = "true under pytorch, false under keras"},
                {.name = "input_size", .type = FieldType::integer, .doc = "optional; checked against the features"},
                {.name = "dropout",
                 .type = FieldType::number,
                 .doc = "between layers; no effect on counts",
                 .default_value = 0.0},
                {.name = "batch_first",
                 .type = FieldType::boolean,
                 .doc = "PyTorch layout option; no effect here",
                 .default_value = false},
            },
        .rule = rule,
    };
    return kind;
}

LayerKind rnn() {
    return recurrent_kind("rnn", "RNN", "SimpleRNN", "Elman recurrent layer: h = tanh(W·x + U·h + b).", rnn_rule);
}

LayerKind lstm() {
    LayerKind kind = recurrent_kind("lstm", "LSTM", "LSTM", "Long short-term memory: four gate blocks.", lstm_rule);
    kind.fields.push_back({.name = "proj_size",
                           .type = FieldType::integer,
                           .doc = "PyTorch: project the state to this size (0: none)",
                           .default_value = int64_t{0},
                           .minimum = 0});
    return kind;
}

LayerKind gru() {
    LayerKind kind = recurrent_kind("gru", "GRU", "GRU", "Gated recurrent unit: three gate blocks.", gru_rule);
    kind.fields.push_back({.name = "reset_after",
                           .type = FieldType::boolean,
                           .doc = "Keras: two bias vectors (its default); false: one",
                           .default_value = true});
    return kind;
}

} // namespace netshape::layers
