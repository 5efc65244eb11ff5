// Imports Keras code with netshape (`netshape import --from keras-code`) and compares the design
// with the same models built by TensorFlow.js: every layer's output shape and parameter count, and
// the totals, trainable and non-trainable. The code is written here from the specs below, in the
// styles notebooks use (a Sequential's list, model.add, tf.keras. prefixes, bare class names, the
// functional style with shared layers and merge functions, comments, trailing commas, arguments by
// position as Keras's signatures order them); tfjs builds the same specs. Every expected value
// comes from tfjs.
//   node check_keras_code_import.mjs NETSHAPE WORK_DIR
// @tensorflow/tfjs comes from tests/crosscheck (npm ci there; .ci/dev does).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import { importedSummary } from './imported_summary.mjs';
import { twoInputGraph } from './two_input_graph.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../crosscheck/package.json'));
const tf = require('@tensorflow/tfjs');
const [netshape, work] = process.argv.slice(2);
mkdirSync(work, { recursive: true });

// Keras's class → tfjs's factory, and the leading arguments Keras's signature takes by position
// (keras.io's API reference: Dense(units, activation, …), Conv2D(filters, kernel_size, strides,
// padding, …), Dropout(rate, …), Embedding(input_dim, output_dim, …), LSTM(units, …), …).
const classes = {
  Dense: ['dense', ['units', 'activation']],
  Conv1D: ['conv1d', ['filters', 'kernel_size', 'strides', 'padding']],
  Conv2D: ['conv2d', ['filters', 'kernel_size', 'strides', 'padding']],
  Conv2DTranspose: ['conv2dTranspose', ['filters', 'kernel_size', 'strides', 'padding']],
  DepthwiseConv2D: ['depthwiseConv2d', ['kernel_size', 'strides', 'padding', 'depth_multiplier']],
  SeparableConv2D: ['separableConv2d', ['filters', 'kernel_size', 'strides', 'padding']],
  MaxPooling1D: ['maxPooling1d', ['pool_size', 'strides', 'padding']],
  MaxPooling2D: ['maxPooling2d', ['pool_size', 'strides', 'padding']],
  AveragePooling2D: ['averagePooling2d', ['pool_size', 'strides', 'padding']],
  GlobalAveragePooling2D: ['globalAveragePooling2d', []],
  GlobalMaxPooling2D: ['globalMaxPooling2d', []],
  BatchNormalization: ['batchNormalization', []],
  LayerNormalization: ['layerNormalization', []],
  Dropout: ['dropout', ['rate']],
  Flatten: ['flatten', []],
  Activation: ['activation', ['activation']],
  LeakyReLU: ['leakyReLU', ['alpha']],
  ZeroPadding2D: ['zeroPadding2d', ['padding']],
  Cropping2D: ['cropping2D', ['cropping']],
  UpSampling2D: ['upSampling2d', ['size']],
  Embedding: ['embedding', ['input_dim', 'output_dim']],
  LSTM: ['lstm', ['units']],
  GRU: ['gru', ['units']],
  SimpleRNN: ['simpleRNN', ['units']],
  Bidirectional: ['bidirectional', ['layer']],
  Reshape: ['reshape', ['target_shape']],
  Permute: ['permute', ['dims']],
  Add: ['add', []],
  Concatenate: ['concatenate', []],
  Multiply: ['multiply', []],
  Rescaling: ['rescaling', ['scale', 'offset']],
};

// One layer: its class, the arguments written by position (the first `positional` of its
// signature), and the rest by keyword.
const layer = (cls, args = {}, positional = 0) => ({ cls, args, positional });

const camel = (key) => key.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const python = (value, prefix) => {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return value.length === 1 ? `(${python(value[0], prefix)},)` : `(${value.map((v) => python(v, prefix)).join(', ')})`;
  if (typeof value === 'object' && value.cls) return code(value, prefix); // Bidirectional's layer
  return String(value);
};

// The layer as Keras code, with `prefix` before the class ("layers.", "tf.keras.layers.", "").
function code(spec, prefix) {
  const order = classes[spec.cls][1];
  const names = Object.keys(spec.args);
  const parts = [];
  for (let i = 0; i < spec.positional; i++) parts.push(python(spec.args[order[i]], prefix));
  for (const name of names) if (order.indexOf(name) < 0 || order.indexOf(name) >= spec.positional) parts.push(`${name}=${python(spec.args[name], prefix)}`);
  return `${prefix}${spec.cls}(${parts.join(', ')})`;
}

