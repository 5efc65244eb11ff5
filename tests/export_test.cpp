// Export to PyTorch, CSV and LaTeX. That the PyTorch code runs and builds the same model is checked
// in real PyTorch (tests/export/run_pytorch_export_check.sh); these tests check what the code and
// the tables say, with each expected value derived here.
#include "engine/export_pytorch.h"
#include "engine/export_table.h"
#include "support.h"

#include <algorithm>

using namespace netshape;
using netshape::testing::analyze_json;
using netshape::testing::kSeed000Json;
using netshape::testing::read_link;

namespace {

CodeExport export_link(std::string_view link) {
    const Architecture architecture = read_link(link);
    return export_pytorch(architecture, analyze(architecture));
}

bool contains(const std::string& text, std::string_view piece) { return text.find(piece) != std::string::npos; }

} // namespace

TEST_CASE("export pytorch: seed 000 fills in in_channels and in_features", "[export]") {
    const CodeExport code = export_link(
        "ns1;1x28x28/conv2d(32,5)+relu/maxpool2d(2)/conv2d(32,3)+relu/maxpool2d(2)/flatten/linear(256)+relu/linear(10)+softmax");
    REQUIRE(code.error.empty());
    // Seed 000: 28 − 5 + 1 = 24, pooled to 12; 12 − 3 + 1 = 10, pooled to 5; 32·5·5 = 800 features.
    CHECK(contains(code.code, "self.conv2d_1 = nn.Conv2d(1, 32, kernel_size=5)"));
    CHECK(contains(code.code, "self.conv2d_2 = nn.Conv2d(32, 32, kernel_size=3)"));
    CHECK(contains(code.code, "self.linear_1 = nn.Linear(800, 256)"));
    CHECK(contains(code.code, "self.linear_2 = nn.Linear(256, 10)"));
    CHECK(contains(code.code, "conv2d_1 = torch.relu(self.conv2d_1(x))"));
    CHECK(contains(code.code, "linear_2 = F.softmax(self.linear_2(linear_1), dim=-1)"));
    CHECK(contains(code.code, "return linear_2"));
    CHECK(contains(code.code, "torch.zeros(batch_size, 1, 28, 28)"));
    // 5·5·1·32 + 32 = 832; 3·3·32·32 + 32 = 9,248; 800·256 + 256 = 205,056; 256·10 + 10 = 2,570.
    CHECK(contains(code.code, "# Total params: 217,706"));
}

TEST_CASE("export pytorch: graphs become tensor operations, shared layers call one module", "[export]") {
    const CodeExport code = export_link(
        "ns1;left=1x8x8;right=1x8x8/enc=conv2d(4,3,@left)/enc_2=@enc(@right)/both=concat(@enc,@enc_2)/d=add(@enc,@enc_2)");
    REQUIRE(code.error.empty());
    CHECK(code.input_identifiers == std::vector<std::string>{"left", "right"});
    CHECK(contains(code.code, "def forward(self, left, right):"));
    CHECK(contains(code.code, "enc_2 = self.enc(right)")); // the second call has no module of its own
    CHECK_FALSE(contains(code.code, "self.enc_2 ="));
    CHECK(contains(code.code, "both = torch.cat([enc, enc_2], dim=1)")); // the channel axis, after the batch
    CHECK(contains(code.code, "d = enc + enc_2"));
    CHECK(contains(code.code, "return both, d")); // two layers nothing reads: two outputs
}

TEST_CASE("export pytorch: names Python or nn.Module would not take are changed, and only those", "[export]") {
    const CodeExport code = export_link("ns1;4/train=linear(3)/class=relu/x=identity/1st-layer.a=linear(2)/conv=relu");
    REQUIRE(code.error.empty());
    CHECK(code.input_identifiers == std::vector<std::string>{"x"});
    // train: an nn.Module method; class: a keyword; x: the input's; 1st-layer.a: not an identifier.
    CHECK(code.layer_identifiers ==
          std::vector<std::string>{"train_layer", "class_layer", "x_2", "layer_1st_layer_a", "conv"});
    const auto& attributes = pytorch_module_attributes();
    for (const char* method : {"forward", "train", "eval", "to", "parameters", "state_dict", "training"})
        CHECK(std::find(attributes.begin(), attributes.end(), method) != attributes.end());
}

TEST_CASE("export pytorch: refuses a design with an error and one in Keras's conventions", "[export]") {
    const CodeExport broken = export_link("ns1;1x4x4/conv2d(8,5)");
    CHECK(broken.code.empty());
    CHECK(contains(broken.error, "layers[0] 'conv2d_1' (conv2d)"));
    const CodeExport keras = export_link("ns1;keras;28x28x1/conv2d(8,3)");
    CHECK(keras.code.empty());
    CHECK(contains(keras.error, "Keras's conventions"));
}

