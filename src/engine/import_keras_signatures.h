// Inside the engine: Keras's layer classes as the code import reads them (import_keras_code.cpp):
// each class's arguments in the order Keras's API reference lists them, the documented defaults
// netshape needs, Layer's own keyword arguments, the merge functions (layers.add([a, b])), and the
// automatic names Keras gives layers.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace netshape::keras_code {

// A layer class's arguments as the Keras API reference lists them (tf.keras 2.x; every one may be
// given by position in that order), and the documented defaults of those netshape reads where
// netshape's kind has another default or none.
struct Signature {
    std::vector<std::string> arguments;
    nlohmann::ordered_json defaults = nlohmann::ordered_json::object();
};

// The classes netshape reads, by Keras's class name.
const std::map<std::string, Signature, std::less<>>& signatures();

// What every layer takes besides its own arguments (Layer.__init__'s allowed keyword arguments).
const std::vector<std::string>& base_arguments();

// keras.layers' functions that make a merge layer and call it at once: add → Add.
const std::map<std::string, std::string, std::less<>>& merge_functions();

// Keras's automatic layer name stem: the class in snake case ("Conv2D" → "conv2d",
// "BatchNormalization" → "batch_normalization"), as base_layer_utils.unique_object_name does.
std::string snake_case(std::string_view class_name);

// "name1 name2" → {"name1", "name2"}
std::vector<std::string> words(std::string_view text);

} // namespace netshape::keras_code