// The same layer in tfjs.
function build(spec) {
  const config = {};
  for (const [key, value] of Object.entries(spec.args)) {
    if (key === 'layer') config.layer = build(value);
    else if (key === 'input_shape') config.inputShape = value;
    else config[camel(key)] = value;
  }
  return tf.layers[classes[spec.cls][0]](config);
}

// Sequential models, each written in another style.
const sequentials = {
  cnn: {
    style: 'list',
    input: [28, 28, 1],
    layers: [
      layer('Rescaling', { scale: 1 / 255 }, 1),
      layer('Conv2D', { filters: 8, kernel_size: 3, activation: 'relu' }, 2),
      layer('BatchNormalization'),
      layer('MaxPooling2D', { pool_size: 2 }, 1),
      layer('Conv2D', { filters: 16, kernel_size: [3, 5], strides: 2, padding: 'same', use_bias: false }, 4),
      layer('BatchNormalization', { scale: false }),
      layer('Activation', { activation: 'relu' }, 1),
      layer('ZeroPadding2D', { padding: [[1, 2], [0, 1]] }, 1),
      layer('AveragePooling2D', { pool_size: 3, strides: 1, padding: 'valid' }, 1),
      layer('Dropout', { rate: 0.25 }, 1),
      layer('Flatten'),
      layer('Dense', { units: 32, activation: 'elu' }, 1),
      layer('Dense', { units: 10, activation: 'softmax' }, 2),
    ],
  },
  separable: {
    style: 'add',
    layers: [
      layer('SeparableConv2D', { filters: 12, kernel_size: 3, input_shape: [32, 32, 3] }, 2),
      layer('DepthwiseConv2D', { kernel_size: 3, depth_multiplier: 2, padding: 'same' }, 1),
      layer('Conv2DTranspose', { filters: 6, kernel_size: 3, strides: 2, padding: 'same' }, 4),
      layer('UpSampling2D', { size: [2, 2] }, 1),
      layer('Cropping2D', { cropping: [[1, 1], [2, 0]] }, 1),
      layer('LeakyReLU', { alpha: 0.2 }, 1),
      layer('GlobalAveragePooling2D'),
      layer('Dense', { units: 3 }, 1),
    ],
  },
  sequence: {
    style: 'tf.keras',
    layers: [
      layer('Embedding', { input_dim: 500, output_dim: 16, input_length: 20 }, 2),
      layer('Conv1D', { filters: 8, kernel_size: 3, activation: 'relu' }, 2),
      layer('MaxPooling1D', { pool_size: 2 }),
      layer('Bidirectional', { layer: layer('LSTM', { units: 12, return_sequences: true }, 1) }, 1),
      // reset_after stated: tfjs builds only False; Keras's Python default is True (TF 2), which
      // netshape follows (tests/import_keras_code_test.cpp).
      layer('GRU', { units: 6, return_sequences: true, reset_after: false }, 1),
      layer('SimpleRNN', { units: 5 }),
      layer('Dense', { units: 1, activation: 'sigmoid' }, 2),
    ],
  },
  shapes: {
    style: 'bare',
    input: [24],
    layers: [
      layer('Reshape', { target_shape: [4, 6] }, 1),
      layer('Permute', { dims: [2, 1] }, 1),
      layer('LayerNormalization'),
      layer('Flatten'),
      layer('Reshape', { target_shape: [2, 3, 4] }),
      layer('Dense', { units: 5 }, 1),
    ],
  },
};

function sequential_code(name, model) {
  const lines = ['# written by check_keras_code_import.mjs'];
  const input = model.input ? `keras.Input(shape=${python(model.input, '')})` : null;
  if (model.style === 'list') {
    lines.push('from tensorflow import keras', 'from tensorflow.keras import layers', '', 'model = keras.Sequential(');
    lines.push('    [');
    if (input) lines.push(`        ${input},  # one sample`);
    for (const spec of model.layers) lines.push(`        ${code(spec, 'layers.')},`);
    lines.push('    ],', `    name="${name}",`, ')');
  } else if (model.style === 'add') {
    lines.push('import keras', 'from keras import layers', '', `model = keras.Sequential(name="${name}")`);
    for (const spec of model.layers) lines.push(`model.add(${code(spec, 'layers.')})`);
    lines.push('model.compile(optimizer="adam", loss="mse")', 'model.summary()');
  } else if (model.style === 'tf.keras') {
    lines.push('import tensorflow as tf', '', `model = tf.keras.Sequential([  # ${name}`);
    for (const spec of model.layers) lines.push(`    ${code(spec, 'tf.keras.layers.')},`);
    lines.push(`], name="${name}")`);
  } else {
    const used = [...new Set(model.layers.map((spec) => spec.cls))];
    lines.push(`from tensorflow.keras.layers import ${used.join(', ')}, Input`, 'from tensorflow.keras.models import Sequential', '');
    lines.push(`model = Sequential(name="${name}")`);
    if (input) lines.push(`model.add(Input(shape=${python(model.input, '')}))`);
    for (const spec of model.layers) lines.push(`model.add(${code(spec, '')})`);
  }
  return lines.join('\n') + '\n';
}

