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
// Final states (what rnn_state reads; one sample's, without the batch):
//   PyTorch: h_n [D·num_layers, H_out], c_n [D·num_layers, H_cell] (H_cell = hidden_size; the
//     batched tensors are (D·num_layers, N, H): the batch is their second axis, batch_first or not).
//   Keras (return_state=True): state_h [units], state_c [units].
// Initial states, extra inputs after the sequence, have the same shapes (PyTorch's h_0 and c_0,
// given together to an LSTM; Keras's initial_state=[h, c]). They hold no weights: the counts are
// those without them.
// --------------------------------------------------------------------------------------------

struct Recurrent {
    std::string_view type;
    int64_t gates;
};

// The final states as the framework returns them (see the section's header).
static std::vector<RecurrentState> final_states(const LayerContext& context, Recurrent cell, int64_t hidden,
                                                int64_t out_size, int64_t layers, int64_t directions) {
    std::vector<RecurrentState> states;
    const bool lstm = cell.gates == 4;
    if (context.convention == Convention::keras) {
        // Keras's Bidirectional returns each direction's states apart ([output, forward_h, forward_c,
        // backward_h, backward_c]); one Keras layer has one layer of cells.
        const std::string refused =
            directions == 2 ? "Keras's Bidirectional returns each direction's states apart; netshape reads the states "
                              "of a one-way Keras layer only"
            : layers > 1    ? "a Keras recurrent layer has one layer of cells; num_layers > 1 has no Keras states"
                            : "";
        states.push_back({"h", {hidden}, cat("state_h: [units] = [", hidden, "]"), refused});
        if (lstm) states.push_back({"c", {hidden}, cat("state_c: [units] = [", hidden, "]"), refused});
        return states;
    }
    const int64_t stacked = checked_mul(directions, layers);
    states.push_back({"h",
                      {stacked, out_size},
                      cat("h_n: [D·num_layers, H_out] = [", directions, "·", layers, ", ", out_size, "]"),
                      ""});
    if (lstm)
        states.push_back({"c",
                          {stacked, hidden},
                          cat("c_n: [D·num_layers, H_cell] = [", directions, "·", layers, ", ", hidden, "]"),
                          ""});
    return states;
}

// Initial states: the inputs after the sequence, one per final state, each of its shape.
// Returns the working's line about them ("" when none is given).
static std::string check_initial_states(const LayerContext& context, Recurrent cell,
                                        const std::vector<RecurrentState>& states) {
    const size_t given = context.inputs.size() - 1;
    if (given == 0) return "";
    const bool keras = context.convention == Convention::keras;
    if (given != states.size())
        throw LayerError("inputs", cat(cell.type, " takes its sequence, or its sequence and ",
                                       states.size() == 2 ? "two initial states (h and c together, as "
                                                          : "one initial state (h, as ",
                                       keras ? "Keras's initial_state=[…]" : "PyTorch's forward(input, hx)",
                                       " takes them); received ", given, " initial state", given == 1 ? "" : "s"));
    std::vector<std::string> shapes;
    for (size_t i = 0; i < given; ++i) {
        const RecurrentState& state = states[i];
        const std::string name = keras ? cat("state_", state.which) : cat(state.which, "_0");
        if (!state.refused.empty()) throw LayerError("inputs", cat("the initial ", name, ": ", state.refused));
        const Shape& received = context.inputs[i + 1];
        if (received != state.shape)
            throw LayerError("inputs",
                             cat("the initial ", name, " (input ", i + 2, ") must be ", format_shape(state.shape),
                                 ", as ", state.formula.substr(state.formula.find(':') + 2), "; received ",
                                 format_shape(received)));
        shapes.push_back(cat(name, " ", format_shape(received)));
    }
    return cat("initial states ", join(shapes, ", "), " (inputs 2", given == 2 ? " and 3" : "",
               "): they hold no weights, so the counts are unchanged");
}

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
    out.states = final_states(context, cell, hidden, out_size, layers, directions);
    const std::string initial_states = check_initial_states(context, cell, out.states);
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
    // Each gate block has weights from the input (I) and from the previous output (H), and its
    // biases; the symbols are for the first layer and direction, which the values follow.
    const std::string bias_symbol = !bias ? "" : keras ? (reset_after ? " + 2 biases" : " + 1 bias") : " + 2 biases";
    std::string symbols = cat("gates·H·(I + H", bias_symbol, ")");
    if (directions == 2) symbols = cat("2 directions·", symbols);
    if (layers > 1) symbols += " + the same for each layer above (its I: the outputs below it)";
    if (projection > 0) symbols += " + the projections";
    out.explain_params(symbols, formula,
                       cat("gates = ", cell.gates, ", H = ", context.field_word("hidden_size"), " = ", hidden, ", I = ",
                           features, " input features (", context.input_source(), ")"));
    out.set_macs(macs, cat(steps, " steps of the gate products"));
    if (!initial_states.empty()) out.explain.push_back(initial_states);
    out.mixes_all_positions = true;
    return out;
}

