// matmul (the matrix product of two activations) and window_attention (Swin's windowed
// self-attention with a relative-position bias table). Expected shapes and counts are PyTorch
// 1.13 / torchvision 0.14 runs, quoted in the comments, or derivations from the documented
// formulas written next to them.
#include "support.h"

#include "engine/text.h"

using namespace netshape;
using namespace netshape::testing;

TEST_CASE("matmul multiplies the last two axes and broadcasts the ones before", "[products]") {
    // torch.matmul on batches of two (the shapes after the batch axis), PyTorch 1.13:
    //   [12, 197, 64] @ [12, 64, 197]          -> [12, 197, 197]   (ViT-B/16's Q·Kᵀ, 12 heads)
    //   [12, 197, 64] @ [12, 197, 64]ᵀ(-2,-1)  -> [12, 197, 197]
    //   [12, 197, 197] @ [12, 197, 64]         -> [12, 197, 64]    (A·V)
    //   [4, 1, 5, 6] @ [1, 3, 6, 7]            -> [4, 3, 5, 7]
    //   [5, 6] @ [6, 7]                        -> [5, 7]
    //   [6, 5]ᵀ @ [6, 7]                       -> [5, 7]
    // MACs: the product of the batch axes · n · k · m (fvcore's count for matmul).
    auto [link, shape, macs] = GENERATE(table<std::string, Shape, int64_t>({
        {"ns1;q=12x197x64;k=12x64x197/matmul(@q,@k)", {12, 197, 197}, 12LL * 197 * 64 * 197},
        {"ns1;q=12x197x64;k=12x197x64/matmul(@q,@k,transpose_b=true)", {12, 197, 197}, 12LL * 197 * 64 * 197},
        {"ns1;a=12x197x197;v=12x197x64/matmul(@a,@v)", {12, 197, 64}, 12LL * 197 * 197 * 64},
        {"ns1;a=4x1x5x6;b=1x3x6x7/matmul(@a,@b)", {4, 3, 5, 7}, 12LL * 5 * 6 * 7},
        {"ns1;a=5x6;b=6x7/matmul(@a,@b)", {5, 7}, 5LL * 6 * 7},
        {"ns1;a=6x5;b=6x7/matmul(@a,@b,transpose_a=true)", {5, 7}, 5LL * 6 * 7},
    }));
    CAPTURE(link);
    for (const char* convention : {"", "keras;"}) {
        std::string text = link;
        text.insert(4, convention); // tf.matmul follows the same rules
        const Analysis analysis = analyze_link(text);
        INFO((analysis.error ? analysis.error->message : std::string()));
        REQUIRE(analysis.ok());
        const LayerResult& product = analysis.layers.back();
        CHECK(product.output_shape == shape);
        CHECK(product.params == 0);
        CHECK(product.macs == macs);
    }
}

TEST_CASE("matmul's working shows the product it computes", "[products]") {
    // ViT-B/16's Q·Kᵀ: 12 heads of [197, 64]·[64, 197]
    const Analysis analysis = analyze_link("ns1;q=12x197x64;k=12x197x64/matmul(@q,@k,transpose_b=true)");
    REQUIRE(analysis.ok());
    const std::string working = join(analysis.layers.back().explain, "\n");
    CHECK_THAT(working, Catch::Contains("12 products of [197, 64]·[64, 197] = [197, 197] (after transpose_b)"));
    CHECK_THAT(working, Catch::Contains("MACs = 12·197·64·197 = 29,805,312"));
}

TEST_CASE("matmul names the axes that do not fit", "[products][errors]") {
    // PyTorch 1.13 on batches of two: [5, 6] @ [7, 8] "Expected size for first two dimensions of
    // batch2 tensor to be: [2, 6] but got: [2, 7]"; [2, 5, 6] @ [3, 6, 7] "The size of tensor a
    // (2) must match the size of tensor b (3) at non-singleton dimension 1"; [3, 5, 6] @ [6, 7]
    // aligns the batch (2) with the 3 and fails; [6] @ [6] "mat1 and mat2 shapes cannot be
    // multiplied (2x6 and 2x6)".
    CHECK_THAT(error_detail(analyze_link("ns1;a=5x6;b=7x8/matmul(@a,@b)")),
               Catch::Contains("the first input's last axis has k = 6 but the second's axis 0 has 7"));
    CHECK_THAT(error_detail(analyze_link("ns1;a=6x7;b=7x8/matmul(@a,@b,transpose_a=true)")),
               Catch::Contains("last axis (after transpose_a) has k = 6 but the second's axis 0 has 7; received [6, 7] "
                               "and [7, 8]"));
    CHECK_THAT(error_detail(analyze_link("ns1;a=2x5x6;b=3x6x7/matmul(@a,@b)")),
               Catch::Contains("axis 0 is 2 in the first input and 3 in the second"));
    CHECK_THAT(error_detail(analyze_link("ns1;a=3x5x6;b=6x7/matmul(@a,@b)")),
               Catch::Contains("matmul needs inputs of the same rank"));
    CHECK_THAT(error_detail(analyze_link("ns1;a=6;b=6/matmul(@a,@b)")),
               Catch::Contains("matmul needs a matrix per sample (rank 2 or more); received [6]"));
    CHECK_THAT(error_detail(analyze_link("ns1;a=5x6/matmul(@a)")), Catch::Contains("matmul takes 2 inputs; received 1"));
}

