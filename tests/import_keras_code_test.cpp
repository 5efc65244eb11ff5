// Import from Keras code: what code netshape cannot read gets (its line, column and the nearest
// name), and the defaults and names Keras's documentation gives. That real models import with
// TensorFlow.js's counts and shapes is checked against tfjs itself
// (tests/import/check_keras_code_import.mjs, which writes the code from its own specs).
#include "engine/analysis.h"
#include "engine/import_keras_code.h"

#include <catch2/catch.hpp>

#include <string>

using namespace netshape;

namespace {

ImportError code_error(std::string_view text, const Shape& input = {}) {
    const ImportResult result = import_keras_code(text, input);
    REQUIRE(result.error.has_value());
    return *result.error;
}

Analysis imported(std::string_view text, const Shape& input = {}) {
    const ImportResult result = import_keras_code(text, input);
    if (result.error) FAIL(result.error->message);
    return analyze(result.architecture);
}

} // namespace

TEST_CASE("import keras code: a Sequential's list, with an Input, comments and a trailing comma", "[import]") {
    const Analysis analysis = imported(R"(from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential(
    [
        keras.Input(shape=(784,)),  # a flattened 28×28 image
        layers.Dense(64, activation="relu"),
        layers.Dense(10),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
)");
    REQUIRE(analysis.ok());
    REQUIRE(analysis.layers.size() == 2);
    // Dense: a kernel of in × units and units biases: 784·64 + 64 = 50,240; 64·10 + 10 = 650.
    CHECK(analysis.layers[0].params == 50240);
    CHECK(analysis.layers[1].params == 650);
    CHECK(analysis.layers[0].output_shape == Shape{64});
}

TEST_CASE("import keras code: layers are named as Keras names them", "[import]") {
    // Keras: the class in snake case, then _1, _2 for later layers of the class
    // (base_layer_utils.unique_object_name).
    const ImportResult result = import_keras_code(R"(model = tf.keras.Sequential()
model.add(tf.keras.layers.Conv2D(4, 3, input_shape=(8, 8, 1)))
model.add(tf.keras.layers.BatchNormalization())
model.add(tf.keras.layers.MaxPooling2D())
model.add(tf.keras.layers.Flatten())
model.add(tf.keras.layers.Dense(3))
model.add(tf.keras.layers.Dense(2, name="logits"))
model.add(tf.keras.layers.Dense(2))
)");
    REQUIRE_FALSE(result.error.has_value());
    std::vector<std::string> names;
    for (const LayerSpec& layer : result.architecture.layers) names.push_back(layer.name);
    CHECK(names == std::vector<std::string>{"conv2d", "batch_normalization", "max_pooling2d", "flatten", "dense", "logits", "dense_1"});
}

TEST_CASE("import keras code: Keras's documented defaults where the code gives none", "[import]") {
    // MaxPooling2D(): pool_size (2, 2) and strides = pool_size, so 8×8 → 4×4; ZeroPadding2D():
    // padding 1 on each side, so 4×4 → 6×6; UpSampling2D(): size (2, 2), so 6×6 → 12×12.
    const Analysis analysis = imported(R"(from tensorflow.keras.layers import MaxPooling2D, ZeroPadding2D, UpSampling2D
from tensorflow.keras.models import Sequential
model = Sequential([MaxPooling2D(input_shape=(8, 8, 3)), ZeroPadding2D(), UpSampling2D()]))");
    REQUIRE(analysis.ok());
    CHECK(analysis.layers[0].output_shape == Shape{4, 4, 3});
    CHECK(analysis.layers[1].output_shape == Shape{6, 6, 3});
    CHECK(analysis.layers[2].output_shape == Shape{12, 12, 3});
}

TEST_CASE("import keras code: a GRU takes TF 2's reset_after=True unless the code says otherwise", "[import]") {
    // Keras's GRU (TF 2) defaults to reset_after=True: 3 gates, each a kernel of input × units, a
    // recurrent kernel of units × units and two biases of units: 3·6·(8 + 6 + 2) = 288; with
    // reset_after=False one bias: 3·6·(8 + 6 + 1) = 270.
    CHECK(imported("model = keras.Sequential([layers.GRU(6, input_shape=(20, 8))])").total_params == 288);
    CHECK(imported("model = keras.Sequential([layers.GRU(6, reset_after=False, input_shape=(20, 8))])").total_params == 270);
}

TEST_CASE("import keras code: plain values assigned before are followed, arithmetic on sizes read", "[import]") {
    const Analysis analysis = imported(R"(hidden = 32
classes = 5
model = keras.Sequential([layers.Dense(hidden * 2, input_shape=(28 * 28,)), layers.Dense(classes)])
)");
    REQUIRE(analysis.ok());
    // 784·64 + 64 = 50,240; 64·5 + 5 = 325.
    CHECK(analysis.layers[0].params == 50240);
    CHECK(analysis.layers[1].params == 325);
}

TEST_CASE("import keras code: a Sequential with no input shape takes the one given", "[import]") {
    const char* code = "model = keras.Sequential([layers.Dense(4)])\n";
    CHECK(code_error(code).message == "the model has no input shape (built without one): give one sample's shape");
    const Analysis analysis = imported(code, {10});
    REQUIRE(analysis.ok());
    CHECK(analysis.total_params == 10 * 4 + 4);
    // model.build((None, 10)) says it in the code.
    CHECK(imported("model = keras.Sequential([layers.Dense(4)])\nmodel.build((None, 10))\n").total_params == 44);
}

TEST_CASE("import keras code: the functional style, inside a function", "[import]") {
    const Analysis analysis = imported(R"(def make_model():
    inputs = keras.Input(shape=(16,), name="features")
    x = layers.Dense(8, activation="relu")(inputs)
    skip = layers.Dense(8)(inputs)
    x = layers.add([x, skip])
    outputs = layers.Dense(1, activation="sigmoid")(x)
    return keras.Model(inputs=inputs, outputs=outputs)

model = make_model()
)");
    REQUIRE(analysis.ok());
    REQUIRE(analysis.layers.size() == 4);
    // Two Dense(8) on 16 features: 2·(16·8 + 8) = 272; the sum has none; Dense(1): 8 + 1 = 9.
    CHECK(analysis.total_params == 272 + 9);
    CHECK(analysis.layers[2].inputs == std::vector<std::string>{"dense", "dense_1"});
}

TEST_CASE("import keras code: an unknown layer is placed and the nearest known one named", "[import]") {
    const ImportError error = code_error("model = keras.Sequential([\n    keras.Input(shape=(28, 28, 1)),\n    layers.Conv2d(32, 3),\n])\n");
    CHECK(error.line == 3);
    CHECK(error.column == 5);
    CHECK(error.message == "line 3, column 5: netshape does not know the Keras layer 'Conv2d'; did you mean 'Conv2D'?");
    // Imported bare (from keras.layers import …) and called on a tensor: the same, where it is called.
    CHECK(code_error("x = keras.Input(shape=(4,))\ny = Dens(3)(x)\nmodel = keras.Model(x, y)\n").message ==
          "line 2, column 5: netshape does not know the Keras layer 'Dens'; did you mean 'Dense'?");
}

TEST_CASE("import keras code: an argument Keras's signature does not have", "[import]") {
    const ImportError misspelt = code_error("m = keras.Sequential([layers.Dense(10, activaton='relu', input_shape=(3,))])");
    CHECK(misspelt.message == "line 1, column 40: Dense has no argument 'activaton'; did you mean 'activation'?");
    // Dropout(rate, noise_shape=None, seed=None): three by position at most.
    CHECK(code_error("m = keras.Sequential([layers.Dropout(0.5, None, 1, 2)])").message ==
          "line 1, column 52: Dropout takes 3 arguments by position (rate, noise_shape, seed); received 4");
}

TEST_CASE("import keras code: layers added in a loop, and sizes the code never assigns", "[import]") {
    const ImportError loop = code_error(R"(model = keras.Sequential()
model.add(keras.Input(shape=(8,)))
for units in [16, 8]:
    model.add(layers.Dense(units))
)");
    CHECK(loop.message == "line 4, column 5: a layer added inside the 'for' on line 3, which netshape does not run; "
                          "write the layers out one by one");
    CHECK(code_error("model = keras.Sequential([layers.Dense(hidden, input_shape=(3,))])").message ==
          "line 1, column 40: units is 'hidden', a name the code never assigns a value: netshape reads the code, it "
          "does not run it; write the value");
    CHECK(code_error("x = 1\nmodel = keras.Sequential([layers.Dense(n_units)])\n", {3}).line == 2);
}

TEST_CASE("import keras code: code without a model, and a call never closed", "[import]") {
    CHECK(code_error("x = layers.Dense(3)\n").message.starts_with("line 1, column 1: no keras.Sequential(…) or keras.Model(…)"));
    const ImportError open = code_error("model = keras.Sequential([\n  layers.Dense(3,\n");
    CHECK(open.line == 2);
    CHECK(open.message.find("never closed") != std::string::npos);
}

TEST_CASE("import keras code: told apart from PyTorch code and the link text", "[import]") {
    CHECK(looks_like_keras_code("model = keras.Sequential([layers.Dense(3)])"));
    CHECK(looks_like_keras_code("inputs = Input(shape=(3,))\nx = layers.Dense(2)(inputs)\nm = Model(inputs, x)"));
    CHECK_FALSE(looks_like_keras_code("model = nn.Sequential(nn.Linear(3, 4))"));
    CHECK_FALSE(looks_like_keras_code("ns1;3x32x32/conv2d(16,3)"));
}

TEST_CASE("import keras code: a hostile text is refused, not followed down the stack", "[import]") {
    const std::string minus = "model = keras.Sequential([layers.Dense(" + std::string(100000, '-') + "3)])";
    CHECK(code_error(minus).message.find("nested more than 100 deep") != std::string::npos);
    const std::string brackets = "model = keras.Sequential(" + std::string(100000, '[') + std::string(100000, ']') + ")";
    CHECK(code_error(brackets).message.find("nested more than 100 deep") != std::string::npos);
    const std::string calls = "x = keras.Input(shape=(3,))\ny = " + std::string(50000, 'f') + std::string(50000, '(') + ")";
    CHECK(import_keras_code(calls).error.has_value()); // a statement that builds nothing is skipped, and no model is made
}

TEST_CASE("import keras code: a notebook's other statements are skipped, an activation layer as an argument refused", "[import]") {
    // Data loading, indexing and training do not change the model: skipped, even where netshape
    // cannot read them.
    const Analysis analysis = imported(R"((x_train, y_train), _ = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32") / 255
model = keras.Sequential([layers.Dense(10, input_shape=(784,))])
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
model.fit(x_train[:1000], y_train[:1000], epochs=1)
)");
    REQUIRE(analysis.ok());
    CHECK(analysis.total_params == 784 * 10 + 10);
    CHECK(code_error("model = keras.Sequential([layers.Dense(10, activation=layers.LeakyReLU(0.1), input_shape=(3,))])").message ==
          "line 1, column 55: activation is a layer: netshape reads an activation's name (\"relu\"); write a layer such as "
          "LeakyReLU as a layer of its own");
}