function sequential_model(name, model) {
  const built = tf.sequential({ name });
  model.layers.forEach((spec, i) => {
    const l = i === 0 && model.input ? build({ ...spec, args: { ...spec.args, input_shape: model.input } }) : build(spec);
    built.add(l);
  });
  return built;
}

// A functional model: two inputs, a layer shared by two calls, merges by layer and by function.
const graph_code = `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

image = keras.Input(shape=(16, 16, 3), name="image")
meta = keras.Input((10,), name="meta")
a = layers.Conv2D(4, 3, padding="same", name="a")(image)
b = layers.Conv2D(4, kernel_size=1, name="b")(image)
added = layers.Add(name="added")([a, b])
joined = layers.concatenate([added, a], name="joined")  # the function form
pooled = layers.GlobalMaxPooling2D(name="pooled")(joined)
shared = layers.Dense(8, name="shared")
m1 = shared(meta)
m2 = shared(layers.Dense(10, name="pre")(meta))
mixed = layers.Concatenate(axis=1, name="mixed")([pooled, m1, m2])
out = layers.Dense(2, activation="softmax", name="out")(mixed)
aux = layers.multiply([m1, m2], name="aux")
model = keras.Model(inputs=[image, meta], outputs=[out, aux], name="graph")
`;


const cases = Object.entries(sequentials).map(([name, spec]) => ({
  name, text: sequential_code(name, spec), model: sequential_model(name, spec), by_order: true,
}));
cases.push({ name: 'graph', text: graph_code, model: twoInputGraph(tf, { outActivation: 'softmax', name: 'graph' }), by_order: false });

const sample_shape = (layer) => {
  const shape = Array.isArray(layer.outputShape[0]) || layer.outputShape[0] === undefined ? layer.inboundNodes[0].outputShapes : layer.outputShape;
  return (Array.isArray(shape[0]) ? shape[0] : shape).slice(1);
};

let problems = 0;
for (const { name, text, model, by_order } of cases) {
  const path = join(work, `${name}.py`);
  writeFileSync(path, text);
  const summary = importedSummary(netshape, work, name, 'keras-code', path);
  if (!summary) {
    problems++;
    continue;
  }
  const report = (message) => { console.log(`${name}: ${message}`); problems++; };
  if (summary.error) { report(`the imported design has an error: ${summary.error.message}`); continue; }
  const count = (weights) => weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  if (summary.total_params !== model.countParams()) report(`tfjs counts ${model.countParams()} parameters, netshape ${summary.total_params}`);
  if (summary.trainable_params !== count(model.trainableWeights)) report(`tfjs has ${count(model.trainableWeights)} trainable, netshape ${summary.trainable_params}`);
  if (summary.non_trainable_params !== count(model.nonTrainableWeights)) report(`tfjs has ${count(model.nonTrainableWeights)} non-trainable, netshape ${summary.non_trainable_params}`);
  const theirs = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  if (by_order && theirs.length !== summary.layers.length) report(`tfjs has ${theirs.length} layers, netshape ${summary.layers.length}`);
  let compared = 0;
  theirs.forEach((l, i) => {
    const mine = by_order ? summary.layers[i] : summary.layers.find((m) => m.name === l.name);
    if (!mine) { report(`no layer for tfjs's ${l.name}`); return; }
    compared++;
    const sample = sample_shape(l);
    if (JSON.stringify(sample) !== JSON.stringify(mine.output_shape)) report(`${mine.name}: tfjs gives [${sample}], netshape [${mine.output_shape}]`);
    if (l.countParams() !== mine.params) report(`${mine.name}: tfjs counts ${l.countParams()}, netshape ${mine.params}`);
  });
  console.log(`${name}: ${model.countParams()} parameters, ${compared} layers compared`);
}
process.exit(problems ? 1 : 0);
