// The preset architectures in assets/presets, checked against the counts their sources publish.
#include "support.h"

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
    return analyze_json(text.str());
}

} // namespace

TEST_CASE("presets reproduce their published totals", "[presets]") {
    auto [file, total] = GENERATE(table<std::string, int64_t>({
        {"lasagne_mnist.json", 217'706},        // seed 000: "exactly what Lasagne reports"
        {"seed_001_lenet_style.json", 62'958},  // seed 001, corrected (seeds_test derives it)
        {"seed_003_mnist_small.json", 4'058},   // seed 003
        {"seed_004_pytorch_cnn.json", 883'530}, // seed 004's torchsummary table
        {"seed_004_fc_exercise.json", 295'294}, // seed 004's exercise
        // torchvision num_params. Its adaptive average pool to 7×7 (VGG) and 6×6 (AlexNet) is the
        // identity at 224×224 input, so the presets leave it out; it has no parameters.
        {"vgg16.json", 138'357'544},
        {"alexnet.json", 61'100'840},
    }));
    CAPTURE(file);
    Analysis analysis = analyze_preset(file);
    INFO((analysis.error ? analysis.error->message : std::string()));
    REQUIRE(analysis.ok());
    CHECK(analysis.total_params == total);
    CHECK(analysis.trainable_params == total);
}
