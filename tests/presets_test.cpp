// The preset architectures in assets/presets, checked against the counts their sources publish;
// and the seeds' networks in assets/examples (netshape's JSON, as the seeds give them), which the
// presets carry as link text for the web app (its first module reads no JSON).
#include "support.h"

#include "engine/link_text.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

using namespace netshape;
using namespace netshape::testing;

namespace {

Analysis analyze_preset(const std::string& file_name) {
    std::ifstream file(std::filesystem::path(NETSHAPE_PRESETS_DIR) / file_name, std::ios::binary);
    REQUIRE(file.good());
    std::ostringstream text;
    text << file.rdbuf();
    ReadResult read = read_architecture_any(text.str()); // link text (.ns)
    INFO((read.error ? read.error->message : std::string()));
    REQUIRE_FALSE(read.error);
    return analyze(read.architecture);
}

} // namespace

TEST_CASE("presets reproduce their published totals", "[presets]") {
    auto [file, total, trainable] = GENERATE(table<std::string, int64_t, int64_t>({
        {"lasagne_mnist.ns", 217'706, 217'706},        // seed 000: "exactly what Lasagne reports"
        {"seed_001_lenet_style.ns", 62'958, 62'958},   // seed 001, corrected (seeds_test derives it)
        {"seed_003_mnist_small.ns", 4'058, 4'058},     // seed 003
        {"seed_004_pytorch_cnn.ns", 883'530, 883'530}, // seed 004's torchsummary table
        {"seed_004_fc_exercise.ns", 295'294, 295'294}, // seed 004's exercise
        {"lenet5.ns", 61'706, 61'706},                   // LeNet-5's well-known 61,706
        // torchvision num_params
        {"vgg16.ns", 138'357'544, 138'357'544},
        {"alexnet.ns", 61'100'840, 61'100'840},
        {"resnet18.ns", 11'689'512, 11'689'512},
        {"resnet50.ns", 25'557'032, 25'557'032},
        // torchvision 0.14's weights metadata (num_params), which sum(p.numel() for p in
        // model.parameters()) reproduces on its models: ViT's class token and position embedding
        // are parameter tensors, ConvNeXt's layer scales too; ShuffleNetV2 splits channels
        {"vit_b_16.ns", 86'567'656, 86'567'656},
        {"convnext_tiny.ns", 28'589'128, 28'589'128},
        {"shufflenet_v2_x1_0.ns", 2'278'604, 2'278'604},
        // torchvision 0.14's swin_t: 28,288,354 (patch merging as reshape, permute, reshape,
        // LayerNorm and a Linear without bias, as torchvision's PatchMerging computes it)
        {"swin_t.ns", 28'288'354, 28'288'354},
        // Hugging Face's GPT2LMHeadModel (gpt2): 124,439,808 with the head tied to the token
        // embedding: wte 50,257·768 = 38,597,376; wpe 1,024·768 = 786,432; 12 pre-norm blocks of
        // 4·768² + 4·768 (attention) + 2·768·3,072 + 3,072 + 768 (MLP) + 2·2·768 (norms)
        // = 7,087,872; ln_f 1,536; lm_head 0 (tied)
        {"gpt2.ns", 124'439'808, 124'439'808},
        // Hugging Face's BertModel (bert-base-uncased): 109,482,240: word embeddings 30,522·768
        // = 23,440,896; positions 512·768 = 393,216; token types 2·768; embedding LayerNorm
        // 1,536; 12 post-norm encoder layers of 7,087,872; the pooler 768·768 + 768 = 590,592
        {"bert_base.ns", 109'482'240, 109'482'240},
        // Keras Applications' ResNet50 summary: 25,636,712 parameters, 25,583,592 trainable and
        // 53,120 non-trainable (the batch norms' moving statistics).
        {"resnet50_keras.ns", 25'636'712, 25'583'592},
        // torchvision's MobileNetV2: 3,504,872; Keras Applications' MobileNetV2: 3,538,984, of which
        // 34,112 non-trainable
        {"mobilenet_v2.ns", 3'504'872, 3'504'872},
        {"mobilenet_v2_keras.ns", 3'538'984, 3'504'872},
        // Written with blocks with parameters (link_blocks.h). torchvision 0.14's weights metadata
        // (num_params), which sum(p.numel()) reproduces on torchvision.models.efficientnet_b0() and
        // inception_v3() (aux_logits=True: the auxiliary head's 3,326,696 are in the count)
        {"efficientnet_b0.ns", 5'288'548, 5'288'548},
        {"inception_v3.ns", 27'161'264, 27'161'264},
        // Keras Applications' model.summary(): InceptionV3 23,851,784 of which 34,432 non-trainable
        // (its batch norms have scale=False: β and the two moving statistics); Xception 22,910,480
        // of which 54,528 non-trainable
        {"inception_v3_keras.ns", 23'851'784, 23'851'784 - 34'432},
        {"xception_keras.ns", 22'910'480, 22'910'480 - 54'528},
        // Keras's bidirectional LSTM IMDB example: embedding 20,000·128 = 2,560,000; each
        // bidirectional LSTM(64) on 128 features 2·4·(64·(128 + 64) + 64) = 98,816; Dense(1) 129
        {"lstm_text_classifier.ns", 2'560'000 + 2 * 98'816 + 129, 2'560'000 + 2 * 98'816 + 129},
        // Keras's character-level seq2seq example (keras.io/examples/nlp/lstm_seq2seq: 71 input and
        // 93 output tokens, latent 256): tfjs builds the same model (an LSTM(256, returnState) whose
        // states start an LSTM(256) over the targets, Dense(93)) and counts 718,173 =
        // 4·256·(71 + 256 + 1) + 4·256·(93 + 256 + 1) + (256 + 1)·93
        {"lstm_seq2seq_keras.ns", 335'872 + 358'400 + 23'901, 335'872 + 358'400 + 23'901},
        // Keras's transformer text classification example (embed 32, 2 heads of key_dim 32, ff 32):
        // embeddings 20,000·32 + 200·32; attention 4·(32·2·32) + 3·(2·32) + 32 = 8,416; the
        // feed-forward 2·(32·32 + 32); two LayerNorms 2·64; Dense(20) 660; Dense(2) 42
        {"transformer_text_classifier.ns", 640'000 + 6'400 + 8'416 + 2'112 + 128 + 660 + 42,
         640'000 + 6'400 + 8'416 + 2'112 + 128 + 660 + 42},
    }));
    CAPTURE(file);
    Analysis analysis = analyze_preset(file);
    INFO((analysis.error ? analysis.error->message : std::string()));
    REQUIRE(analysis.ok());
    CHECK(analysis.total_params == total);
    CHECK(analysis.trainable_params == trainable);
    CHECK(analysis.non_trainable_params == total - trainable);
}

// The U-Net preset (double 3×3 convolutions without bias, each followed by batch norm; 2×2
// up-convolutions; 2 classes): a double convolution i → o has 9·i·o + 9·o·o weights and 2 batch
// norms of 2·o; an up-convolution 2·c → c has 4·2c·c + c; the 1×1 output 64·2 + 2.
TEST_CASE("the U-Net preset adds up block by block", "[presets]") {
    auto double_conv = [](int64_t i, int64_t o) { return 9 * i * o + 9 * o * o + 4 * o; };
    auto up_conv = [](int64_t c) { return 4 * 2 * c * c + c; };
    int64_t expected = double_conv(3, 64) + double_conv(64, 128) + double_conv(128, 256) + double_conv(256, 512) +
                       double_conv(512, 1024);
    for (int64_t c : {512, 256, 128, 64})
        expected += up_conv(c) + double_conv(2 * c, c);
    expected += 64 * 2 + 2;
    Analysis analysis = analyze_preset("unet.ns");
    INFO((analysis.error ? analysis.error->message : std::string()));
    REQUIRE(analysis.ok());
    CHECK(analysis.total_params == expected);
    CHECK(analysis.output_shape == Shape{2, 256, 256});
}

// torchvision's model documentation publishes GFLOPS (multiply-accumulates, in the fvcore sense)
// to two decimals.
TEST_CASE("MACs of presets match torchvision's published GFLOPS", "[macs][presets]") {
    auto [file, published_gmacs] = GENERATE(table<std::string, double>({{"alexnet.ns", 0.71},
                                                                        {"vgg16.ns", 15.47},
                                                                        {"resnet18.ns", 1.81},
                                                                        {"resnet50.ns", 4.09},
                                                                        {"mobilenet_v2.ns", 0.30},
                                                                        {"vit_b_16.ns", 17.56},
                                                                        {"convnext_tiny.ns", 4.46},
                                                                        {"shufflenet_v2_x1_0.ns", 0.14},
                                                                        {"swin_t.ns", 4.49},
                                                                        {"efficientnet_b0.ns", 0.39}}));
    CAPTURE(file);
    Analysis analysis = analyze_preset(file);
    REQUIRE(analysis.ok());
    CHECK(std::abs(static_cast<double>(analysis.total_macs) / 1e9 - published_gmacs) < 0.005);
}

// Two descriptions of one network each: the seed's JSON in assets/examples and the preset's link
// text. Every example has its preset, and the two read to the same design, so the published counts
// above hold for both.
TEST_CASE("each JSON example and its link-text preset are the same design", "[presets]") {
    size_t examples = 0;
    for (const auto& entry : std::filesystem::directory_iterator(NETSHAPE_EXAMPLES_DIR)) {
        if (entry.path().extension() != ".json") continue;
        ++examples;
        const std::string stem = entry.path().stem().string();
        CAPTURE(stem);
        std::ifstream json_file(entry.path(), std::ios::binary);
        std::ostringstream json;
        json << json_file.rdbuf();
        const ReadResult from_json = read_architecture_json(json.str());
        REQUIRE_FALSE(from_json.error);
        std::ifstream text_file(std::filesystem::path(NETSHAPE_PRESETS_DIR) / (stem + ".ns"), std::ios::binary);
        REQUIRE(text_file.good());
        std::ostringstream text;
        text << text_file.rdbuf();
        const TextReadResult from_text = read_architecture_text(text.str());
        REQUIRE_FALSE(from_text.error);
        CHECK(architecture_to_json(from_text.architecture) == architecture_to_json(from_json.architecture));
        const Analysis a = analyze(from_json.architecture), b = analyze(from_text.architecture);
        CHECK(a.total_params == b.total_params);
        CHECK(a.output_shape == b.output_shape);
    }
    CHECK(examples == 7); // seeds 000, 001, 003, 004 (two) and torchvision's AlexNet and VGG-16
}
