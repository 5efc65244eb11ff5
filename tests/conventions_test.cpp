// Where PyTorch and Keras differ: layout, weight shapes, batch-norm counting and padding="same".
#include "support.h"

#include "engine/catalog.h"

#include <algorithm>
#include <string>

using namespace netshape;
using namespace netshape::testing;

namespace {

std::string str(int64_t value) { return std::to_string(value); }

bool explains(const LayerResult& layer, const std::string& line) {
    return std::find(layer.explain.begin(), layer.explain.end(), line) != layer.explain.end();
}

} // namespace

TEST_CASE("weights are declared in each framework's own shapes", "[conventions]") {
    SECTION("PyTorch Conv2d: weight [C_out, C_in, kH, kW]; Keras Conv2D: kernel [kH, kW, C_in, C_out]") {
        const LayerResult& torch = only_layer(analyze_layer(
            "pytorch", "[3, 32, 32]", R"({"type": "conv2d", "out_channels": 16, "kernel_size": [3, 5]})"));
        REQUIRE(torch.weights.size() == 2);
        CHECK(torch.weights[0].name == "weight");
        CHECK(torch.weights[0].shape == Shape{16, 3, 3, 5});
        CHECK(torch.weights[1].shape == Shape{16});
        const LayerResult& keras = only_layer(
            analyze_layer("keras", "[32, 32, 3]", R"({"type": "conv2d", "out_channels": 16, "kernel_size": [3, 5]})"));
        REQUIRE(keras.weights.size() == 2);
        CHECK(keras.weights[0].name == "kernel");
        CHECK(keras.weights[0].shape == Shape{3, 5, 3, 16});
        CHECK(keras.params == torch.params);
    }
    SECTION("PyTorch Linear: weight [out, in]; Keras Dense: kernel [in, out]") {
        const LayerResult& torch =
            only_layer(analyze_layer("pytorch", "[20]", R"({"type": "linear", "out_features": 7})"));
        CHECK(torch.weights[0].shape == Shape{7, 20});
        const LayerResult& keras =
            only_layer(analyze_layer("keras", "[20]", R"({"type": "linear", "out_features": 7})"));
        CHECK(keras.weights[0].shape == Shape{20, 7});
        CHECK(keras.class_name == "Dense");
        CHECK(torch.class_name == "Linear");
    }
}

// Keras: BatchNormalization has gamma, beta (trainable) and moving_mean, moving_variance
// (non-trainable): 4·C parameters of which 2·C are non-trainable. PyTorch: 2·C parameters.
TEST_CASE("batch norm: Keras counts 4·C parameters, 2·C of them non-trainable", "[conventions]") {
    const LayerResult& keras = only_layer(analyze_layer("keras", "[56, 56, 64]", R"({"type": "batchnorm2d"})"));
    CHECK(keras.params == 256);
    CHECK(keras.trainable_params == 128);
    CHECK(keras.non_trainable_params == 128);
    CHECK(keras.buffer_elements == 0);
    CHECK(keras.class_name == "BatchNormalization");

    const LayerResult& torch = only_layer(analyze_layer("pytorch", "[64, 56, 56]", R"({"type": "batchnorm2d"})"));
    CHECK(torch.params == 128);
    CHECK(torch.non_trainable_params == 0);

    SECTION("a network's totals split the same way") {
        Analysis analysis = analyze_json(R"({"convention": "keras", "input": [8, 8, 3], "layers": [
            {"type": "conv2d", "out_channels": 16, "kernel_size": 3, "bias": false},
            {"type": "batchnorm2d"}]})");
        REQUIRE(analysis.ok());
        // conv 3·3·3·16 = 432; batch norm 4·16 = 64 of which 32 non-trainable
        CHECK(analysis.total_params == 496);
        CHECK(analysis.trainable_params == 464);
        CHECK(analysis.non_trainable_params == 32);
    }
}