TEST_CASE("import keras code: return_state and initial_state, Keras's character-level seq2seq example", "[import]") {
    // keras.io/examples/nlp/lstm_seq2seq as written there, with the sequence lengths fixed (its
    // longest, 15 and 59) since netshape needs sizes. TensorFlow.js builds the same model (an
    // LSTM(256, returnState) over 71 features whose h and c start an LSTM(256, returnSequences)
    // over 93, then Dense(93)): model.countParams() 718,173; LSTMs 335,872 and 358,400, Dense
    // 23,901; the states [null, 256] each.
    const Analysis analysis = imported(R"(import keras
num_encoder_tokens = 71
num_decoder_tokens = 93
latent_dim = 256
encoder_inputs = keras.Input(shape=(15, num_encoder_tokens))
encoder = keras.layers.LSTM(latent_dim, return_state=True)
encoder_outputs, state_h, state_c = encoder(encoder_inputs)
# We discard `encoder_outputs` and only keep the states.
encoder_states = [state_h, state_c]
decoder_inputs = keras.Input(shape=(59, num_decoder_tokens))
decoder_lstm = keras.layers.LSTM(latent_dim, return_sequences=True, return_state=True)
decoder_outputs, _, _ = decoder_lstm(decoder_inputs, initial_state=encoder_states)
decoder_dense = keras.layers.Dense(num_decoder_tokens, activation="softmax")
decoder_outputs = decoder_dense(decoder_outputs)
model = keras.Model([encoder_inputs, decoder_inputs], decoder_outputs)
)");
    INFO((analysis.error ? analysis.error->message : std::string()));
    REQUIRE(analysis.ok());
    CHECK(analysis.total_params == 718'173);
    REQUIRE(analysis.layers.size() == 5);
    CHECK(analysis.layers[1].type == "rnn_state");
    CHECK(analysis.layers[1].output_shape == Shape{256});
    CHECK(analysis.layers[2].output_shape == Shape{256});
    CHECK(analysis.layers[3].inputs == std::vector<std::string>{"input_layer_1", "lstm_state_h", "lstm_state_c"});
    CHECK(analysis.layers[3].params == 358'400);

    // Unpacking what a call without return_state gives: one tensor, not three.
    const ImportError error = code_error(R"(import keras
x = keras.Input(shape=(15, 71))
out, h, c = keras.layers.LSTM(8)(x)
model = keras.Model(x, out)
)");
    CHECK(error.line == 3);
    CHECK_THAT(error.message, Catch::Contains("3 names are assigned a layer's output"));
}
