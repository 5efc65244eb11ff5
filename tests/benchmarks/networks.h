// The generated designs the benchmarks measure.
#pragma once

#include "engine/architecture.h"

#include <cstdint>
#include <utility>

namespace netshape::benchmarks {

// A deep stack of the common kinds: conv / batch norm / relu blocks on a small image, then
// linear / dropout / relu blocks, `layer_count` layers in all. With `varied_sizes`, channel and
// feature counts change from block to block, so that the link text cannot fold the blocks into
// repeats (every layer written out, as in a design a person built by hand).
inline Architecture deep_network(size_t layer_count, bool varied_sizes) {
    Architecture architecture;
    architecture.inputs = {{"input", {16, varied_sizes ? 16 : 32, varied_sizes ? 16 : 32}}};
    const size_t convolution_layers = layer_count / 2;
    for (size_t i = 0; i < layer_count; ++i) {
        LayerSpec layer;
        if (i < convolution_layers) {
            switch (i % 3) {
            case 0:
                layer.type = "conv2d";
                layer.fields = {{"out_channels", varied_sizes ? static_cast<int64_t>(8 + i % 7) : int64_t{16}},
                                {"kernel_size", int64_t{3}},
                                {"padding", int64_t{1}}};
                break;
            case 1: layer.type = "batchnorm2d"; break;
            default: layer.type = "relu"; break;
            }
        } else if (i == convolution_layers) {
            layer.type = "flatten";
        } else {
            switch (i % 3) {
            case 0:
                layer.type = "linear";
                layer.fields = {{"out_features", varied_sizes ? static_cast<int64_t>(64 + i % 11) : int64_t{64}}};
                break;
            case 1:
                layer.type = "dropout";
                layer.fields = {{"p", 0.1}};
                break;
            default: layer.type = "relu"; break;
            }
        }
        architecture.layers.push_back(std::move(layer));
    }
    return architecture;
}

} // namespace netshape::benchmarks
