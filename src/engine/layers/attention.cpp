// Attention: multihead_attention, transformer_encoder_layer, transformer_decoder_layer (sequences
// are [seq_len, embed_dim] samples) and window_attention (Swin's, on [H, W, C] feature maps).
#include "families.h"

#include "../checked.h"
#include "../text.h"

namespace netshape::layers {

// --------------------------------------------------------------------------------------------
// [SECTION] shared arithmetic
// PyTorch MultiheadAttention(E, num_heads) projects query, key and value to E (the heads split E),
// then out_proj E → E:
//   in_proj_weight [3E, E] (or q/k/v_proj_weight [E, E], [E, kdim], [E, vdim]), in_proj_bias [3E],
//   out_proj.weight [E, E], out_proj.bias [E]:  params = 4·E² + 4·E when kdim = vdim = E.
// Keras MultiHeadAttention(num_heads, key_dim): query/key kernels [dim, heads, key_dim], value
// [dim, heads, value_dim], output [heads, value_dim, E], each with a bias: the same count when
// key_dim = value_dim = E/heads.
// MACs: the projections, Q·Kᵀ (L·S·heads·key_dim) and A·V (L·S·heads·value_dim).
// --------------------------------------------------------------------------------------------

struct AttentionShapes {
    int64_t query_length, embed, key_length, key_features, value_features;
};

struct AttentionCost {
    int64_t macs = 0;
    std::string params_formula;
};

static AttentionCost add_attention(const LayerContext& context, const AttentionShapes& shapes, int64_t heads, bool bias,
                                   const std::string& prefix, LayerOutput& out) {
    const int64_t e = shapes.embed;
    if (e % heads != 0)
        throw LayerError("num_heads", cat("the heads split embed_dim, so num_heads must divide it; received ", heads,
                                          " heads for embed_dim ", e));
    int64_t key_dim = e / heads, value_dim = e / heads;
    if (context.convention == Convention::keras && context.kind.find_field("key_dim")) {
        if (context.fields.given("key_dim")) key_dim = context.fields.integer("key_dim");
        value_dim = context.fields.given("value_dim") ? context.fields.integer("value_dim") : key_dim;
    }
    const int64_t qk = checked_mul(heads, key_dim), v = checked_mul(heads, value_dim);
    if (context.convention == Convention::keras) {
        out.add_weight(prefix + "query/kernel", {e, heads, key_dim});
        if (bias) out.add_weight(prefix + "query/bias", {heads, key_dim});
        out.add_weight(prefix + "key/kernel", {shapes.key_features, heads, key_dim});
        if (bias) out.add_weight(prefix + "key/bias", {heads, key_dim});
        out.add_weight(prefix + "value/kernel", {shapes.value_features, heads, value_dim});
        if (bias) out.add_weight(prefix + "value/bias", {heads, value_dim});
        out.add_weight(prefix + "attention_output/kernel", {heads, value_dim, e});
        if (bias) out.add_weight(prefix + "attention_output/bias", {e});
    } else {
        if (shapes.key_features == e && shapes.value_features == e) {
            out.add_weight(prefix + "in_proj_weight", {3 * e, e});
        } else {
            out.add_weight(prefix + "q_proj_weight", {e, e});
            out.add_weight(prefix + "k_proj_weight", {e, shapes.key_features});
            out.add_weight(prefix + "v_proj_weight", {e, shapes.value_features});
        }
        if (bias) out.add_weight(prefix + "in_proj_bias", {3 * e});
        out.add_weight(prefix + "out_proj.weight", {e, e});
        if (bias) out.add_weight(prefix + "out_proj.bias", {e});
    }
    const int64_t l = shapes.query_length, s = shapes.key_length;
    int64_t macs = checked_mul(checked_mul(l, e), qk);                               // Q projection
    macs = checked_add(macs, checked_mul(checked_mul(s, shapes.key_features), qk));  // K projection
    macs = checked_add(macs, checked_mul(checked_mul(s, shapes.value_features), v)); // V projection
    macs = checked_add(macs, checked_mul(checked_mul(l, s), qk));                    // Q·Kᵀ
    macs = checked_add(macs, checked_mul(checked_mul(l, s), v));                     // A·V
    macs = checked_add(macs, checked_mul(checked_mul(l, v), e));                     // output projection
    out.explain.push_back(cat(prefix.empty() ? "" : prefix, "attention: ", heads, " heads; MACs = ", l, "·", e, "·", qk,
                              " + ", s, "·", shapes.key_features, "·", qk, " + ", s, "·", shapes.value_features, "·", v,
                              " (projections) + ", l, "·", s, "·", qk, " (Q·Kᵀ) + ", l, "·", s, "·", v, " (A·V) + ", l,
                              "·", v, "·", e, " (output) = ", macs));
    AttentionCost cost{.macs = macs};
    if (shapes.key_features == e && shapes.value_features == e && qk == e && v == e)
        cost.params_formula = cat("4·", e, "²", bias ? cat(" + 4·", e) : "");
    else
        cost.params_formula = cat(e, "·", qk, " + ", shapes.key_features, "·", qk, " + ", shapes.value_features, "·", v,
                                  " + ", v, "·", e, bias ? cat(" + 2·", qk, " + ", v, " + ", e) : "");
    return cost;
}

// A causal mask hides later positions; the products are computed and counted all the same (as
// fvcore counts them), and the receptive field is still the sequence so far.
static void explain_causal(const LayerContext& context, LayerOutput& out) {
    if (context.fields.boolean("causal"))
        out.explain.push_back("causal: position i attends to positions 0…i only (a mask: the counts are the same)");
}

static void require_sequence(const LayerContext& context, const Shape& shape, std::string_view what) {
    if (shape.size() != 2)
        throw LayerError("inputs", cat(context.kind.type, " expects [seq_len, embed_dim] samples; the ", what, " is ",
                                       format_shape(shape)));
}

// --------------------------------------------------------------------------------------------
// [SECTION] multihead_attention
// One input: self-attention (query = key = value). Two: query and key = value. Three: query, key,
// value. Output [L, E], E being the query's last dimension.
// --------------------------------------------------------------------------------------------

static LayerOutput multihead_attention_rule(const LayerContext& context) {
    const Shape& query = context.inputs[0];
    const Shape& key = context.inputs.size() > 1 ? context.inputs[1] : query;
    const Shape& value = context.inputs.size() > 2 ? context.inputs[2] : key;
    require_sequence(context, query, "query");
    require_sequence(context, key, "key");
    require_sequence(context, value, "value");
    if (key[0] != value[0])
        throw LayerError("inputs", cat("key and value need the same length; received ", format_shape(key), " and ",
                                       format_shape(value)));
    context.check_declared_size("embed_dim", query[1], "features");
    if (context.fields.given("kdim") && context.fields.integer("kdim") != key[1])
        throw LayerError(
            "kdim", cat("kdim=", context.fields.integer("kdim"), " disagrees with the key's ", key[1], " features"));
    if (context.fields.given("vdim") && context.fields.integer("vdim") != value[1])
        throw LayerError("vdim", cat("vdim=", context.fields.integer("vdim"), " disagrees with the value's ", value[1],
                                     " features"));
    LayerOutput out;
    out.shape = query;
    const AttentionCost cost =
        add_attention(context, {query[0], query[1], key[0], key[1], value[1]}, context.fields.integer("num_heads"),
                      context.fields.boolean("bias"), "", out);
    out.explain_params(cost.params_formula);
    explain_causal(context, out);
    out.mixes_all_positions = true;
    out.macs = cost.macs;
    return out;
}

LayerKind multihead_attention() {
    return LayerKind{
        .type = "multihead_attention",
        .pytorch_class = "MultiheadAttention",
        .keras_class = "MultiHeadAttention",
        .category = "Attention",
        .doc = "Scaled dot-product attention over several heads, with input and output projections.",
        .min_inputs = 1,
        .max_inputs = 3,
        .fields =
            {
                {.name = "num_heads", .type = FieldType::integer, .doc = "attention heads", .required = true},
                {.name = "bias", .type = FieldType::boolean, .doc = "biases in the projections", .default_value = true},
                {.name = "embed_dim", .type = FieldType::integer, .doc = "optional; checked against the query"},
                {.name = "kdim", .type = FieldType::integer, .doc = "optional; checked against the key"},
                {.name = "vdim", .type = FieldType::integer, .doc = "optional; checked against the value"},
                {.name = "key_dim",
                 .type = FieldType::integer,
                 .doc = "Keras: size of each head for query and key",
                 .default_text = "embed_dim/num_heads"},
                {.name = "value_dim",
                 .type = FieldType::integer,
                 .doc = "Keras: size of each head for value",
                 .default_text = "key_dim"},
                {.name = "dropout", .type = FieldType::number, .doc = "no effect on counts", .default_value = 0.0},
                {.name = "causal",
                 .type = FieldType::boolean,
                 .doc = "each query attends only to itself and earlier positions (PyTorch's causal attn_mask, "
                        "Keras's use_causal_mask); no effect on counts",
                 .default_value = false},
            },
        .rule = multihead_attention_rule,
    };
}

// --------------------------------------------------------------------------------------------
// [SECTION] transformer layers (PyTorch's TransformerEncoderLayer / TransformerDecoderLayer)
// encoder: self-attention (4·E² + 4·E), feed-forward linear1 E → F and linear2 F → E
// (2·E·F + F + E), two LayerNorms (2·E each): 3,152,384 for E = 512, F = 2048.
// decoder: self-attention and cross-attention on the memory (2·(4·E² + 4·E)), the feed-forward,
// three LayerNorms. bias=false drops every bias (LayerNorms keep their weight).
// MACs: the attentions, and 2·L·E·F in the feed-forward.
// --------------------------------------------------------------------------------------------

static LayerOutput transformer_layer(const LayerContext& context, bool decoder) {
    const Fields& fields = context.fields;
    const Shape& target = context.inputs[0];
    require_sequence(context, target, decoder ? "target" : "input");
    const int64_t e = target[1], l = target[0];
    context.check_declared_size("d_model", e, "features");
    const int64_t heads = fields.integer("nhead");
    const int64_t ff = fields.integer("dim_feedforward");
    const bool bias = fields.boolean("bias");
    LayerOutput out;
    out.shape = target;
    int64_t macs = add_attention(context, {l, e, l, e, e}, heads, bias, "self_attn.", out).macs;
    if (decoder) {
        const Shape& memory = context.inputs[1];
        require_sequence(context, memory, "memory");
        if (memory[1] != e)
            throw LayerError("inputs",
                             cat("the memory needs d_model = ", e, " features; received ", format_shape(memory)));
        macs = checked_add(macs,
                           add_attention(context, {l, e, memory[0], e, e}, heads, bias, "multihead_attn.", out).macs);
    }
    out.add_weight("linear1.weight", {ff, e});
    if (bias) out.add_weight("linear1.bias", {ff});
    out.add_weight("linear2.weight", {e, ff});
    if (bias) out.add_weight("linear2.bias", {e});
    const int norms = decoder ? 3 : 2;
    for (int n = 1; n <= norms; ++n) {
        out.add_weight(cat("norm", n, ".weight"), {e});
        if (bias) out.add_weight(cat("norm", n, ".bias"), {e});
    }
    const std::string attention = cat(decoder ? "2·" : "", "(4·", e, "²", bias ? cat(" + 4·", e) : "", ")");
    const std::string feed_forward = cat("2·", e, "·", ff, bias ? cat(" + ", ff, " + ", e) : "");
    out.explain_params(cat(attention, " + ", feed_forward, " + ", norms, "·", bias ? "2·" : "", e));
    const int64_t feed_forward_macs = checked_mul(2, checked_mul(checked_mul(l, e), ff));
    out.explain.push_back(cat("feed-forward (linear1, ", fields.choice("feedforward_activation"),
                              ", linear2) MACs = 2·", l, "·", e, "·", ff, " = ", feed_forward_macs));
    explain_causal(context, out);
    out.mixes_all_positions = true;
    out.set_macs(checked_add(macs, feed_forward_macs),
                 cat(macs, " (attention) + ", feed_forward_macs, " (feed-forward)"));
    return out;
}

static LayerOutput encoder_rule(const LayerContext& context) { return transformer_layer(context, false); }
static LayerOutput decoder_rule(const LayerContext& context) { return transformer_layer(context, true); }

static std::vector<FieldSpec> transformer_fields() {
    return {
        {.name = "nhead", .type = FieldType::integer, .doc = "attention heads", .required = true},
        {.name = "dim_feedforward",
         .type = FieldType::integer,
         .doc = "width of the feed-forward network",
         .default_value = int64_t{2048}},
        {.name = "bias", .type = FieldType::boolean, .doc = "biases in linear layers and norms", .default_value = true},
        {.name = "norm_first",
         .type = FieldType::boolean,
         .doc = "pre-norm; no effect on counts",
         .default_value = false},
        // PyTorch calls it activation, the name every layer's fused activation has here.
        {.name = "feedforward_activation",
         .type = FieldType::choice,
         .doc = "the feed-forward network's activation (PyTorch's activation=); no effect on counts",
         .default_value = std::string("relu"),
         .choices = {"relu", "gelu"}},
        {.name = "causal",
         .type = FieldType::boolean,
         .doc = "each position attends only to itself and earlier ones (a causal mask); no effect on counts",
         .default_value = false},
        {.name = "d_model", .type = FieldType::integer, .doc = "optional; checked against the input"},
        {.name = "dropout", .type = FieldType::number, .doc = "no effect on counts", .default_value = 0.1},
        {.name = "layer_norm_eps", .type = FieldType::number, .doc = "no effect on counts", .default_value = 1e-5},
    };
}

LayerKind transformer_encoder_layer() {
    return LayerKind{
        .type = "transformer_encoder_layer",
        .pytorch_class = "TransformerEncoderLayer",
        .keras_class = "TransformerEncoderLayer",
        .category = "Attention",
        .doc = "Self-attention and a feed-forward network, each with a residual connection and LayerNorm.",
        .fields = transformer_fields(),
        .rule = encoder_rule,
    };
}

LayerKind transformer_decoder_layer() {
    return LayerKind{
        .type = "transformer_decoder_layer",
        .pytorch_class = "TransformerDecoderLayer",
        .keras_class = "TransformerDecoderLayer",
        .category = "Attention",
        .doc = "Self-attention, attention over the memory (the second input) and a feed-forward network.",
        .min_inputs = 2,
        .max_inputs = 2,
        .fields = transformer_fields(),
        .rule = decoder_rule,
    };
}

// --------------------------------------------------------------------------------------------
// [SECTION] window_attention (torchvision's ShiftedWindowAttention, Swin Transformer)
// Self-attention inside non-overlapping windows of wh × ww positions of an [H, W, C] map (Swin
// keeps channels last under both conventions). torchvision pads H and W on the bottom and right
// to multiples of the window, rolls the map by shift_size (the shifted windows of every second
// block; no shift along an axis the window covers whole), attends within each of the
// (H'/wh)·(W'/ww) windows, and crops the padding off again: the output is [H, W, C].
// Weights: qkv Linear(C, 3C), proj Linear(C, C), and a relative-position bias table with one
// row per offset between two positions of a window, (2·wh − 1)·(2·ww − 1), and one column per
// head; relative_position_index, [(wh·ww)²] int64, is a buffer that picks each pair's row.
//   params = 3·C² + 3·C + C² + C + (2·wh − 1)·(2·ww − 1)·heads (swin_t's first: 37,755)
// MACs on the padded P = H'·W' positions, N = wh·ww per window (fvcore's count of the two linear
// layers and the two matmuls, which gives torchvision's published 4.49 GFLOPS for swin_t):
//   MACs = P·3C² (qkv) + P·N·C (Q·Kᵀ) + P·N·C (A·V) + P·C² (proj)
// Keras has no such layer: under keras netshape declares what a Keras layer written like
// torchvision's holds (qkv and proj Dense kernels and biases, the bias table as a weight, the
// index as a constant).
// --------------------------------------------------------------------------------------------

static LayerOutput window_attention_rule(const LayerContext& context) {
    const Shape& in = context.input;
    if (in.size() != 3)
        throw LayerError("inputs", cat("window_attention expects [H, W, C] samples (Swin keeps channels last); "
                                       "received ",
                                       format_shape(in)));
    const int64_t c = in[2];
    const int64_t heads = context.fields.integer("num_heads");
    if (c % heads != 0)
        throw LayerError("num_heads", cat("the heads split the ", c,
                                          " channels, so num_heads must divide them; "
                                          "received num_heads=",
                                          heads));
    const std::vector<int64_t> window = context.fields.sizes("window_size", 2);
    const std::vector<int64_t> shift = context.fields.sizes("shift_size", 2);
    const bool qkv_bias = context.fields.boolean("qkv_bias"), proj_bias = context.fields.boolean("proj_bias");
    const std::string_view axis_name[2] = {"H", "W"};
    int64_t positions = 1;
    LayerOutput out;
    out.shape = in;
    for (size_t d = 0; d < 2; ++d) {
        const int64_t padded = checked_mul(in[d] / window[d] + (in[d] % window[d] != 0), window[d]);
        positions = checked_mul(positions, padded);
        std::string line = cat(axis_name[d], " = ", in[d]);
        if (padded != in[d]) line += cat(", padded to ", padded, " (a multiple of the window, ", window[d], ")");
        line += cat(": ", padded / window[d], " window", padded / window[d] == 1 ? "" : "s", " of ", window[d]);
        if (shift[d] != 0)
            line += window[d] >= padded ? cat("; no shift (the window covers the whole axis)")
                                        : cat(", shifted by ", shift[d]);
        out.explain.push_back(line);
    }
    const int64_t per_window = checked_mul(window[0], window[1]);
    const int64_t table_rows = checked_mul(2 * window[0] - 1, 2 * window[1] - 1);
    const bool keras = context.convention == Convention::keras;
    out.add_weight("relative_position_bias_table", {table_rows, heads});
    if (keras) {
        out.add_weight("qkv/kernel", {c, 3 * c});
        if (qkv_bias) out.add_weight("qkv/bias", {3 * c});
        out.add_weight("proj/kernel", {c, c});
        if (proj_bias) out.add_weight("proj/bias", {c});
    } else {
        out.add_weight("qkv.weight", {3 * c, c});
        if (qkv_bias) out.add_weight("qkv.bias", {3 * c});
        out.add_weight("proj.weight", {c, c});
        if (proj_bias) out.add_weight("proj.bias", {c});
        out.add_weight("relative_position_index", {checked_mul(per_window, per_window)}, WeightRole::buffer);
    }
    out.explain_params(cat("3·C² + C² (qkv, proj)", qkv_bias || proj_bias ? " + biases" : "",
                           " + (2·wh − 1)·(2·ww − 1)·heads (bias table)"),
                       cat("3·", c, "² + ", c, "²", qkv_bias ? cat(" + 3·", c) : "", proj_bias ? cat(" + ", c) : "",
                           " + ", 2 * window[0] - 1, "·", 2 * window[1] - 1, "·", heads),
                       cat("C = ", c, " channels (", context.input_source(), "), wh × ww = ", window[0], " × ",
                           window[1], ", heads = ", heads));
    if (!keras)
        out.explain.push_back(cat("buffer, not a parameter: relative_position_index, (", per_window,
                                  ")² = ", per_window * per_window, " entries"));
    const int64_t projections = checked_mul(checked_mul(positions, 4 * c), c);
    const int64_t products = checked_mul(checked_mul(checked_mul(2, positions), per_window), c);
    out.set_macs(checked_add(projections, products),
                 cat(positions, "·4·", c, "² (qkv, proj) + 2·", positions, "·", per_window, "·", c,
                     " (Q·Kᵀ, A·V in windows of ", per_window, ")"));
    // Each position sees only its own window: a fixed block, not a window that slides with the
    // position, so the receptive field's sliding-window model cannot hold it. A kind that keeps
    // the shape can only pass the field on or mix all positions, and passing it on would say the
    // layer reads nothing around a position; so it is reported as mixing all (an upper bound).
    out.mixes_all_positions = true;
    return out;
}

LayerKind window_attention() {
    return LayerKind{
        .type = "window_attention",
        .pytorch_class = "ShiftedWindowAttention",
        .keras_class = "WindowAttention",
        .category = "Attention",
        .doc = "Swin's self-attention within windows of an [H, W, C] map (shifted or not), with a relative-position "
               "bias table per head.",
        .fields =
            {
                {.name = "num_heads", .type = FieldType::integer, .doc = "attention heads", .required = true},
                {.name = "window_size",
                 .type = FieldType::sizes,
                 .doc = "window height and width (one number: square)",
                 .required = true},
                {.name = "shift_size",
                 .type = FieldType::sizes,
                 .doc = "how far the windows are shifted (Swin's odd blocks: window_size/2)",
                 .default_value = int64_t{0},
                 .minimum = 0},
                {.name = "qkv_bias",
                 .type = FieldType::boolean,
                 .doc = "bias in the qkv projection",
                 .default_value = true},
                {.name = "proj_bias",
                 .type = FieldType::boolean,
                 .doc = "bias in the output projection",
                 .default_value = true},
            },
        .rule = window_attention_rule,
    };
}

} // namespace netshape::layers
