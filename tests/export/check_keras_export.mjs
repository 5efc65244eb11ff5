// Builds netshape's Keras export in TensorFlow.js and compares the model with netshape's summary.
//   node check_keras_export.mjs NETSHAPE PRESETS_DIR WORK_DIR
// Every preset in Keras's conventions and every design in keras_designs.ns is exported with
// `netshape export --to keras-json`, built by tf.models.modelFromJSON, and compared layer by layer
// (output shape and parameter count, by name) and in total (trainable, non-trainable) with
// `netshape summary --format json`: every expected value comes from tfjs. The Keras code
// (`--to keras`) of each is run by Debian's python3 against keras_recorder.py, a stand-in for
// Keras that records the layers (refusing an argument Keras's documented signature lacks) and
// writes the JSON model.to_json() would; tfjs builds that JSON too and it is compared the same way.
// A design the export refuses must be one listed in REFUSED, with its reason.
// @tensorflow/tfjs comes from tests/crosscheck (npm ci there; .ci/dev does).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const tf = createRequire(join(here, '../crosscheck/package.json'))('@tensorflow/tfjs');
const [netshape, presets, work] = process.argv.slice(2);
mkdirSync(work, { recursive: true });

// Kinds tfjs has no layer for: the JSON export refuses them rather than write a model tfjs cannot
// build. The Keras code writes them; see MultiHeadAttention below.
const REFUSED = { 'transformer_text_classifier.ns': 'multihead_attention' };

// Keras's MultiHeadAttention, which tfjs lacks, for tfjs to build the code's model with: the
// weights Keras's documentation gives it (keras.io, MultiHeadAttention: query, key and value
// projections of each input's features to num_heads × key_dim (value: × value_dim) with biases of
// that shape, and an output projection of num_heads × value_dim back to the query's features with
// a bias of that size), and the query's shape out. It is called as Keras calls it: (query, value,
// key).
class MultiHeadAttention extends tf.layers.Layer {
  static className = 'MultiHeadAttention';
  constructor(config) {
    super(config);
    this.numHeads = config.numHeads;
    this.keyDim = config.keyDim;
    this.valueDim = config.valueDim ?? config.keyDim;
    this.useBias = config.useBias ?? true;
  }
  build(inputShape) {
    const [query, value, key = value] = inputShape;
    const features = (shape) => shape[shape.length - 1];
    const projection = (name, inFeatures, headSize) => {
      this.addWeight(`${name}/kernel`, [inFeatures, this.numHeads, headSize], 'float32', tf.initializers.zeros());
      if (this.useBias) this.addWeight(`${name}/bias`, [this.numHeads, headSize], 'float32', tf.initializers.zeros());
    };
    projection('query', features(query), this.keyDim);
    projection('key', features(key), this.keyDim);
    projection('value', features(value), this.valueDim);
    this.addWeight('attention_output/kernel', [this.numHeads, this.valueDim, features(query)], 'float32', tf.initializers.zeros());
    if (this.useBias) this.addWeight('attention_output/bias', [features(query)], 'float32', tf.initializers.zeros());
    this.built = true;
  }
  computeOutputShape(inputShape) { return inputShape[0]; }
  getConfig() { return { ...super.getConfig(), numHeads: this.numHeads, keyDim: this.keyDim, valueDim: this.valueDim, useBias: this.useBias }; }
}
tf.serialization.registerClass(MultiHeadAttention);

const designs = [];
for (const file of readdirSync(presets).sort()) designs.push({ name: file, path: join(presets, file) });
readFileSync(join(here, 'keras_designs.ns'), 'utf8').split('\n').filter((line) => line && !line.startsWith('#'))
  .forEach((line, i) => {
    const path = join(work, `design_${i}.ns`);
    writeFileSync(path, line);
    designs.push({ name: `keras_designs.ns line ${i + 1}`, path });
  });

// tfjs's default recurrent initializer (orthogonal, a QR decomposition in plain JavaScript) takes
// minutes for an LSTM(256)'s [256, 1024] kernel; the values change no shape or count, so the
// models are built with zeros there.
function withZeroRecurrentKernels(topology) {
  const visit = (layer) => {
    if (['LSTM', 'GRU', 'SimpleRNN'].includes(layer.class_name)) layer.config.recurrent_initializer = { class_name: 'Zeros', config: {} };
    if (layer.config?.layer) visit(layer.config.layer); // Bidirectional's
  };
  topology.config.layers.forEach(visit);
  return topology;
}

let problems = 0;
const report = (name, text) => { console.log(`${name}: ${text}`); problems++; };

