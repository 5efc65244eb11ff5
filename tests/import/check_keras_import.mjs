// Imports Keras JSON written by TensorFlow.js's model.toJSON() with netshape and compares the
// design with the model tfjs built: every layer's output shape and parameter count (by the
// layer's name; a layer called twice is compared on its first call), and the totals, trainable and
// non-trainable. Every expected value comes from tfjs.
//   node check_keras_import.mjs NETSHAPE WORK_DIR
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
const L = tf.layers;

function sequential(layers) {
  const model = tf.sequential();
  for (const layer of layers) model.add(layer);
  return model;
}

// Models that together use the Keras layers netshape imports, with the settings that change shapes
// and counts.
const models = {
  cnn: () => sequential([
    L.rescaling({ inputShape: [28, 28, 1], scale: 1 / 255, offset: -1 }),
    L.conv2d({ filters: 8, kernelSize: 3, activation: 'relu' }),
    L.batchNormalization(),
    L.maxPooling2d({ poolSize: 2 }),
    L.conv2d({ filters: 16, kernelSize: [3, 5], strides: 2, padding: 'same', useBias: false }),
    L.batchNormalization({ scale: false }),
    L.activation({ activation: 'relu' }),
    L.zeroPadding2d({ padding: [[1, 2], [0, 1]] }),
    L.averagePooling2d({ poolSize: 3, strides: 1, padding: 'valid' }),
    L.dropout({ rate: 0.25 }),
    L.flatten(),
    L.dense({ units: 32, activation: 'elu' }),
    L.dense({ units: 10, activation: 'softmax' }),
  ]),
  separable: () => sequential([
    // depthMultiplier 1: tfjs 4.22's toJSON leaves SeparableConv2D's depth_multiplier out (Keras's
    // to_json keeps it), so a JSON of another multiplier would not say what tfjs built.
    L.separableConv2d({ inputShape: [32, 32, 3], filters: 12, kernelSize: 3 }),
    L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }),
    L.conv2dTranspose({ filters: 6, kernelSize: 3, strides: 2, padding: 'same' }),
    L.upSampling2d({ size: [2, 2] }),
    L.cropping2D({ cropping: [[1, 1], [2, 0]] }),
    L.leakyReLU({ alpha: 0.2 }),
    L.globalAveragePooling2d({}),
    L.dense({ units: 3 }),
  ]),
  sequence: () => sequential([
    L.embedding({ inputDim: 500, outputDim: 16, inputLength: 20 }),
    L.conv1d({ filters: 8, kernelSize: 3, activation: 'relu' }),
    L.maxPooling1d({ poolSize: 2 }),
    L.bidirectional({ layer: L.lstm({ units: 12, returnSequences: true }) }),
    L.gru({ units: 6, returnSequences: true }),
    L.simpleRNN({ units: 5 }),
    L.dense({ units: 1, activation: 'sigmoid' }),
  ]),
  shapes: () => sequential([
    L.reshape({ inputShape: [24], targetShape: [4, 6] }),
    L.permute({ dims: [2, 1] }),
    L.layerNormalization(),
    L.flatten(),
    L.reshape({ targetShape: [2, 3, 4] }),
    L.dense({ units: 5 }),
    L.softmax(),
  ]),
  graph: () => twoInputGraph(tf),
  // seq2seq as Keras's character-level example writes it: the encoder's states start the decoder
  // (outputs 1 and 2 of its call), and a GRU's state is one of the model's outputs.
  states: () => {
    const source = tf.input({ shape: [15, 7], name: 'source' });
    const target = tf.input({ shape: [9, 5], name: 'target' });
    const [, h, c] = L.lstm({ units: 16, returnState: true, name: 'encoder' }).apply(source);
    const decoded = L.lstm({ units: 16, returnSequences: true, name: 'decoder' }).apply(target, { initialState: [h, c] });
    const [, g] = L.gru({ units: 16, returnState: true, resetAfter: false, name: 'summary' }).apply(target, { initialState: [h] });
    const out = L.dense({ units: 3, name: 'out' }).apply(decoded);
    return tf.model({ inputs: [source, target], outputs: [out, g] });
  },
};

let problems = 0;
for (const [name, build] of Object.entries(models)) {
  const model = build();
  const path = join(work, `${name}.json`);
  writeFileSync(path, JSON.stringify(model.toJSON(null, false)));
  const summary = importedSummary(netshape, work, name, 'keras-json', path);
  if (!summary) {
    problems++;
    continue;
  }
  const report = (text) => { console.log(`${name}: ${text}`); problems++; };
  if (summary.error) { report(`the imported design has an error: ${summary.error.message}`); continue; }
  const trainable = model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  const frozen = model.nonTrainableWeights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  if (summary.total_params !== model.countParams()) report(`tfjs counts ${model.countParams()} parameters, netshape ${summary.total_params}`);
  if (summary.trainable_params !== trainable) report(`tfjs has ${trainable} trainable, netshape ${summary.trainable_params}`);
  if (summary.non_trainable_params !== frozen) report(`tfjs has ${frozen} non-trainable, netshape ${summary.non_trainable_params}`);
  let compared = 0;
  for (const layer of model.layers) {
    const mine = summary.layers.find((l) => l.name === layer.name);
    if (!mine) { if (layer.getClassName() !== 'InputLayer') report(`no layer named ${layer.name}`); continue; }
    compared++;
    const shape = (Array.isArray(layer.outputShape[0]) || layer.outputShape[0] === undefined ? layer.inboundNodes[0].outputShapes : layer.outputShape);
    const sample = (Array.isArray(shape[0]) ? shape[0] : shape).slice(1);
    if (JSON.stringify(sample) !== JSON.stringify(mine.output_shape)) report(`${layer.name}: tfjs gives [${sample}], netshape [${mine.output_shape}]`);
    if (layer.countParams() !== mine.params) report(`${layer.name}: tfjs counts ${layer.countParams()}, netshape ${mine.params}`);
  }
  // A state read becomes an rnn_state layer reading the recurrent layer: output 1 (h) or 2 (c) of its call.
  for (const mine of summary.layers.filter((l) => l.type === 'rnn_state')) {
    const recurrent = model.layers.find((l) => l.name === mine.inputs[0]);
    const shape = recurrent?.inboundNodes[0].outputShapes[mine.name.endsWith('_state_c') ? 2 : 1];
    if (JSON.stringify(shape?.slice(1)) !== JSON.stringify(mine.output_shape)) report(`${mine.name}: tfjs gives [${shape}], netshape [${mine.output_shape}]`);
    compared++;
  }
  if (name === 'states' && summary.layers.filter((l) => l.type === 'rnn_state').length !== 3) report('the three states read are not three rnn_state layers');
  console.log(`${name}: ${model.countParams()} parameters, ${compared} layers compared`);
}
process.exit(problems ? 1 : 0);
