// The layer kind records, one generator per kind or family. catalog.cpp lists them all.
#pragma once

#include "../layer_kind.h"

namespace netshape::layers {

// layers/core.cpp
LayerKind linear();
LayerKind flatten();
LayerKind dropout();
LayerKind channel_dropout(size_t spatial_rank); // dropout1d/2d/3d
LayerKind alpha_dropout();
LayerKind drop_path();

// layers/tensors.cpp
LayerKind parameter();
LayerKind scale();
LayerKind select();
LayerKind chunk();
LayerKind channel_shuffle();

// layers/reshaping.cpp
LayerKind reshape();
LayerKind permute();
LayerKind upsample();
LayerKind zero_pad(size_t spatial_rank); // zero_pad1d/2d/3d
LayerKind crop(size_t spatial_rank);     // crop1d/2d/3d

// layers/convolution.cpp
LayerKind convolution(size_t spatial_rank); // conv (rank from the input: 0), conv1d, conv2d, conv3d
LayerKind transposed_convolution(size_t spatial_rank); // conv_transpose1d/2d/3d
LayerKind depthwise_convolution();                     // depthwise_conv2d
LayerKind separable_convolution();                     // separable_conv2d

// layers/pooling.cpp
LayerKind max_pooling(size_t spatial_rank);     // maxpool (0), maxpool1d/2d/3d
LayerKind average_pooling(size_t spatial_rank); // avgpool (0), avgpool1d/2d/3d
LayerKind global_max_pooling(size_t spatial_rank);       // global_maxpool1d/2d/3d
LayerKind global_average_pooling(size_t spatial_rank);   // global_avgpool1d/2d/3d
LayerKind adaptive_max_pooling(size_t spatial_rank);     // adaptive_maxpool1d/2d/3d
LayerKind adaptive_average_pooling(size_t spatial_rank); // adaptive_avgpool1d/2d/3d

// layers/normalization.cpp
LayerKind batch_norm(size_t spatial_rank);    // batchnorm (0), batchnorm1d/2d/3d
LayerKind instance_norm(size_t spatial_rank); // instancenorm1d/2d/3d
LayerKind layer_norm();
LayerKind group_norm();

// layers/sequence.cpp
LayerKind embedding();
LayerKind rnn();
LayerKind lstm();
LayerKind gru();
LayerKind rnn_state();

// layers/attention.cpp
LayerKind multihead_attention();
LayerKind transformer_encoder_layer();
LayerKind transformer_decoder_layer();
LayerKind window_attention();

// layers/merge.cpp
LayerKind add();
LayerKind subtract();
LayerKind multiply();
LayerKind maximum();
LayerKind average();
LayerKind concat();
LayerKind matmul();

// layers/activation.cpp
LayerKind relu();
LayerKind leaky_relu();
LayerKind elu();
LayerKind gelu();
LayerKind silu();
LayerKind sigmoid();
LayerKind tanh();
LayerKind softmax();
LayerKind log_softmax();
LayerKind identity();
LayerKind relu6();
LayerKind hardswish();
LayerKind hardsigmoid();
LayerKind mish();
LayerKind softplus();
LayerKind prelu();

} // namespace netshape::layers