// Keras (TensorFlow's documented "same"): output = ⌈in/stride⌉, padding split with the extra
// zero after (bottom/right).
TEST_CASE("keras padding=\"same\" gives ⌈in/stride⌉", "[conventions]") {
    for (int64_t in = 1; in <= 20; ++in)
        for (int64_t k = 1; k <= 5; ++k)
            for (int64_t s = 1; s <= 3; ++s) {
                CAPTURE(in, k, s);
                const LayerResult& conv = only_layer(
                    analyze_layer("keras", "[" + str(in) + ", 2]",
                                  R"({"type": "conv1d", "out_channels": 4, "padding": "same", "kernel_size": )" +
                                      str(k) + R"(, "stride": )" + str(s) + "}"));
                CHECK(conv.output_shape == Shape{(in + s - 1) / s, 4});
                const LayerResult& pool =
                    only_layer(analyze_layer("keras", "[" + str(in) + ", 2]",
                                             R"({"type": "maxpool1d", "padding": "same", "kernel_size": )" + str(k) +
                                                 R"(, "stride": )" + str(s) + "}"));
                CHECK(pool.output_shape == Shape{(in + s - 1) / s, 2});
            }
    SECTION("the explanation shows the split: 28, k 3, s 2 needs (14−1)·2 + 3 − 28 = 1 zero, after") {
        const LayerResult& conv = only_layer(analyze_layer(
            "keras", "[28, 28, 1]",
            R"({"type": "conv2d", "out_channels": 4, "kernel_size": 3, "stride": 2, "padding": "same"})"));
        CHECK(conv.output_shape == Shape{14, 14, 4});
        CHECK(explains(conv, "H_out = W_out = ⌈H_in/s⌉"));
        CHECK(explains(conv, "              = ⌈28/2⌉"));
        CHECK(explains(conv, "              = 14"));
        CHECK(explains(conv, "where H_in = W_in = 28 (the model input), s = strides = 2; padding \"same\" adds 1 zero, 0 "
                             "before and 1 after"));
    }
}

TEST_CASE("pytorch refuses \"same\" where PyTorch does, and says which padding to use", "[conventions]") {
    SECTION("strided convolution: padding = dilation·(k−1)/2 = 1 gives ⌊(224 + 2 − 3)/2⌋ + 1 = 112") {
        Analysis analysis =
            analyze_layer("pytorch", "[3, 224, 224]",
                          R"({"type": "conv2d", "out_channels": 8, "kernel_size": 3, "stride": 2, "padding": "same"})");
        REQUIRE(analysis.error);
        CHECK(analysis.error->field == "padding");
        CHECK_THAT(analysis.error->message, Catch::Contains("strided convolutions"));
        CHECK_THAT(analysis.error->message, Catch::Contains("use padding=1"));
        CHECK_THAT(analysis.error->message, Catch::Contains("H_out = 112"));
    }
    SECTION("pooling has no \"same\" in PyTorch") {
        Analysis analysis =
            analyze_layer("pytorch", "[3, 10, 10]", R"({"type": "maxpool2d", "kernel_size": 3, "padding": "same"})");
        REQUIRE(analysis.error);
        CHECK_THAT(analysis.error->message, Catch::Contains("PyTorch pooling has no padding=\"same\""));
        CHECK_THAT(analysis.error->message, Catch::Contains("use padding=1"));
    }
    SECTION("transposed convolutions and pooling take no padding string at all in PyTorch") {
        // PyTorch's ConvTranspose2d, MaxPool2d and AvgPool2d document padding as an int or a
        // tuple; nn.ConvTranspose2d(2, 2, 3, padding="valid") and nn.MaxPool2d(2, padding="valid")
        // raise TypeError ("argument 'padding' must be tuple of ints") in PyTorch 1.13.
        for (const char* layer : {R"({"type": "conv_transpose2d", "out_channels": 2, "kernel_size": 3, "padding": "valid"})",
                                  R"({"type": "conv_transpose2d", "out_channels": 2, "kernel_size": 3, "padding": "same"})",
                                  R"({"type": "maxpool2d", "kernel_size": 2, "padding": "valid"})",
                                  R"({"type": "avgpool2d", "kernel_size": 2, "padding": "valid"})"}) {
            CAPTURE(layer);
            Analysis analysis = analyze_layer("pytorch", "[2, 6, 6]", layer);
            REQUIRE(analysis.error);
            CHECK(analysis.error->field == "padding");
            // Keras's Conv2DTranspose and MaxPooling2D take "valid" and "same"
            CHECK(analyze_layer("keras", "[6, 6, 2]", layer).ok());
        }
    }
    SECTION("pooling a sample without a channel axis: PyTorch's unbatched reading, refused by Keras") {
        // nn.MaxPool1d(3) on a batch of flat [128] samples reads it as one unbatched (C, L):
        // ⌊(128 − 3)/3⌋ + 1 = 42 per sample (seed 004). Keras's MaxPooling1D takes a "3D tensor
        // with shape (batch_size, steps, features)" only.
        const Analysis torch = analyze_layer("pytorch", "[128]", R"({"type": "maxpool1d", "kernel_size": 3})");
        REQUIRE(torch.ok());
        CHECK(torch.layers[0].output_shape == Shape{42});
        const Analysis keras = analyze_layer("keras", "[128]", R"({"type": "maxpool1d", "kernel_size": 3})");
        REQUIRE(keras.error);
        CHECK_THAT(keras.error->message, Catch::Contains("[128, 1]"));
    }
    SECTION("the same layers are accepted under keras") {
        CHECK(
            analyze_layer("keras", "[224, 224, 3]",
                          R"({"type": "conv2d", "out_channels": 8, "kernel_size": 3, "stride": 2, "padding": "same"})")
                .ok());
        CHECK(analyze_layer("keras", "[10, 10, 3]", R"({"type": "maxpool2d", "kernel_size": 3, "padding": "same"})")
                  .ok());
    }
    SECTION("PyTorch pooling padding may be at most half the kernel") {
        Analysis analysis =
            analyze_layer("pytorch", "[3, 10, 10]", R"({"type": "maxpool2d", "kernel_size": 3, "padding": 2})");
        REQUIRE(analysis.error);
        CHECK_THAT(analysis.error->message, Catch::Contains("padding ≤ kernel_size/2"));
    }
}

