#include "import_keras_signatures.h"

#include <algorithm>
#include <cctype>

namespace netshape::keras_code {

std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    size_t start = 0;
    while ((start = text.find_first_not_of(' ', start)) != std::string_view::npos) {
        const size_t end = std::min(text.find(' ', start), text.size());
        out.emplace_back(text.substr(start, end - start));
        start = end;
    }
    return out;
}

const std::vector<std::string>& base_arguments() {
    static const std::vector<std::string> names =
        words("name dtype trainable dynamic input_shape batch_input_shape batch_size input_dim weights autocast");
    return names;
}

const std::map<std::string, Signature, std::less<>>& signatures() {
    using Json = nlohmann::ordered_json;
    static const std::map<std::string, Signature, std::less<>> table = [] {
        std::map<std::string, Signature, std::less<>> map;
        const std::string weights_of_kernel =
            " kernel_initializer bias_initializer kernel_regularizer bias_regularizer activity_regularizer kernel_constraint bias_constraint";
        for (const char* rank : {"1D", "2D", "3D"}) {
            const std::string r = rank;
            map["Conv" + r] = {words("filters kernel_size strides padding data_format dilation_rate groups activation use_bias" + weights_of_kernel)};
            map["Conv" + r + "Transpose"] = {words("filters kernel_size strides padding output_padding data_format dilation_rate "
                                                   "activation use_bias" + weights_of_kernel)};
            const Json pool_size = r == "1D" ? Json(2) : r == "2D" ? Json({2, 2}) : Json({2, 2, 2});
            for (const char* pool : {"MaxPooling", "AveragePooling"})
                map[pool + r] = {words("pool_size strides padding data_format"), {{"pool_size", pool_size}}};
            map["GlobalMaxPooling" + r] = {words("data_format keepdims")};
            map["GlobalAveragePooling" + r] = {words("data_format keepdims")};
            const Json pad = r == "1D" ? Json({1, 1}) : r == "2D" ? Json({{1, 1}, {1, 1}}) : Json({{1, 1}, {1, 1}, {1, 1}});
            map["ZeroPadding" + r] = {words(r == "1D" ? "padding" : "padding data_format"), {{"padding", pad}}};
            const Json crop = r == "1D" ? Json({1, 1}) : r == "2D" ? Json({{0, 0}, {0, 0}}) : Json({{0, 0}, {0, 0}, {0, 0}});
            map["Cropping" + r] = {words(r == "1D" ? "cropping" : "cropping data_format"), {{"cropping", crop}}};
            map["SpatialDropout" + r] = {words(r == "1D" ? "rate" : "rate data_format")};
            const Json size = r == "1D" ? Json(2) : r == "2D" ? Json({2, 2}) : Json({2, 2, 2});
            map["UpSampling" + r] = {words(r == "1D" ? "size" : r == "2D" ? "size data_format interpolation" : "size data_format"),
                                     {{"size", size}}};
        }
        map["DepthwiseConv2D"] = {words("kernel_size strides padding depth_multiplier data_format dilation_rate activation use_bias "
                                        "depthwise_initializer bias_initializer depthwise_regularizer bias_regularizer "
                                        "activity_regularizer depthwise_constraint bias_constraint")};
        map["SeparableConv2D"] = {words("filters kernel_size strides padding data_format dilation_rate depth_multiplier activation "
                                        "use_bias depthwise_initializer pointwise_initializer bias_initializer depthwise_regularizer "
                                        "pointwise_regularizer bias_regularizer activity_regularizer depthwise_constraint "
                                        "pointwise_constraint bias_constraint")};
        map["Dense"] = {words("units activation use_bias" + weights_of_kernel)};
        map["Flatten"] = {words("data_format")};
        map["Dropout"] = {words("rate noise_shape seed")};
        map["AlphaDropout"] = {words("rate noise_shape seed")};
        map["BatchNormalization"] = {words("axis momentum epsilon center scale beta_initializer gamma_initializer "
                                           "moving_mean_initializer moving_variance_initializer beta_regularizer gamma_regularizer "
                                           "beta_constraint gamma_constraint synchronized")};
        map["LayerNormalization"] = {words("axis epsilon center scale beta_initializer gamma_initializer beta_regularizer "
                                           "gamma_regularizer beta_constraint gamma_constraint")};
        map["Embedding"] = {words("input_dim output_dim embeddings_initializer embeddings_regularizer activity_regularizer "
                                  "embeddings_constraint mask_zero input_length")};
        const std::string recurrent_weights =
            " kernel_initializer recurrent_initializer bias_initializer";
        const std::string recurrent_rest =
            " kernel_regularizer recurrent_regularizer bias_regularizer activity_regularizer kernel_constraint "
            "recurrent_constraint bias_constraint dropout recurrent_dropout return_sequences return_state go_backwards stateful";
        map["SimpleRNN"] = {words("units activation use_bias" + recurrent_weights + recurrent_rest + " unroll")};
        map["LSTM"] = {words("units activation recurrent_activation use_bias" + recurrent_weights + " unit_forget_bias" +
                             recurrent_rest + " time_major unroll")};
        map["GRU"] = {words("units activation recurrent_activation use_bias" + recurrent_weights + recurrent_rest +
                            " unroll time_major reset_after")};
        map["Bidirectional"] = {words("layer merge_mode backward_layer")};
        for (const char* merge : {"Add", "Subtract", "Multiply", "Maximum", "Average"}) map[merge] = {};
        map["Concatenate"] = {words("axis")};
        map["Reshape"] = {words("target_shape")};
        map["Permute"] = {words("dims")};
        map["Activation"] = {words("activation")};
        map["ReLU"] = {words("max_value negative_slope threshold")};
        map["LeakyReLU"] = {words("alpha negative_slope"), {{"alpha", 0.3}}}; // negative_slope: Keras 3's name
        map["ELU"] = {words("alpha"), {{"alpha", 1.0}}};
        map["Softmax"] = {words("axis")};
        map["PReLU"] = {words("alpha_initializer alpha_regularizer alpha_constraint shared_axes")};
        map["Rescaling"] = {words("scale offset")};
        map["InputLayer"] = {words("input_shape batch_size dtype input_tensor sparse name ragged type_spec")};
        return map;
    }();
    return table;
}

const std::map<std::string, std::string, std::less<>>& merge_functions() {
    static const std::map<std::string, std::string, std::less<>> map = {
        {"add", "Add"}, {"subtract", "Subtract"}, {"multiply", "Multiply"}, {"maximum", "Maximum"},
        {"average", "Average"}, {"concatenate", "Concatenate"}};
    return map;
}

std::string snake_case(std::string_view class_name) {
    std::string out;
    for (size_t i = 0; i < class_name.size(); ++i) {
        const char c = class_name[i];
        const bool upper = std::isupper(static_cast<unsigned char>(c));
        // "(.)([A-Z][a-z0-9]+)" → "\1_\2", then "([a-z])([A-Z])" → "\1_\2"
        const bool starts_word = i > 0 && upper && i + 1 < class_name.size() &&
                                 (std::islower(static_cast<unsigned char>(class_name[i + 1])) ||
                                  std::isdigit(static_cast<unsigned char>(class_name[i + 1])));
        const bool after_lower = i > 0 && upper && std::islower(static_cast<unsigned char>(class_name[i - 1]));
        if (starts_word || after_lower) out += '_';
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

} // namespace netshape::keras_code