TEST_CASE("window attention counts qkv, proj and the relative-position bias table", "[products][attention]") {
    // torchvision.models.swin_transformer.ShiftedWindowAttention(dim, window_size, shift_size,
    // num_heads) on a batch of two [H, W, C] maps, torchvision 0.14: parameters, buffer elements
    // (relative_position_index) and output shape.
    //   (96, [7, 7], [0, 0], 3) on 56×56:  37,755 params, 2,401 buffer, [56, 56, 96]
    //   (96, [7, 7], [3, 3], 3) on 56×56:  37,755, 2,401, [56, 56, 96]
    //   (768, [7, 7], [3, 3], 24) on 7×7:  2,366,424, 2,401, [7, 7, 768]
    //   (32, [4, 3], [2, 1], 4) on 10×9:   4,364, 144, [10, 9, 32]
    //   (8, [5, 5], [0, 0], 2) on 3×4:     450, 625, [3, 4, 8]
    //   (32, [4, 3], [0, 0], 4, qkv_bias=False, proj_bias=False): 4,236
    // MACs = P·4C² + 2·P·N·C on the P positions padded to whole windows of N (the two linear
    // layers and the two matmuls of shifted_window_attention):
    //   56×56, N = 49: 3,136·4·96² + 2·3,136·49·96; 10×9 padded to 12×9, N = 12: 108·4·32² + 2·108·12·32
    auto [input, layer, params, buffer, macs] = GENERATE(table<std::string, std::string, int64_t, int64_t, int64_t>({
        {"56x56x96", "window_attention(3,7)", 37'755, 2'401, 3136LL * 4 * 96 * 96 + 2LL * 3136 * 49 * 96},
        {"56x56x96", "window_attention(3,7,shift_size=3)", 37'755, 2'401, 3136LL * 4 * 96 * 96 + 2LL * 3136 * 49 * 96},
        {"7x7x768", "window_attention(24,7,shift_size=3)", 2'366'424, 2'401,
         49LL * 4 * 768 * 768 + 2LL * 49 * 49 * 768},
        {"10x9x32", "window_attention(4,4x3,shift_size=2x1)", 4'364, 144, 108LL * 4 * 32 * 32 + 2LL * 108 * 12 * 32},
        {"3x4x8", "window_attention(2,5)", 450, 625, 25LL * 4 * 8 * 8 + 2LL * 25 * 25 * 8},
        {"10x9x32", "window_attention(4,4x3,qkv_bias=false,proj_bias=false)", 4'236, 144,
         108LL * 4 * 32 * 32 + 2LL * 108 * 12 * 32},
    }));
    CAPTURE(input, layer);
    const Analysis analysis = analyze_link(cat("ns1;", input, "/", layer));
    INFO((analysis.error ? analysis.error->message : std::string()));
    REQUIRE(analysis.ok());
    const LayerResult& attention = analysis.layers[0];
    CHECK(attention.output_shape == analysis.input_shape);
    CHECK(attention.params == params);
    CHECK(attention.buffer_elements == buffer);
    CHECK(attention.macs == macs);
    CHECK(attention.class_name == "ShiftedWindowAttention");

    // Keras has no such layer; the weights a Keras layer written like torchvision's holds are the
    // same parameters (Dense kernels are [in, out]), with the index a constant, not a weight.
    const Analysis keras = analyze_link(cat("ns1;keras;", input, "/", layer));
    REQUIRE(keras.ok());
    CHECK(keras.layers[0].params == params);
    CHECK(keras.layers[0].buffer_elements == 0);
}

TEST_CASE("window attention explains the windows and refuses what torchvision cannot run", "[products][errors]") {
    const Analysis padded = analyze_link("ns1;10x9x32/window_attention(4,4x3,shift_size=2x1)");
    REQUIRE(padded.ok());
    const std::string working = join(padded.layers[0].explain, "\n");
    CHECK_THAT(working, Catch::Contains("H = 10, padded to 12 (a multiple of the window, 4): 3 windows of 4"));
    CHECK_THAT(working, Catch::Contains("W = 9: 3 windows of 3, shifted by 1"));
    CHECK_THAT(working, Catch::Contains("where C = 32 channels (the model input), wh × ww = 4 × 3, heads = 4"));
    // torchvision: "If window size is larger than feature size, there is no need to shift window".
    const Analysis whole = analyze_link("ns1;7x7x768/window_attention(24,7,shift_size=3)");
    REQUIRE(whole.ok());
    CHECK_THAT(join(whole.layers[0].explain, "\n"), Catch::Contains("no shift (the window covers the whole axis)"));

    // torchvision 0.14 with dim 30 and 4 heads: "shape '[1, 49, 3, 4, 7]' is invalid for input of
    // size 4410" (the heads split the channels).
    const Analysis heads = analyze_link("ns1;7x7x30/window_attention(4,7)");
    CHECK(heads.error->field == "num_heads");
    CHECK_THAT(error_detail(heads), Catch::Contains("num_heads must divide them; received num_heads=4"));
    CHECK_THAT(error_detail(analyze_link("ns1;56x96/window_attention(3,7)")),
               Catch::Contains("window_attention expects [H, W, C] samples"));
}