TEST_CASE("keras refuses dilation together with stride, as its Conv2D documents", "[conventions]") {
    Analysis analysis =
        analyze_layer("keras", "[32, 32, 3]",
                      R"({"type": "conv2d", "out_channels": 8, "kernel_size": 3, "stride": 2, "dilation": 2})");
    REQUIRE(analysis.error);
    CHECK(analysis.error->field == "dilation");
    CHECK(analyze_layer("pytorch", "[3, 32, 32]",
                        R"({"type": "conv2d", "out_channels": 8, "kernel_size": 3, "stride": 2, "dilation": 2})")
              .ok());
}

TEST_CASE("channel layout follows the convention", "[conventions]") {
    SECTION("keras reads channels last: a [28, 28, 3] image has 3 channels") {
        const LayerResult& layer = only_layer(
            analyze_layer("keras", "[28, 28, 3]", R"({"type": "conv2d", "out_channels": 5, "kernel_size": 3})"));
        CHECK(layer.output_shape == Shape{26, 26, 5});
        CHECK(layer.params == (3 * 3 * 3 + 1) * 5);
    }
    SECTION("pytorch reads channels first: [28, 28, 3] has 28 channels and a 28×3 image") {
        Analysis analysis =
            analyze_layer("pytorch", "[28, 28, 3]", R"({"type": "conv2d", "out_channels": 5, "kernel_size": 3})");
        const LayerResult& layer = only_layer(analysis);
        CHECK(layer.output_shape == Shape{5, 26, 1});
        CHECK(layer.params == (3 * 3 * 28 + 1) * 5);
    }
    SECTION("pooling keeps the channel axis where the convention puts it") {
        CHECK(only_layer(analyze_layer("keras", "[9, 8, 6]", R"({"type": "avgpool2d", "kernel_size": 2})"))
                  .output_shape == Shape{4, 4, 6});
        CHECK(only_layer(analyze_layer("pytorch", "[6, 9, 8]", R"({"type": "avgpool2d", "kernel_size": 2})"))
                  .output_shape == Shape{6, 4, 4});
    }
}

TEST_CASE("under Keras, fields and the working use Keras's argument names", "[conventions]") {
    // Keras's signatures: Conv2D(filters, kernel_size, strides, padding, data_format, dilation_rate,
    // groups, activation, use_bias, …), Dense(units, activation, use_bias, …),
    // MaxPooling2D(pool_size, strides, padding, …), LSTM(units, …, use_bias, …), Dropout(rate, …).
    const std::pair<const char*, std::vector<std::pair<const char*, const char*>>> expected[] = {
        {"conv2d", {{"out_channels", "filters"}, {"kernel_size", "kernel_size"}, {"stride", "strides"},
                    {"dilation", "dilation_rate"}, {"groups", "groups"}, {"bias", "use_bias"}}},
        {"linear", {{"out_features", "units"}, {"bias", "use_bias"}}},
        {"maxpool2d", {{"kernel_size", "pool_size"}, {"stride", "strides"}}},
        {"lstm", {{"hidden_size", "units"}, {"bias", "use_bias"}}},
        {"dropout", {{"p", "rate"}}},
    };
    for (const auto& [type, names] : expected)
        for (const auto& [pytorch, keras] : names) {
            CAPTURE(type, pytorch);
            const FieldSpec* field = find_kind(type)->find_field(pytorch);
            REQUIRE(field != nullptr);
            CHECK(field->name_in(Convention::keras) == keras);
            CHECK(field->name_in(Convention::pytorch) == pytorch);
        }
    const Analysis keras = analyze_layer("keras", "[28, 28, 1]", R"({"type": "conv2d", "out_channels": 8, "kernel_size": 3})");
    CHECK(keras.layers[0].explain[0] == "C_out = filters = 8");
    const Analysis pytorch = analyze_layer("pytorch", "[1, 28, 28]", R"({"type": "conv2d", "out_channels": 8, "kernel_size": 3})");
    CHECK(pytorch.layers[0].explain[0] == "C_out = out_channels = 8");
}