// The model tfjs built against netshape's summary: totals, and each layer's output shape and
// count by name. Returns how many layers were compared.
function compare(name, model, summary) {
  const count = (weights) => weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  if (model.countParams() !== summary.total_params) report(name, `tfjs counts ${model.countParams()}, netshape ${summary.total_params}`);
  if (count(model.trainableWeights) !== summary.trainable_params) report(name, `trainable: tfjs ${count(model.trainableWeights)}, netshape ${summary.trainable_params}`);
  if (count(model.nonTrainableWeights) !== summary.non_trainable_params) report(name, `non-trainable: tfjs ${count(model.nonTrainableWeights)}, netshape ${summary.non_trainable_params}`);
  let compared = 0;
  for (const layer of summary.layers) {
    if (layer.shares) continue; // a later call of a layer compared under its own name
    if (layer.type === 'rnn_state') { // no layer of its own: an output of the recurrent layer's call
      let recurrent;
      try { recurrent = model.getLayer(layer.inputs[0]); } catch { report(name, `tfjs has no layer ${layer.inputs[0]}`); continue; }
      const index = layer.explain.some((line) => line.startsWith('state_c')) ? 2 : 1; // [output, state_h, state_c]
      const shape = recurrent.inboundNodes[0].outputShapes[index];
      if (JSON.stringify(shape?.slice(1)) !== JSON.stringify(layer.output_shape)) report(name, `${layer.name}: tfjs gives [${shape}], netshape [${layer.output_shape}]`);
      if (layer.params !== 0) report(name, `${layer.name}: a state holds no weights, netshape counts ${layer.params}`);
      compared++;
      continue;
    }
    let keras;
    try { keras = model.getLayer(layer.name); } catch { report(name, `tfjs has no layer ${layer.name}`); continue; }
    const activation = (() => { try { return model.getLayer(`${layer.name}_activation`); } catch { return null; } })();
    const last = activation || keras;
    const shape = last.inboundNodes[0].outputShapes;
    const sample = (Array.isArray(shape[0]) ? shape[0] : shape).slice(1);
    if (JSON.stringify(sample) !== JSON.stringify(layer.output_shape)) report(name, `${layer.name}: tfjs gives [${sample}], netshape [${layer.output_shape}]`);
    if (keras.countParams() !== layer.params) report(name, `${layer.name}: tfjs counts ${keras.countParams()}, netshape ${layer.params}`);
    compared++;
  }
  return compared;
}
for (const { name, path } of designs) {
  const summary = JSON.parse(execFileSync(netshape, ['summary', '--format', 'json', path], { encoding: 'utf8' }));
  if (summary.convention !== 'keras') continue;
  const exported = spawnSync(netshape, ['export', '--to', 'keras-json', path], { encoding: 'utf8' });
  let compared = null;
  if (exported.status !== 0) {
    if (!REFUSED[name] || !exported.stderr.includes(REFUSED[name])) { report(name, `export failed: ${exported.stderr.trim()}`); continue; }
    console.log(`${name}: the JSON refused, as expected (${REFUSED[name]})`);
  } else {
    let model;
    try {
      model = await tf.models.modelFromJSON({ modelTopology: withZeroRecurrentKernels(JSON.parse(exported.stdout)) });
    } catch (error) {
      report(name, `tfjs cannot build it: ${error.message}`);
      continue;
    }
    compared = compare(name, model, summary);
  }
  // The Keras code, run by Python against keras_recorder.py (Keras's classes and documented
  // arguments, recorded), gives the JSON a real model.to_json() would: tfjs builds that too.
  const codePath = join(work, `${name.replace(/[^a-z0-9]/gi, '_')}.py`);
  writeFileSync(codePath, execFileSync(netshape, ['export', '--to', 'keras', path], { encoding: 'utf8' }));
  const run = spawnSync('/usr/bin/python3', [join(here, 'keras_recorder.py'), codePath], { encoding: 'utf8' });
  if (run.status !== 0) { report(name, `the Keras code does not run: ${run.stderr.trim()}`); continue; }
  let fromCode;
  try {
    fromCode = await tf.models.modelFromJSON({ modelTopology: withZeroRecurrentKernels(JSON.parse(run.stdout)) });
  } catch (error) {
    report(name, `tfjs cannot build what the Keras code made: ${error.message}`);
    continue;
  }
  const fromCodeCompared = compare(`${name} (code)`, fromCode, summary);
  if (compared !== null && fromCodeCompared !== compared) report(name, 'the Keras code has other layers than the JSON');
  console.log(`${name}: ${summary.total_params} parameters and ${fromCodeCompared} layers agree with TensorFlow.js`);
}
process.exit(problems ? 1 : 0);
