// Recurrent states: rnn_state (PyTorch's h_n and c_n, Keras's return_state=True) and initial
// states given to a recurrent layer as extra inputs. Every expected value is quoted from a run of
// the framework: PyTorch 1.13 (Debian's python3-torch) and TensorFlow.js 4.22 (npm), each script's
// lines in the comments; the state shapes drop the batch axis, which PyTorch's h_n and c_n hold
// second — (D·num_layers, N, H) — and Keras's first.
#include "support.h"

#include "engine/json_format.h"
#include "engine/link_text.h"

using namespace netshape;
using namespace netshape::testing;

namespace {

const LayerResult& layer_named(const Analysis& analysis, std::string_view name) {
    for (const LayerResult& layer : analysis.layers)
        if (layer.name == name) return layer;
    FAIL("no layer named " << name);
    return analysis.layers.front();
}

} // namespace

TEST_CASE("PyTorch: h_n is [D·num_layers, H_out], c_n [D·num_layers, hidden_size]", "[sequence][states]") {
    // x = torch.zeros(3, 20, 12); out, states = module(x) with batch_first=True:
    //   LSTM(12, 16, num_layers=2, bidirectional=True): states (4, 3, 16), (4, 3, 16); 10,240 params
    //   LSTM(12, 16, proj_size=4): states (1, 3, 4), (1, 3, 16); 1,216 params
    //   GRU(12, 8): state (1, 3, 8); 528 params
    //   RNN(12, 10, num_layers=3): state (3, 3, 10); 680 params
    // and unbatched, LSTM(12, 16, num_layers=2, bidirectional=True)(torch.zeros(20, 12)): (4, 16), (4, 16).
    auto [recurrent, h, c, params] = GENERATE(table<std::string, Shape, Shape, int64_t>({
        {"lstm(16,num_layers=2,bidirectional=true)", {4, 16}, {4, 16}, 10'240},
        {"lstm(16,proj_size=4)", {1, 4}, {1, 16}, 1'216},
        {"gru(8)", {1, 8}, {}, 528},
        {"rnn(10,num_layers=3)", {3, 10}, {}, 680},
    }));
    CAPTURE(recurrent);
    const bool lstm = recurrent.starts_with("lstm");
    const Analysis analysis =
        analyze_link("ns1;20x12/r=" + recurrent + "/h=rnn_state(h)" + (lstm ? "/c=rnn_state(@r,c)" : ""));
    INFO((analysis.error ? analysis.error->message : std::string()));
    REQUIRE(analysis.ok());
    CHECK(layer_named(analysis, "r").params == params);
    CHECK(layer_named(analysis, "h").output_shape == h);
    CHECK(layer_named(analysis, "h").params == 0);
    CHECK(layer_named(analysis, "h").macs == 0);
    if (lstm) CHECK(layer_named(analysis, "c").output_shape == c);
    CHECK(analysis.total_params == params);
}

TEST_CASE("PyTorch: initial states are checked against h_0 and c_0 and leave the counts alone", "[sequence][states]") {
    // LSTM(12, 16, proj_size=4, batch_first=True)(x, (zeros(1, 3, 4), zeros(1, 3, 16))): out (3, 20, 4), 1,216 params
    // GRU(12, 8, num_layers=2, bidirectional=True, batch_first=True)(x, zeros(4, 3, 8)): out (3, 20, 16), 2,304 params
    const Analysis accepted = analyze_link("ns1;x=20x12;h=1x4;c=1x16;h2=4x8/a=lstm(16,proj_size=4,@x,@h,@c)/"
                                           "b=gru(8,num_layers=2,bidirectional=true,@x,@h2)");
    INFO((accepted.error ? accepted.error->message : std::string()));
    REQUIRE(accepted.ok());
    CHECK(layer_named(accepted, "a").output_shape == Shape{20, 4});
    CHECK(layer_named(accepted, "a").params == 1'216);
    CHECK(layer_named(accepted, "b").output_shape == Shape{20, 16});
    CHECK(layer_named(accepted, "b").params == 2'304);

    // PyTorch refuses: "Expected hidden[0] size (1, 3, 4), got [1, 3, 16]" (h_0 of the projected LSTM)
    const Analysis projected = analyze_link("ns1;x=20x12;h=1x16;c=1x16/lstm(16,proj_size=4,@x,@h,@c)");
    CHECK(projected.error->field == "inputs");
    CHECK_THAT(error_detail(projected),
               Catch::Contains("h_0 (input 2) must be [1, 4]") && Catch::Contains("received [1, 16]"));
    // "Expected hidden size (1, 3, 8), got [2, 3, 8]"
    CHECK_THAT(error_detail(analyze_link("ns1;x=20x12;h=2x8/gru(8,@x,@h)")), Catch::Contains("must be [1, 8]"));
    // An LSTM takes (h_0, c_0) together: forward(input, hx) unpacks hx into two tensors.
    CHECK_THAT(error_detail(analyze_link("ns1;x=20x12;h=1x16/lstm(16,@x,@h)")),
               Catch::Contains("two initial states (h and c together"));
    CHECK_THAT(error_detail(analyze_link("ns1;x=20x12;h=1x16/gru(16,@x,@h,@h)")),
               Catch::Contains("gru takes 1 to 2 inputs; received 3"));
}

TEST_CASE("Keras: return_state and initial_state, the character-level seq2seq example", "[sequence][states]") {
    // tfjs: encoder lstm({units: 256, returnState: true}) on input [null, 71]: [null, 256] three
    // times; the decoder lstm({units: 256, returnSequences: true, returnState: true}) applied with
    // {initialState: [h, c]} on [null, 93]: [null, null, 256], [null, 256], [null, 256]; dense
    // 93; model.countParams() 718,173: LSTM 335,872, LSTM 358,400, Dense 23,901.
    const Analysis analysis = analyze_link(
        "ns1;keras;enc_in=15x71;dec_in=59x93/enc=lstm(256,@enc_in)/h=rnn_state(h)/c=rnn_state(@enc,c)/"
        "dec=lstm(256,return_sequences=true,@dec_in,@h,@c)/dec_h=rnn_state(h)/out=linear(93,@dec)+softmax");
    INFO((analysis.error ? analysis.error->message : std::string()));
    REQUIRE(analysis.ok());
    CHECK(layer_named(analysis, "h").output_shape == Shape{256});
    CHECK(layer_named(analysis, "c").output_shape == Shape{256});
    CHECK(layer_named(analysis, "dec_h").output_shape == Shape{256});
    CHECK(layer_named(analysis, "dec").output_shape == Shape{59, 256});
    CHECK(layer_named(analysis, "enc").params == 335'872);
    CHECK(layer_named(analysis, "dec").params == 358'400);
    CHECK(layer_named(analysis, "out").params == 23'901);
    CHECK(analysis.total_params == 718'173);
    CHECK(layer_named(analysis, "h").class_name == "return_state");
}

TEST_CASE("Keras: GRU and SimpleRNN states are [units]", "[sequence][states]") {
    // tfjs on input [15, 71]: gru({units: 8, returnState: true, resetAfter: false}): [null, 8] and
    // [null, 8], 1,920 params; simpleRNN({units: 10, returnState: true, returnSequences: true}):
    // [null, 15, 10] and [null, 10], 820 params; simpleRNN({units: 10}) applied with
    // {initialState: [that state]}: [null, 10], 820 params.
    const Analysis analysis = analyze_link("ns1;keras;x=15x71/g=gru(8,reset_after=false,@x)/gh=rnn_state(h)/"
                                           "r=rnn(10,return_sequences=true,@x)/rh=rnn_state(h)/r2=rnn(10,@x,@rh)");
    INFO((analysis.error ? analysis.error->message : std::string()));
    REQUIRE(analysis.ok());
    CHECK(layer_named(analysis, "gh").output_shape == Shape{8});
    CHECK(layer_named(analysis, "g").params == 1'920);
    CHECK(layer_named(analysis, "rh").output_shape == Shape{10});
    CHECK(layer_named(analysis, "r").params == 820);
    CHECK(layer_named(analysis, "r2").output_shape == Shape{10});
    CHECK(layer_named(analysis, "r2").params == 820);
    // tfjs refuses one state for an LSTM: "An initialState was passed that is not compatible with
    // cell.stateSize … cell.stateSize is 256,256"
    CHECK_THAT(error_detail(analyze_link("ns1;keras;x=15x71;h=256/lstm(256,@x,@h)")),
               Catch::Contains("two initial states"));
    CHECK_THAT(error_detail(analyze_link("ns1;keras;x=15x71;h=12;c=12/lstm(10,@x,@h,@c)")),
               Catch::Contains("the initial state_h (input 2) must be [10]"));
}

TEST_CASE("rnn_state reads a recurrent layer itself, and c only from an LSTM", "[sequence][states][errors]") {
    const Analysis after_relu = analyze_link("ns1;4x3/gru(5)/relu/rnn_state(h)");
    CHECK(after_relu.error->field == "inputs");
    CHECK_THAT(error_detail(after_relu), Catch::Contains("it reads the output of relu_1"));
    const Analysis model_input = analyze_link("ns1;4x3/rnn_state(h)");
    CHECK_THAT(error_detail(model_input), Catch::Contains("it reads the model input"));
    const Analysis cell_of_gru = analyze_link("ns1;4x3/gru(5)/rnn_state(c)");
    CHECK(cell_of_gru.error->field == "which");
    CHECK_THAT(error_detail(cell_of_gru), Catch::Contains("only an LSTM has a cell state c"));
    CHECK(analyze_link("ns1;4x3/lstm(5)/rnn_state(x)").error->field == "which");
    // Keras's Bidirectional returns [output, forward_h, forward_c, backward_h, backward_c]: not read here.
    CHECK_THAT(error_detail(analyze_link("ns1;keras;4x3/lstm(5,bidirectional=true)/rnn_state(h)")),
               Catch::Contains("Bidirectional"));
    CHECK_THAT(error_detail(analyze_link("ns1;keras;x=4x3;h=5;c=5/lstm(5,bidirectional=true,@x,@h,@c)")),
               Catch::Contains("Bidirectional"));
    CHECK_THAT(error_detail(analyze_link("ns1;keras;4x3/lstm(5,num_layers=2)/rnn_state(h)")),
               Catch::Contains("one layer of cells"));
}

TEST_CASE("a layer called again (shares) has its own states", "[sequence][states]") {
    // The same LSTM(16) on two sequences: its second call's h_n is that call's, [1, 16]; the
    // weights counted once: 4·16·(12 + 16) = 1,792 and two bias vectors 2·4·16 = 128.
    const Analysis analysis = analyze_link("ns1;a=20x12;b=7x12/enc=lstm(16,@a)/enc2=@enc(@b)/h=rnn_state(@enc2,h)");
    INFO((analysis.error ? analysis.error->message : std::string()));
    REQUIRE(analysis.ok());
    CHECK(layer_named(analysis, "h").output_shape == Shape{1, 16});
    CHECK(analysis.total_params == 1'792 + 128);
}

TEST_CASE("rnn_state and initial states in the link text and JSON", "[sequence][states][link]") {
    const std::string text = "ns1;keras;src=15x71;tgt=9x93/enc=lstm(@src,256)/h=rnn_state(h)/c=rnn_state(@enc,c)/"
                             "dec=lstm(@tgt,@h,@c,256,return_sequences=true)/linear(93)+softmax";
    const Architecture architecture = read_link(text);
    CHECK(architecture_to_text(architecture) == text);
    CHECK(architecture.layers[1].fields ==
          std::vector<std::pair<std::string, FieldValue>>{{"which", std::string("h")}});
    CHECK(architecture.layers[3].inputs == std::vector<std::string>{"tgt", "h", "c"});
    const std::string json = architecture_to_json(architecture, -1);
    CHECK_THAT(json, Catch::Contains(R"({"type":"rnn_state","name":"c","inputs":["enc"],"which":"c"})"));
    CHECK(architecture_to_text(read_architecture_json(json).architecture) == text);
}