static LayerOutput rnn_rule(const LayerContext& context) { return recurrent(context, {"rnn", 1}); }
static LayerOutput gru_rule(const LayerContext& context) { return recurrent(context, {"gru", 3}); }
static LayerOutput lstm_rule(const LayerContext& context) { return recurrent(context, {"lstm", 4}); }

static LayerKind recurrent_kind(std::string_view type, std::string_view pytorch_class, std::string_view keras_class,
                                std::string_view doc, LayerRule rule, size_t state_count) {
    LayerKind kind{
        .type = type,
        .pytorch_class = pytorch_class,
        .keras_class = keras_class,
        .category = "Sequence",
        .doc = doc,
        .max_inputs = 1 + state_count, // the sequence, then the initial states
        .fields =
            {
                {.name = "hidden_size",
                 .type = FieldType::integer,
                 .doc = "units of the state",
                 .required = true,
                 .keras_name = "units"},
                {.name = "num_layers",
                 .type = FieldType::integer,
                 .doc = "stacked layers",
                 .default_value = int64_t{1}},
                {.name = "bidirectional",
                 .type = FieldType::boolean,
                 .doc = "run both ways, concatenated",
                 .default_value = false},
                {.name = "bias",
                 .type = FieldType::boolean,
                 .doc = "learn bias vectors",
                 .default_value = true,
                 .keras_name = "use_bias"},
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
    return recurrent_kind("rnn", "RNN", "SimpleRNN",
                          "Elman recurrent layer: h = tanh(W·x + U·h + b); an initial state h may be a second input.",
                          rnn_rule, 1);
}

LayerKind lstm() {
    LayerKind kind = recurrent_kind(
        "lstm", "LSTM", "LSTM",
        "Long short-term memory: four gate blocks; initial states h and c may be the second and third inputs.",
        lstm_rule, 2);
    kind.fields.push_back({.name = "proj_size",
                           .type = FieldType::integer,
                           .doc = "PyTorch: project the state to this size (0: none)",
                           .default_value = int64_t{0},
                           .minimum = 0});
    return kind;
}

LayerKind gru() {
    LayerKind kind = recurrent_kind(
        "gru", "GRU", "GRU", "Gated recurrent unit: three gate blocks; an initial state h may be a second input.",
        gru_rule, 1);
    kind.fields.push_back({.name = "reset_after",
                           .type = FieldType::boolean,
                           .doc = "Keras: two bias vectors (its default); false: one",
                           .default_value = true});
    return kind;
}

// --------------------------------------------------------------------------------------------
// [SECTION] rnn_state
// A recurrent layer's final state: PyTorch's `out, (h_n, c_n) = lstm(x)` (`out, h_n = gru(x)`),
// Keras's `out, state_h, state_c = LSTM(…, return_state=True)(x)`. A layer has one output, so
// each state read is a layer of its own reading the recurrent layer itself: rnn_state(h) and
// rnn_state(c) (an LSTM's cell state). Its shape is the one the recurrent layer declares (see
// [SECTION] recurrent layers); no parameters, and reading it computes nothing.
// --------------------------------------------------------------------------------------------

static LayerOutput rnn_state_rule(const LayerContext& context) {
    const std::string which = context.fields.choice("which");
    if (!context.input_states || context.input_states->empty())
        throw LayerError("inputs", cat("rnn_state reads the final state of a recurrent layer (rnn, lstm or gru), "
                                       "which must be its input itself; it reads ",
                                       context.input_source()));
    const RecurrentState* state = nullptr;
    for (const RecurrentState& candidate : *context.input_states)
        if (candidate.which == which) state = &candidate;
    if (!state)
        throw LayerError(
            "which", cat("only an LSTM has a cell state c; ", context.input_layer, " has its hidden state h alone"));
    if (!state->refused.empty()) throw LayerError("inputs", state->refused);
    LayerOutput out;
    out.shape = state->shape;
    out.explain.push_back(cat(which == "h" ? "the final hidden state" : "the final cell state", " of ",
                              context.input_layer, ", as the recurrent layer returns it beside its output"));
    out.explain.push_back(state->formula);
    out.explain.push_back("params = 0 (the weights are the recurrent layer's)");
    out.no_macs("the recurrent layer computed the state; reading it computes nothing");
    out.mixes_all_positions = true; // the last step has seen every step
    return out;
}

LayerKind rnn_state() {
    return LayerKind{
        .type = "rnn_state",
        .pytorch_class = "h_n/c_n",
        .keras_class = "return_state",
        .category = "Sequence",
        .doc = "A recurrent layer's final state, h or an LSTM's c (PyTorch's h_n and c_n, Keras's "
               "return_state=True); it reads the recurrent layer itself.",
        .fields =
            {
                {.name = "which",
                 .type = FieldType::choice,
                 .doc = "h: the hidden state; c: an LSTM's cell state",
                 .required = true,
                 .choices = {"h", "c"}},
            },
        .rule = rnn_state_rule,
    };
}

} // namespace netshape::layers
