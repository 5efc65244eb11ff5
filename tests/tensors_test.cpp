// The kinds modern architectures need written directly: a learnable tensor that is not a layer
// (parameter), select, scale, drop_path, chunk, channel_shuffle, layernorm over a chosen axis, and
// the transformer layers' feed-forward activation and causal flag. Each expected value is from
// the frameworks' documented rules, or from PyTorch 1.13 / torchvision 0.14 runs quoted in the
// comments.
#include "support.h"

#include "engine/report.h"
#include "engine/text.h"

using namespace netshape;
using namespace netshape::testing;

TEST_CASE("a learnable tensor is counted as parameters and read as an input", "[tensors]") {
    // torchvision's ViT-B/16: class_token [1, 1, 768] (768 values) is joined to the 196 patch
    // tokens along the sequence, torch.cat([class_token.expand(n, -1, -1), x], dim=1): [197, 768];
    // pos_embedding [1, 197, 768] (151,296 values) is added. The leading 1 is the batch axis.
    const Analysis analysis =
        analyze_link("ns1;196x768/cls=parameter(1x768)/tokens=concat(@cls,@input,0)/position=parameter(197x768)/"
                     "add(@tokens,@position)");
    INFO((analysis.error ? analysis.error->message : std::string()));
    REQUIRE(analysis.ok());
    const LayerResult& cls = analysis.layers[0];
    CHECK(cls.inputs.empty());
    CHECK(cls.output_shape == Shape{1, 768});
    CHECK(cls.params == 768);
    CHECK(cls.trainable_params == 768);
    CHECK(cls.macs == 0);
    CHECK(analysis.layers[1].output_shape == Shape{197, 768}); // 1 + 196 along axis 0
    CHECK(analysis.layers[2].params == 197 * 768);
    CHECK(analysis.layers[3].output_shape == Shape{197, 768});
    CHECK(analysis.total_params == 768 + 151'296);
    // Nothing else reads the model input or the tensors: no warnings.
    CHECK(analysis.warnings.empty());
    CHECK(working_lines(cls, false).front() == "no input -> [1, 768]");

    // ConvNeXt's layer scale γ [C, 1, 1] broadcasts over [C, H, W] (torchvision: layer_scale
    // torch.Size([96, 1, 1]), 96 values); the receptive field of x·γ is x's.
    const Analysis scaled = analyze_link("ns1;96x56x56/conv2d(96,7,padding=3,groups=96)/parameter(96x1x1)/"
                                         "multiply(@-2,@-1)");
    REQUIRE(scaled.ok());
    CHECK(scaled.layers[1].params == 96);
    CHECK(scaled.layers[2].output_shape == Shape{96, 56, 56});
    REQUIRE(scaled.layers[2].receptive_field);
    CHECK(scaled.layers[2].receptive_field->size == std::vector<int64_t>{7, 7}); // the 7×7 convolution's
    REQUIRE(scaled.layers[1].receptive_field);
    CHECK(scaled.layers[1].receptive_field->constant);

    // Keras: self.add_weight(shape=(1, 768)) is 768 parameters in either convention.
    CHECK(only_layer(analyze_layer("keras", "[4]", R"({"type": "parameter", "shape": [1, 768]})")).params == 768);
}

TEST_CASE("a learnable tensor reads nothing, and says so", "[tensors][errors]") {
    // It does not take the layer before it as its input, as other kinds do.
    const Analysis after = analyze_link("ns1;10/linear(4)/parameter(3)");
    REQUIRE(after.ok());
    CHECK(after.layers[1].inputs.empty());
    CHECK_THAT(error_detail(analyze_link("ns1;10/linear(4)/parameter(@-1,3)")),
               Catch::Contains("parameter takes no inputs"));
    CHECK_THAT(error_detail(analyze_link("ns1;10/parameter")), Catch::Contains("parameter needs shape"));
    const Analysis zero = analyze_layer("pytorch", "[4]", R"({"type": "parameter", "shape": [0, 3]})");
    CHECK(zero.error->field == "shape");
    // Sizes past one dimension's limit, and products past 64 bits, are errors, not wrong counts.
    CHECK_THAT(error_detail(analyze_layer("pytorch", "[4]", R"({"type": "parameter", "shape": [1099511627777]})")),
               Catch::Contains("over the limit for one dimension"));
    CHECK_THAT(error_detail(analyze_layer("pytorch", "[4]",
                                      R"({"type": "parameter", "shape": [1099511627776, 1099511627776]})")),
               Catch::Contains("count overflow"));
}

TEST_CASE("select keeps one position and drops the axis", "[tensors][reshaping]") {
    // PyTorch 1.13: x = torch.zeros(2, 197, 768); x[:, 0].shape == [2, 768];
    // torch.select(x, 2, -1).shape == [2, 197]. Axes here count the sample's dimensions.
    auto [input, layer, expected] = GENERATE(table<std::string, std::string, Shape>({
        {"[197, 768]", R"({"type": "select", "axis": 0, "index": 0})", {768}},
        {"[197, 768]", R"({"type": "select", "axis": 1, "index": -1})", {197}},
        {"[197, 768]", R"({"type": "select", "axis": -1, "index": 767})", {197}},
        {"[3, 8, 8]", R"({"type": "select", "axis": 0, "index": 2})", {8, 8}},
    }));
    CAPTURE(input, layer);
    const LayerResult result = only_layer(analyze_layer("pytorch", input, layer));
    CHECK(result.output_shape == expected);
    CHECK(result.params == 0);
}

TEST_CASE("chunk is one piece of torch.chunk, channel_shuffle keeps the shape", "[tensors][reshaping]") {
    // PyTorch 1.13: torch.zeros(1, 5, 3).chunk(4, dim=1) gives sizes [2, 2, 1] (pieces of ⌈5/4⌉ = 2,
    // three of them); torch.zeros(1, 116, 28, 28).chunk(2, dim=1) gives [58, 58];
    // torch.zeros(1, 7).chunk(3, dim=1) gives [3, 3, 1]. nn.ChannelShuffle(2) keeps [116, 28, 28].
    auto [convention, input, layer, expected] = GENERATE(table<std::string, std::string, std::string, Shape>({
        {"pytorch", "[5, 3]", R"({"type": "chunk", "chunks": 4, "index": 0})", {2, 3}},
        {"pytorch", "[5, 3]", R"({"type": "chunk", "chunks": 4, "index": 2})", {1, 3}},
        {"pytorch", "[116, 28, 28]", R"({"type": "chunk", "chunks": 2, "index": 1})", {58, 28, 28}},
        {"pytorch", "[7]", R"({"type": "chunk", "chunks": 3, "index": 2})", {1}},
        {"pytorch", "[4, 7]", R"({"type": "chunk", "chunks": 3, "index": 1, "axis": -1})", {4, 3}},
        // tf.split(x, 2, axis=-1) on [28, 28, 116]: two [28, 28, 58]
        {"keras", "[28, 28, 116]", R"({"type": "chunk", "chunks": 2, "index": 1})", {28, 28, 58}},
        {"pytorch", "[116, 28, 28]", R"({"type": "channel_shuffle", "groups": 2})", {116, 28, 28}},
        {"keras", "[28, 28, 116]", R"({"type": "channel_shuffle", "groups": 4})", {28, 28, 116}},
    }));
    CAPTURE(convention, input, layer);
    const LayerResult result = only_layer(analyze_layer(convention, input, layer));
    CHECK(result.output_shape == expected);
    CHECK(result.params == 0);
    CHECK(result.macs == 0);
}

TEST_CASE("scale and drop_path keep the shape and have no parameters", "[tensors]") {
    auto [convention, layer] = GENERATE(table<std::string, std::string>({
        {"pytorch", R"({"type": "scale", "factor": 0.125})"},                 // x * 8 ** -0.5 … any constant
        {"keras", R"({"type": "scale", "factor": 0.00392156862745098, "offset": -1})"}, // Rescaling(1/255, -1)
        {"pytorch", R"({"type": "drop_path", "p": 0.1})"},                   // StochasticDepth(0.1, "row")
        {"keras", R"({"type": "drop_path", "p": 0.2, "mode": "batch"})"},
    }));
    CAPTURE(convention, layer);
    const LayerResult result = only_layer(analyze_layer(convention, "[96, 56, 56]", layer));
    CHECK(result.output_shape == Shape{96, 56, 56});
    CHECK(result.params == 0);
    CHECK(result.macs == 0);
}

TEST_CASE("errors of the tensor kinds name the field", "[tensors][errors]") {
    auto [input, layer, field, words] = GENERATE(table<std::string, std::string, std::string, std::string>({
        {"[197, 768]", R"({"type": "select", "axis": 2, "index": 0})", "axis", "out of range for samples of rank 2"},
        {"[197, 768]", R"({"type": "select", "axis": 0, "index": 197})", "index", "-197 ≤ index < 197"},
        {"[197, 768]", R"({"type": "select", "axis": 0, "index": -198})", "index", "out of range"},
        {"[768]", R"({"type": "select", "axis": 0, "index": 0})", "inputs", "rank 2 or more"},
        {"[197, 768]", R"({"type": "select", "axis": 0})", "index", "select needs index"},
        // ⌈5/4⌉ = 2: pieces 2, 2, 1 — there is no fourth
        {"[5, 3]", R"({"type": "chunk", "chunks": 4, "index": 3})", "index", "splits into 3 pieces of 2"},
        {"[5, 3]", R"({"type": "chunk", "chunks": 0, "index": 0})", "chunks", "positive integer"},
        {"[5, 3]", R"({"type": "chunk", "chunks": 2, "index": -1})", "index", "non-negative integer"},
        {"[5, 3]", R"({"type": "chunk", "chunks": 2, "index": 0, "axis": 9})", "axis", "out of range"},
        {"[116, 28, 28]", R"({"type": "channel_shuffle", "groups": 3})", "groups", "must divide the channels"},
        {"[116]", R"({"type": "channel_shuffle", "groups": 2})", "inputs", "at least one more dimension"},
        {"[4, 4]", R"({"type": "scale", "factor": "two"})", "factor", "must be a number"},
        {"[4, 4]", R"({"type": "scale"})", "factor", "scale needs factor"},
        {"[4, 4]", R"({"type": "drop_path", "p": 1.5})", "p", "from 0 to 1"},
        {"[4, 4]", R"({"type": "drop_path", "p": 0.1, "mode": "column"})", "mode", "\"row\", \"batch\""},
        {"[96, 7, 7]", R"({"type": "layernorm", "axis": 3})", "axis", "out of range for samples of rank 3"},
        {"[96, 7, 7]", R"({"type": "layernorm", "axis": 0, "normalized_shape": 7})", "axis", "not both"},
    }));
    CAPTURE(input, layer);
    const Analysis analysis = analyze_layer("pytorch", input, layer);
    REQUIRE(analysis.error.has_value());
    CHECK(analysis.error->field == field);
    CHECK_THAT(analysis.error->detail, Catch::Contains(words));
    // Keras's tf.split wants equal pieces.
    CHECK_THAT(error_detail(analyze_layer("keras", "[5, 3]", R"({"type": "chunk", "chunks": 2, "index": 0, "axis": 0})")),
               Catch::Contains("tf.split needs chunks to divide"));
}

TEST_CASE("layernorm over a chosen axis", "[tensors][norm]") {
    // torchvision's LayerNorm2d(96) (ConvNeXt) on [1, 96, 56, 56]: 192 parameters, shape kept;
    // Keras's LayerNormalization(axis=1) on [56, 96, 56] learns gamma and beta of size 96.
    auto [convention, input, layer, params] = GENERATE(table<std::string, std::string, std::string, int64_t>({
        {"pytorch", "[96, 56, 56]", R"({"type": "layernorm", "axis": 0, "eps": 1e-6})", 192},
        {"keras", "[56, 96, 56]", R"({"type": "layernorm", "axis": 1})", 192},
        {"keras", "[56, 56, 96]", R"({"type": "layernorm", "axis": -1})", 192},
        {"pytorch", "[96, 56, 56]", R"({"type": "layernorm", "axis": 0, "bias": false})", 96},
    }));
    CAPTURE(convention, input, layer);
    const LayerResult result = only_layer(analyze_layer(convention, input, layer));
    CHECK(result.params == params);
    CHECK(result.output_shape == result.input_shape);
    // Each position is normalised over its own channels: the receptive field goes on.
    const Analysis tracked = analyze_link("ns1;3x32x32/conv2d(96,3)/layernorm(axis=0)");
    REQUIRE(tracked.layers[1].receptive_field);
    CHECK(tracked.layers[1].receptive_field->size == std::vector<int64_t>{3, 3});
}

TEST_CASE("transformer layers take the feed-forward activation and a causal flag", "[tensors][attention]") {
    // PyTorch 1.13: nn.TransformerEncoderLayer(768, 12, 3072, activation="gelu") has 7,087,872
    // parameters, as with relu: 4·768² + 4·768 + 2·768·3072 + 3072 + 768 + 2·2·768.
    const LayerResult encoder = only_layer(analyze_layer(
        "pytorch", "[197, 768]",
        R"({"type": "transformer_encoder_layer", "nhead": 12, "dim_feedforward": 3072,
            "feedforward_activation": "gelu", "causal": true})"));
    CHECK(encoder.params == 7'087'872);
    CHECK(encoder.params == 4 * 768 * 768 + 4 * 768 + 2 * 768 * 3072 + 3072 + 768 + 2 * 2 * 768);
    // A mask changes neither the counts nor the MACs fvcore counts.
    const LayerResult attention =
        only_layer(analyze_layer("pytorch", "[10, 64]", R"({"type": "multihead_attention", "num_heads": 4})"));
    const LayerResult causal = only_layer(
        analyze_layer("pytorch", "[10, 64]", R"({"type": "multihead_attention", "num_heads": 4, "causal": true})"));
    CHECK(causal.params == attention.params);
    CHECK(causal.macs == attention.macs);
    const Analysis refused = analyze_layer(
        "pytorch", "[10, 64]",
        R"({"type": "transformer_encoder_layer", "nhead": 4, "feedforward_activation": "swish"})");
    CHECK(refused.error->field == "feedforward_activation");
}

TEST_CASE("the new kinds read back from their link text", "[tensors][link]") {
    const std::string text = "ns1;196x768/cls=parameter(1x768)/concat(@cls,@input,0)/select(0,0)/scale(0.5)/"
                             "drop_path(0.1)/chunk(2,1)/reshape(2x192)/channel_shuffle(2)";
    const Architecture architecture = read_link(text);
    CHECK(architecture_to_text(architecture) == text);
    const Analysis analysis = analyze(architecture);
    INFO((analysis.error ? analysis.error->message : std::string()));
    REQUIRE(analysis.ok());
    CHECK(analysis.output_shape == Shape{2, 192}); // 768 → chunk 384 → [2, 192]
    CHECK(architecture_to_json(read_architecture_json(architecture_to_json(architecture, -1)).architecture, -1) ==
          architecture_to_json(architecture, -1));
}

TEST_CASE("a fused activation takes values: +leaky_relu(0.1)", "[tensors][link]") {
    // Keras's Conv2D(8, 3, activation=LeakyReLU(0.1)) / PyTorch's Conv2d then LeakyReLU(0.1):
    // (3·3·1 + 1)·8 = 80 parameters, the activation none, [1, 8, 8] → [8, 6, 6].
    const std::string text = "ns1;1x8x8/conv2d(8,3)+leaky_relu(0.1)/conv2d(4,1)+elu(alpha=0.5)";
    const Architecture architecture = read_link(text);
    CHECK(architecture.layers[0].activation == "leaky_relu(0.1)");
    CHECK(architecture_to_text(architecture) == text);
    const Analysis analysis = analyze(architecture);
    INFO((analysis.error ? analysis.error->message : std::string()));
    REQUIRE(analysis.ok());
    CHECK(analysis.layers[0].params == 80);
    CHECK(analysis.layers[0].output_shape == Shape{8, 6, 6});
    CHECK_THAT(analysis.layers[0].explain, Catch::VectorContains(std::string("then leaky_relu(0.1) (no parameters, shape unchanged)")));
    // JSON holds the same text, and it reads back the same.
    const std::string json = architecture_to_json(architecture, -1);
    CHECK_THAT(json, Catch::Contains(R"j("activation":"leaky_relu(0.1)")j"));
    CHECK(architecture_to_text(read_architecture_json(json).architecture) == text);

    // Wrong values are the activation's error, and say which of its fields.
    auto activation_error = [](const std::string& link) {
        const Analysis failed = analyze_link(link);
        REQUIRE(failed.error.has_value());
        CHECK(failed.error->field == "activation");
        return failed.error->detail;
    };
    CHECK_THAT(activation_error("ns1;4/linear(3)+leaky_relu(slope=2)"), Catch::Contains("unknown field 'slope'"));
    CHECK_THAT(activation_error("ns1;4/linear(3)+leaky_relu(0.1,0.2)"), Catch::Contains("without a name"));
    CHECK_THAT(activation_error("ns1;4/linear(3)+lreaky_relu(0.1)"), Catch::Contains("did you mean 'leaky_relu'?"));
    CHECK_THAT(activation_error("ns1;4/linear(3)+prelu(1)"), Catch::Contains("has parameters of its own"));
    // A text that is not a call, given in JSON, is refused by the analysis, and written quoted.
    const Analysis odd = analyze_json(R"j({"input": [4], "layers": [
        {"type": "linear", "out_features": 3, "activation": "relu(@x)"}]})j");
    REQUIRE(odd.error.has_value());
    CHECK(odd.error->field == "activation");
    // The link text reader refuses what cannot be an activation's values.
    CHECK(read_architecture_text("ns1;4/linear(3)+relu(").error.has_value());
    CHECK(read_architecture_text("ns1;4/linear(3)+relu((1))").error.has_value());
}

TEST_CASE("an activation's values cannot make its reading costly", "[tensors][hostile]") {
    // A repeat or a reference in an activation given in JSON is refused without being expanded
    // (each of these 20,000 layers reads the input, so each is analysed).
    std::string layers;
    for (int i = 0; i < 20'000; ++i)
        layers += cat(i ? "," : "", R"j({"type": "identity", "inputs": ["input"], "activation": "99999*(relu)(1)"})j");
    const Analysis analysis = analyze_json(cat(R"({"input": [4], "layers": [)", layers, "]}"));
    REQUIRE(analysis.error.has_value());
    CHECK(analysis.error->field == "activation");
    CHECK_THAT(analysis.error->detail, Catch::Contains("is not a name with values"));
}