TEST_CASE("export pytorch: fields from PyTorch 2.1 are written with a note", "[export]") {
    const CodeExport code = export_link("ns1;10x16/layernorm(16,bias=false)");
    REQUIRE(code.error.empty());
    CHECK(contains(code.code, "nn.LayerNorm(16, bias=False)  # bias=False: PyTorch 2.1 or later"));
}

TEST_CASE("export csv: one row per layer, shapes quoted for their commas", "[export]") {
    const std::string csv = format_csv(analyze_json(kSeed000Json));
    CHECK(csv.starts_with("layer,type,inputs,output_shape,params,trainable_params,non_trainable_params,macs\r\n"));
    // conv2d_1: [32, 24, 24]; 5·5·1·32 + 32 = 832 parameters; MACs 24·24·5·5·1·32 = 460,800.
    CHECK(contains(csv, "\r\nconv2d_1,conv2d,input,\"[32, 24, 24]\",832,832,0,460800\r\n"));
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 7);
}

TEST_CASE("export latex: a booktabs table with LaTeX's special characters escaped", "[export]") {
    const std::string latex = format_latex(analyze_json(kSeed000Json));
    CHECK(contains(latex, "\\begin{tabular}{lrr}\n\\toprule\n"));
    CHECK(contains(latex, "Param \\#"));
    CHECK(contains(latex, "conv2d\\_2 (Conv2d) + relu & [32, 10, 10] & 9,248 \\\\\n")); // 3·3·32·32 + 32
    CHECK(contains(latex, "\\bottomrule\n\\end{tabular}\n"));
}

// ---- Keras ----

#include "engine/export_keras.h"

TEST_CASE("export keras: explicit padding becomes a ZeroPadding layer before a valid convolution", "[export]") {
    const Architecture design = read_link("ns1;keras;224x224x3/conv2d(64,7,stride=2,padding=3)");
    const CodeExport code = export_keras_code(design, analyze(design));
    REQUIRE(code.error.empty());
    // (224 + 2·3 − 7)/2 + 1 = 112 either way: Keras's own ResNet50 writes its stem so.
    CHECK(contains(code.code, "conv2d_1_pad = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name='conv2d_1_pad')(input)"));
    CHECK(contains(code.code, "layers.Conv2D(filters=64, kernel_size=(7, 7), strides=(2, 2), padding='valid'"));
}

TEST_CASE("export keras: a shared layer is made once and called twice, and refusals name the layer", "[export]") {
    const Architecture design = read_link("ns1;keras;a=10;b=10/h=linear(8,@a)/h2=@h(@b)/s=add(@h,@h2)");
    const CodeExport code = export_keras_code(design, analyze(design));
    REQUIRE(code.error.empty());
    CHECK(contains(code.code, "h_layer = layers.Dense(units=8, use_bias=True, name='h')\nh = h_layer(a)\nh_2 = h_layer(b)\n"));
    CHECK(contains(code.code, "s = layers.Add(name='s')([h, h_2])"));
    const Architecture torch_design = read_link("ns1;1x8x8/conv2d(4,3)");
    CHECK(contains(export_keras_json(torch_design, analyze(torch_design)).error, "PyTorch's conventions"));
    const Architecture adaptive = read_link("ns1;keras;8x8x3/adaptive_avgpool2d(2)");
    CHECK(export_keras_json(adaptive, analyze(adaptive)).error ==
          "layers[0] 'adaptive_avgpool2d_1' (adaptive_avgpool2d): type: Keras has no layer netshape can write adaptive_avgpool2d as");
}

TEST_CASE("export keras: attention is written as Keras calls MultiHeadAttention, (query, value, key)", "[export]") {
    // Three inputs: netshape's are query, key, value; Keras's call is (query, value, key=None).
    const Architecture cross = read_link("ns1;keras;q=5x16;k=7x8;v=7x12/att=multihead_attention(@q,@k,@v,4,key_dim=6,causal=true)");
    const CodeExport code = export_keras_code(cross, analyze(cross));
    REQUIRE(code.error.empty());
    CHECK(contains(code.code, "att = layers.MultiHeadAttention(num_heads=4, key_dim=6, use_bias=True, name='att')(q, v, key=k, "
                              "use_causal_mask=True)"));
    // One input attends to itself: (x, x); key_dim written as netshape's default, 16 features / 2 heads = 8.
    const Architecture self = read_link("ns1;keras;5x16/multihead_attention(2)");
    CHECK(contains(export_keras_code(self, analyze(self)).code,
                   "layers.MultiHeadAttention(num_heads=2, key_dim=8, use_bias=True, name='multihead_attention_1')(input, input)"));
    // TensorFlow.js, which builds the JSON, has no MultiHeadAttention.
    CHECK(contains(export_keras_json(self, analyze(self)).error, "TensorFlow.js has no MultiHeadAttention"));
}
