// The preset architectures in assets/presets, checked against the counts their sources publish.
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
    ReadResult read = read_architecture_any(text.str()); // JSON (.json) or link text (.ns)
    INFO((read.error ? read.error->message : std::string()));
    REQUIRE_FALSE(read.error);
    return analyze(read.architecture);
}

} // namespace

TEST_CASE("presets reproduce their published totals", "[presets]") {
    auto [file, total, trainable] = GENERATE(table<std::string, int64_t, int64_t>({
        {"lasagne_mnist.json", 217'706, 217'706},        // seed 000: "exactly what Lasagne reports"
        {"seed_001_lenet_style.json", 62'958, 62'958},   // seed 001, corrected (seeds_test derives it)
        {"seed_003_mnist_small.json", 4'058, 4'058},     // seed 003
        {"seed_004_pytorch_cnn.json", 883'530, 883'530}, // seed 004's torchsummary table
        {"seed_004_fc_exercise.json", 295'294, 295'294}, // seed 004's exercise
        {"lenet5.ns", 61'706, 61'706},                   // LeNet-5's well-known 61,706
        // torchvision num_params. Its adaptive average pool (to 7×7 for VGG, 6×6 for AlexNet, 1×1
        // for ResNet) is written as the fixed pool it equals at 224×224 input; pools have no
        // parameters.
        {"vgg16.json", 138'357'544, 138'357'544},
        {"alexnet.json", 61'100'840, 61'100'840},
        {"resnet18.ns", 11'689'512, 11'689'512},
        {"resnet50.ns", 25'557'032, 25'557'032},
        // Keras Applications' ResNet50 summary: 25,636,712 parameters, 25,583,592 trainable and
        // 53,120 non-trainable (the batch norms' moving statistics).
        {"resnet50_keras.ns", 25'636'712, 25'583'592},
    }));
    CAPTURE(file);
    Analysis analysis = analyze_preset(file);
    INFO((analysis.error ? analysis.error->message : std::string()));
    REQUIRE(analysis.ok());
    CHECK(analysis.total_params == total);
    CHECK(analysis.trainable_params == trainable);
    CHECK(analysis.non_trainable_params == total - trainable);
}

// torchvision's model documentation publishes GFLOPS (multiply-accumulates, in the fvcore sense)
// to two decimals.
TEST_CASE("MACs of presets match torchvision's published GFLOPS", "[macs][presets]") {
    auto [file, published_gmacs] = GENERATE(table<std::string, double>(
        {{"alexnet.json", 0.71}, {"vgg16.json", 15.47}, {"resnet18.ns", 1.81}, {"resnet50.ns", 4.09}}));
    CAPTURE(file);
    Analysis analysis = analyze_preset(file);
    REQUIRE(analysis.ok());
    CHECK(std::abs(static_cast<double>(analysis.total_macs) / 1e9 - published_gmacs) < 0.005);
}
