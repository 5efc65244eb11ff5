// netshape's Keras convention checked against TensorFlow.js (tfjs-layers, Keras's layers in
// JavaScript), on random architectures and on the Keras presets.
//
// Every design is grown layer by layer on tfjs's symbolic tensors: a layer is proposed (a kind for
// the current tensor's rank, sometimes one for another rank on purpose; fields with the edge
// cases: "same"/"valid", strides, dilation, depth multipliers, bidirectional, reset_after), built
// with tf.layers and applied. What tfjs gives — the output shape, the sizes of the layer's
// trainable and non-trainable weights — is the expected value; a layer tfjs refuses (it throws,
// or gives a size below 1) may end the design, and netshape must refuse it too. Graphs: layers read
// earlier ones (merges with broadcasting, concat along any axis), two model inputs, layers called
// again (`shares`). Recurrent states: a one-way recurrent layer returns its final states
// (return_state=True), an rnn_state layer takes h (or an LSTM's c) as tfjs returned it, and a later
// recurrent layer is often started from such states (initial_state=[h, c]), sized to take them, or
// from any flat sample, which tfjs refuses unless its size is the units. Kinds tfjs has no layer
// for (multi-head attention, transformer layers, group and instance norm, 1-D/3-D padding,
// cropping and upsampling, subtract) are checked against PyTorch only (torch_crosscheck.py).
//
//   node tests/crosscheck/keras_crosscheck.mjs --netshape build/release/netshape --designs 300 --seed 1 \
//       [--presets assets/presets] [--show SEED] [--from SEED]
//
// Expected values come from tfjs only; nothing here computes a shape or a count.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// tfjs greets Node.js users on the console when its CPU backend starts; the greeting is not this
// script's output, which goes through log().
const log = console.log;
console.log = () => {};
console.warn = () => {};
const tf = await import('@tensorflow/tfjs');

// [SECTION] A seeded random source (mulberry32), so a seed always grows the same design
function randomSource(seed) {
    let state = seed >>> 0;
    const next = () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    return {
        random: next,
        int: (low, high) => low + Math.floor(next() * (high - low + 1)),
        pick: (list) => list[Math.floor(next() * list.length)],
        chance: (p) => next() < p,
    };
}

// [SECTION] netshape's JSON layer → the tfjs layers that are it
class Refused extends Error {}
// A layer Keras has but tfjs cannot build (or Keras has no way to say): left out of the design.
class Inexpressible extends Error {}

const product = (shape) => shape.reduce((a, b) => a * b, 1);
const weightSize = (weights) => weights.reduce((sum, w) => sum + product(w.shape), 0);
// Always a new array: tfjs writes into the arrays it is given (Reshape fills in its -1).
const asList = (value, rank) => (Array.isArray(value) ? [...value] : Array(rank).fill(value));

// Weights start at zero: their values change no shape or count, and tfjs's random (orthogonal,
// Glorot) initialisers are most of the time a design takes.
const ZEROS = { kernelInitializer: 'zeros', biasInitializer: 'zeros' };

const ACTIVATION_NAMES = {
    relu: 'relu', relu6: 'relu6', elu: 'elu', gelu: 'gelu', silu: 'swish', mish: 'mish', sigmoid: 'sigmoid',
    tanh: 'tanh', softplus: 'softplus', softmax: 'softmax', log_softmax: 'logSoftmax', identity: 'linear',
    hardsigmoid: 'hardSigmoid',
};

// Keras has no numeric padding: the Keras way is ZeroPadding2D before a "valid" window (as Keras
// Applications' ResNet50 does before its 7×7 convolution and its max pooling).
function windowArguments(fields, rank, layersBefore) {
    const args = {};
    if (fields.stride !== undefined) args.strides = asList(fields.stride, rank);
    if (fields.dilation !== undefined) args.dilationRate = asList(fields.dilation, rank);
    const padding = fields.padding ?? 0;
    if (padding === 'same' || padding === 'valid') {
        args.padding = padding;
    } else {
        args.padding = 'valid';
        const amounts = asList(padding, rank);
        if (amounts.some((p) => p !== 0)) {
            if (rank !== 2) throw new Inexpressible(`tfjs has no ZeroPadding${rank}D for padding=${padding}`);
            layersBefore.push(tf.layers.zeroPadding2d({ padding: [[amounts[0], amounts[0]], [amounts[1], amounts[1]]] }));
        }
    }
    return args;
}

function spatialRank(kind, input) {
    const match = /([123])d$/.exec(kind);
    return match ? Number(match[1]) : input.shape.length - 2;
}

// Returns the tfjs layers for one netshape layer (applied in order), or throws Refused when tfjs
// has no such layer (the design is then not checked).
function tfjsLayers(fields, input) {
    try {
        return buildLayers(fields, input);
    } catch (error) {
        if (error instanceof Refused || error instanceof Inexpressible) throw error;
        throw new Refused(`${error.name}: ${String(error.message).split('\n')[0]}`);
    }
}

function buildLayers(fields, input) {
    const kind = fields.type;
    const before = [];
    const rank = spatialRank(kind, input);
    const useBias = fields.bias === undefined ? {} : { useBias: fields.bias };
    let layer;
    switch (kind) {
    case 'linear':
        layer = tf.layers.dense({ units: fields.out_features, ...useBias, ...ZEROS });
        break;
    case 'flatten':
        // tfjs's Flatten asks for min_ndim=3; Keras's for 1 (a flat sample passes unchanged)
        if (input.shape.length < 3) throw new Inexpressible('tfjs flattens samples of rank 2 or more only');
        layer = tf.layers.flatten();
        break;
    case 'conv': case 'conv1d': case 'conv2d': case 'conv3d': {
        const make = { 1: tf.layers.conv1d, 2: tf.layers.conv2d, 3: tf.layers.conv3d }[rank];
        if (!make) throw new Refused(`no convolution over ${rank} dimensions`);
        layer = make({ filters: fields.out_channels, kernelSize: asList(fields.kernel_size, rank),
                       ...windowArguments(fields, rank, before), ...useBias, ...ZEROS });
        break;
    }
    case 'conv_transpose2d': case 'conv_transpose3d': {
        const make = { 2: tf.layers.conv2dTranspose, 3: tf.layers.conv3dTranspose }[rank];
        if (typeof fields.padding === 'number' || Array.isArray(fields.padding))
            throw new Inexpressible('Keras\'s transposed convolutions take "valid" or "same" only');
        layer = make({ filters: fields.out_channels, kernelSize: asList(fields.kernel_size, rank),
                       ...windowArguments(fields, rank, before), ...useBias, ...ZEROS });
        break;
    }
    case 'depthwise_conv2d':
        layer = tf.layers.depthwiseConv2d({ kernelSize: asList(fields.kernel_size, 2),
                                            depthMultiplier: fields.depth_multiplier ?? 1,
                                            ...windowArguments(fields, 2, before), ...useBias,
                                            depthwiseInitializer: 'zeros', biasInitializer: 'zeros' });
        break;
    case 'separable_conv2d':
        layer = tf.layers.separableConv2d({ filters: fields.out_channels, kernelSize: asList(fields.kernel_size, 2),
                                            depthMultiplier: fields.depth_multiplier ?? 1,
                                            ...windowArguments(fields, 2, before), ...useBias,
                                            depthwiseInitializer: 'zeros', pointwiseInitializer: 'zeros',
                                            biasInitializer: 'zeros' });
        break;
    case 'maxpool': case 'maxpool1d': case 'maxpool2d': case 'maxpool3d':
    case 'avgpool': case 'avgpool1d': case 'avgpool2d': case 'avgpool3d': {
        const maximum = kind.startsWith('max');
        const make = maximum ? { 1: tf.layers.maxPooling1d, 2: tf.layers.maxPooling2d, 3: tf.layers.maxPooling3d }[rank]
                             : { 1: tf.layers.averagePooling1d, 2: tf.layers.averagePooling2d,
                                 3: tf.layers.averagePooling3d }[rank];
        // (a sample without channels: Keras has no pooling for it; netshape pools it as PyTorch does)
        if (!make) throw new Inexpressible(`no Keras pooling over ${rank} dimensions`);
        const size = asList(fields.kernel_size, rank);
        const args = windowArguments({ ...fields, stride: fields.stride ?? fields.kernel_size }, rank, before);
        layer = make({ poolSize: rank === 1 ? size[0] : size, ...args,
                       strides: rank === 1 ? args.strides[0] : args.strides });
        break;
    }
    case 'global_maxpool1d': layer = tf.layers.globalMaxPooling1d({}); break;
    case 'global_maxpool2d': layer = tf.layers.globalMaxPooling2d({}); break;
    case 'global_avgpool1d': layer = tf.layers.globalAveragePooling1d({}); break;
    case 'global_avgpool2d': layer = tf.layers.globalAveragePooling2d({}); break;
    case 'batchnorm': case 'batchnorm1d': case 'batchnorm2d': case 'batchnorm3d':
        // tfjs: "batchNormalization is not implemented for array of rank 5 yet" (Keras has it)
        if (input.shape.length > 4) throw new Inexpressible('tfjs has no batch norm for 3-D samples');
        layer = tf.layers.batchNormalization({ axis: -1, scale: fields.scale ?? true, center: fields.center ?? true });
        break;
    case 'layernorm': {
        const count = Array.isArray(fields.normalized_shape) ? fields.normalized_shape.length : 1;
        const axis = Array.from({ length: count }, (_, i) => -count + i);
        const affine = fields.elementwise_affine ?? true;
        if (input.shape.length > 4) throw new Inexpressible('tfjs has no layer norm for samples of rank 4');
        layer = tf.layers.layerNormalization({ axis: count === 1 ? -1 : axis, scale: affine,
                                               center: affine && (fields.bias ?? true) });
        break;
    }
    case 'embedding':
        layer = tf.layers.embedding({ inputDim: fields.num_embeddings, outputDim: fields.embedding_dim,
                                      embeddingsInitializer: 'zeros' });
        break;
    case 'rnn': case 'lstm': case 'gru': {
        const make = { rnn: tf.layers.simpleRNN, lstm: tf.layers.lstm, gru: tf.layers.gru }[kind];
        const args = { units: fields.hidden_size, returnSequences: fields.return_sequences ?? false, ...useBias, ...ZEROS,
                       recurrentInitializer: 'zeros' };
        // Keras's GRU has reset_after=True by default; tfjs's GRUCell refuses it ("does not support
        // reset_after parameter set to true"), so GRUs here are written with reset_after=false.
        if (kind === 'gru') args.resetAfter = fields.reset_after ?? true;
        // A one-way layer also returns its final states (Keras's return_state=True), which
        // rnn_state layers read: [output, h] or an LSTM's [output, h, c].
        if (!fields.bidirectional) args.returnState = true;
        layer = fields.bidirectional ? tf.layers.bidirectional({ layer: make(args), mergeMode: 'concat' }) : make(args);
        break;
    }
    case 'reshape': layer = tf.layers.reshape({ targetShape: asList(fields.shape, 1) }); break;
    case 'permute': layer = tf.layers.permute({ dims: fields.dims.map((d) => d + 1) }); break;
    case 'upsample':
        if (input.shape.length !== 4) throw new Inexpressible('tfjs has UpSampling2D only (Keras also 1D and 3D)');
        layer = tf.layers.upSampling2d({ size: [fields.scale_factor, fields.scale_factor] });
        break;
    case 'zero_pad2d': case 'crop2d': {
        const value = fields.padding ?? fields.cropping;
        const pairs = !Array.isArray(value) ? [[value, value], [value, value]]
            : value.length === 2 ? [[value[0], value[0]], [value[1], value[1]]]
                : [[value[0], value[1]], [value[2], value[3]]];
        // Keras's Cropping2D slices to an empty tensor there; tfjs's gives sizes of 1 instead
        if (kind === 'crop2d' && pairs.some(([a, b], d) => a + b >= input.shape[d + 1]))
            throw new Inexpressible('tfjs crops differently past the size');
        layer = kind === 'zero_pad2d' ? tf.layers.zeroPadding2d({ padding: pairs }) : tf.layers.cropping2D({ cropping: pairs });
        break;
    }
    case 'add': layer = tf.layers.add(); break;
    case 'multiply': layer = tf.layers.multiply(); break;
    case 'maximum': layer = tf.layers.maximum(); break;
    case 'average': layer = tf.layers.average(); break;
    case 'concat': {
        const axis = fields.axis ?? -1; // the channel axis, last under keras
        // a positive axis: tfjs's Concatenate joins along the wrong axis for some negative ones
        // (axis -2 of [20, 6, 1] and [20, 6, 1] gives [20, 6, 2]; Keras gives [20, 12, 1])
        layer = tf.layers.concatenate({ axis: axis >= 0 ? axis + 1 : input.shape.length + axis });
        break;
    }
    case 'scale': layer = tf.layers.rescaling({ scale: fields.factor, offset: fields.offset ?? 0 }); break;
    case 'dropout': layer = tf.layers.dropout({ rate: fields.p ?? 0.5 }); break;
    case 'dropout1d': layer = tf.layers.spatialDropout1d({ rate: fields.p ?? 0.5 }); break;
    case 'alpha_dropout': layer = tf.layers.alphaDropout({ rate: fields.p ?? 0.5 }); break;
    case 'relu': layer = tf.layers.reLU(); break;
    case 'relu6': layer = tf.layers.reLU({ maxValue: 6 }); break;
    case 'leaky_relu': layer = tf.layers.leakyReLU({ alpha: fields.negative_slope ?? 0.01 }); break;
    case 'elu': layer = tf.layers.elu({ alpha: fields.alpha ?? 1 }); break;
    case 'softmax': {
        const axis = fields.dim ?? -1;
        // tfjs: "Softmax along a non-last dimension is not yet supported" (Keras's Softmax takes any axis)
        if (axis !== -1 && axis !== input.shape.length - 1) throw new Inexpressible('tfjs softmax on the last axis only');
        layer = tf.layers.softmax({ axis });
        break;
    }
    case 'prelu': layer = tf.layers.prelu(fields.shared_axes === undefined ? {} : { sharedAxes: [...fields.shared_axes] }); break;
    default:
        if (!(kind in ACTIVATION_NAMES)) throw new Refused(`tfjs has no layer for ${kind}`);
        layer = tf.layers.activation({ activation: ACTIVATION_NAMES[kind] });
    }
    const after = fields.activation ? [tf.layers.activation({ activation: ACTIVATION_NAMES[fields.activation] })] : [];
    return { before, layer, after };
}

// Applies a netshape layer's tfjs layers; returns what tfjs gives, or throws Refused. A recurrent
// layer may be given initial states (Keras's initial_state=[h, c]); the final states it returns
// come back as `states`.
function applyLayer(built, inputs, initialState = []) {
    let x, states = null;
    try {
        const first = built.before.reduce((t, l) => l.apply(t), inputs.length === 1 ? inputs[0] : inputs);
        let output = built.layer.apply(first, initialState.length ? { initialState } : undefined);
        if (Array.isArray(output)) [output, ...states] = output;
        x = built.after.reduce((t, l) => l.apply(t), output);
    } catch (error) {
        if (error instanceof Refused) throw error;
        throw new Refused(`${error.name}: ${String(error.message).split('\n')[0]}`);
    }
    const shape = x.shape.slice(1);
    if (shape.some((size) => !(size >= 1))) throw new Refused(`output shape [${shape}]`);
    const layers = [...built.before, built.layer, ...built.after];
    return {
        tensor: x,
        shape,
        states,
        trainable: layers.reduce((sum, l) => sum + weightSize(l.trainableWeights), 0),
        nonTrainable: layers.reduce((sum, l) => sum + weightSize(l.nonTrainableWeights), 0),
    };
}

// Applies a netshape layer's tfjs layers to the tensors of its inputs: a recurrent layer's inputs
// after the sequence are its initial states.
function applyToInputs(fields, built, tensors) {
    const recurrent = RECURRENT.includes(fields.type);
    return applyLayer(built, recurrent ? tensors.slice(0, 1) : tensors, recurrent ? tensors.slice(1) : []);
}

// [SECTION] Field values for random layers
function sizeOrList(rng, rank, low, high) {
    const values = Array.from({ length: rank }, () => rng.int(low, high));
    return rank === 1 || rng.chance(0.5) ? values[0] : values;
}

function windowFields(rng, rank, pooling) {
    const fields = { kernel_size: sizeOrList(rng, rank, 1, 5) };
    if (rng.chance(0.6)) fields.stride = sizeOrList(rng, rank, 1, 3);
    if (rng.chance(0.5)) fields.padding = rng.pick(['same', 'valid']);
    else if (rank === 2 && rng.chance(0.2)) fields.padding = sizeOrList(rng, rank, 0, 2);
    if (!pooling && rng.chance(0.25)) fields.dilation = sizeOrList(rng, rank, 1, 3);
    // Keras refuses strides > 1 with dilation_rate > 1 ("not supported in conjunction"), which
    // tfjs's layers do not check everywhere: the pair is left to the unit tests.
    if (fields.dilation !== undefined && fields.stride !== undefined) delete fields.stride;
    return fields;
}

const ACTIVATIONS = ['relu', 'relu6', 'leaky_relu', 'elu', 'gelu', 'silu', 'mish', 'sigmoid', 'tanh', 'softplus',
                     'softmax', 'identity', 'prelu', 'hardsigmoid'];
const FUSED = ['relu', 'relu6', 'elu', 'gelu', 'silu', 'sigmoid', 'tanh', 'softplus', 'softmax', 'identity'];

function proposeFields(rng, kind, shape) {
    const rank = /([123])d$/.exec(kind) ? Number(/([123])d$/.exec(kind)[1]) : shape.length - 1;
    switch (kind) {
    case 'linear': return { out_features: rng.pick([1, 2, 5, 8, 16]), ...(rng.chance(0.15) ? { bias: false } : {}) };
    case 'conv_transpose2d': case 'conv_transpose3d':
        // (no dilation: tfjs's Conv2DTranspose leaves dilation_rate out of its output size, where
        // Keras's deconv_output_length uses the dilated kernel)
        return { out_channels: rng.pick([1, 2, 4, 8]), ...windowFields(rng, rank, true),
                 ...(rng.chance(0.2) ? { bias: false } : {}) };
    case 'conv': case 'conv1d': case 'conv2d': case 'conv3d':
        return { out_channels: rng.pick([1, 2, 4, 8]), ...windowFields(rng, Math.max(rank, 1), false),
                 ...(rng.chance(0.2) ? { bias: false } : {}) };
    case 'depthwise_conv2d': case 'separable_conv2d':
        // (no dilation: tfjs's depthwise layers leave dilation_rate out of their output size)
        return { ...(kind === 'separable_conv2d' ? { out_channels: rng.pick([2, 4, 8]) } : {}),
                 ...windowFields(rng, 2, true), ...(rng.chance(0.4) ? { depth_multiplier: rng.int(1, 3) } : {}),
                 ...(rng.chance(0.2) ? { bias: false } : {}) };
    case 'maxpool': case 'maxpool1d': case 'maxpool2d': case 'maxpool3d':
    case 'avgpool': case 'avgpool1d': case 'avgpool2d': case 'avgpool3d':
        return windowFields(rng, Math.max(rank, 1), true);
    case 'batchnorm': case 'batchnorm1d': case 'batchnorm2d': case 'batchnorm3d':
        return { ...(rng.chance(0.2) ? { scale: false } : {}), ...(rng.chance(0.2) ? { center: false } : {}) };
    case 'layernorm': {
        const fields = {};
        if (rng.chance(0.3) && shape.length > 1) fields.normalized_shape = shape.slice(-2);
        if (rng.chance(0.15)) fields.elementwise_affine = false;
        else if (rng.chance(0.15)) fields.bias = false;
        return fields;
    }
    case 'rnn': case 'lstm': case 'gru': {
        const fields = { hidden_size: rng.pick([2, 4, 8, 16]) };
        if (rng.chance(0.4)) fields.bidirectional = true;
        if (rng.chance(0.5)) fields.return_sequences = rng.chance(0.7);
        if (rng.chance(0.15)) fields.bias = false;
        if (kind === 'gru') fields.reset_after = false; // the only GRU tfjs has
        return fields;
    }
    case 'reshape': {
        const count = product(shape);
        const divisors = [];
        for (let d = 1; d <= Math.min(count, 64); d++) if (count % d === 0) divisors.push(d);
        const roll = rng.random();
        if (roll < 0.4) return { shape: [count] };
        if (roll < 0.9) {
            const first = rng.pick(divisors);
            const target = [first, count / first];
            if (rng.chance(0.3)) target[rng.int(0, 1)] = -1;
            return { shape: target };
        }
        return { shape: [count + 1] }; // refused: the element counts differ
    }
    case 'permute': {
        const dims = shape.map((_, i) => i);
        for (let i = dims.length - 1; i > 0; i--) {
            const j = rng.int(0, i);
            [dims[i], dims[j]] = [dims[j], dims[i]];
        }
        return { dims };
    }
    case 'upsample': return { scale_factor: rng.pick([1, 2, 3]) };
    case 'zero_pad2d': return { padding: rng.pick([rng.int(0, 2), [rng.int(0, 2), rng.int(0, 3)],
                                                   [rng.int(0, 2), rng.int(0, 2), rng.int(0, 3), rng.int(0, 1)]]) };
    case 'crop2d': return { cropping: rng.pick([rng.int(0, 3), [rng.int(0, 3), rng.int(0, 4)],
                                                [rng.int(0, 2), rng.int(0, 3), rng.int(0, 3), rng.int(0, 1)]]) };
    case 'scale': return rng.chance(0.5) ? { factor: rng.pick([0.5, -2, 0.125]) }
        : { factor: rng.pick([0.5, -2]), offset: rng.pick([1, -0.5]) };
    case 'dropout': case 'dropout1d': case 'alpha_dropout': return { p: rng.pick([0.1, 0.5]) };
    case 'leaky_relu': return rng.chance(0.5) ? { negative_slope: 0.2 } : {};
    case 'softmax': return rng.chance(0.4) ? { dim: rng.pick([-1, 1, shape.length]) } : {};
    case 'prelu': {
        if (shape.length < 2 || rng.chance(0.5)) return {};
        const axes = shape.slice(0, -1).map((_, i) => i + 1).filter(() => rng.chance(0.6));
        return axes.length ? { shared_axes: axes } : {};
    }
    default: return {};
    }
}

const BY_RANK = {
    1: ['linear', 'batchnorm', 'batchnorm1d', 'maxpool1d', 'avgpool1d', 'dropout', 'alpha_dropout', 'reshape', 'layernorm',
        'scale'],
    2: ['conv1d', 'conv', 'maxpool1d', 'avgpool1d', 'maxpool', 'avgpool', 'global_maxpool1d', 'global_avgpool1d',
        'batchnorm', 'batchnorm1d', 'rnn', 'lstm', 'gru', 'dropout1d', 'linear', 'flatten', 'permute',
        'layernorm', 'reshape', 'scale'],
    3: ['conv2d', 'conv', 'conv_transpose2d', 'depthwise_conv2d', 'separable_conv2d', 'maxpool2d', 'avgpool2d',
        'maxpool', 'avgpool', 'global_maxpool2d', 'global_avgpool2d', 'batchnorm', 'batchnorm2d', 'zero_pad2d',
        'crop2d', 'upsample', 'flatten', 'permute', 'layernorm', 'reshape', 'linear', 'scale'],
    4: ['conv3d', 'conv', 'conv_transpose3d', 'maxpool3d', 'avgpool3d', 'maxpool', 'avgpool', 'batchnorm',
        'flatten', 'permute', 'reshape', 'scale'], // (no batchnorm3d: tfjs has no batch norm of rank 5)
};
const ALL_KINDS = [...new Set(Object.values(BY_RANK).flat().concat(ACTIVATIONS))].sort();
const MERGES = ['add', 'multiply', 'maximum', 'average', 'concat'];
const RECURRENT = ['rnn', 'lstm', 'gru'];

// [SECTION] Growing one design
function firstInput(rng) {
    const roll = rng.random();
    if (roll < 0.35) return [rng.int(1, 20), rng.int(1, 20), rng.pick([1, 3, 4, 8])]; // image [H, W, C]
    if (roll < 0.5) return [rng.int(1, 40), rng.pick([1, 2, 4, 6])]; // signal [L, C]
    if (roll < 0.6) return [rng.int(1, 8), rng.int(1, 8), rng.int(1, 8), rng.pick([1, 2, 3])]; // volume
    if (roll < 0.72) return [rng.pick([1, 8, 16, 64])]; // features
    if (roll < 0.9) return [rng.int(1, 12), rng.pick([4, 6, 8, 12, 16])]; // sequence
    return null; // token indices, read by an embedding
}

function grow(seed) {
    const rng = randomSource(seed);
    const design = { seed, inputs: {}, layers: [], expected: new Map(), tensors: new Map(), shared: [], last: null,
                     refused: null, weights: new Set(),
                     finalStates: new Map(), // recurrent layer name -> { kind, states: tfjs's [h] or [h, c] }
                     stateLayers: new Set() }; // rnn_state layers: what a recurrent layer may start from
    const record = (fields, result, layers) => {
        design.layers.push(fields);
        design.expected.set(fields.name, fields.shares ? { ...result, trainable: 0, nonTrainable: 0 } : result);
        for (const layer of layers) for (const w of layer.weights) design.weights.add(w);
        design.tensors.set(fields.name, result.tensor);
        design.last = fields.name;
    };
    const refuse = (fields, message) => {
        design.layers.push(fields);
        design.expected.set(fields.name, null);
        design.refused = [fields.name, message];
    };
    let indices = false;
    const addInput = (name, shape) => {
        design.inputs[name] = shape;
        // Real tensors, a batch of one: tfjs runs every layer (its symbolic shapes are looser than
        // Keras's: a Reshape to another size or a shared LayerNormalization on another shape pass).
        design.tensors.set(name, tf.zeros([1, ...shape], design.layers.length === 0 && shape.length === 1 && indices ? 'int32' : 'float32'));
        design.last = name;
    };
    const tryLayer = (fields, sources, allowRefusal) => {
        let built;
        try {
            built = tfjsLayers(fields, design.tensors.get(sources[0]));
            const result = applyToInputs(fields, built, sources.map((s) => design.tensors.get(s)));
            record(fields, result, [...built.before, built.layer, ...built.after]);
            if (result.states) design.finalStates.set(fields.name, { kind: fields.type, states: result.states });
        } catch (error) {
            if (error instanceof Inexpressible) return;
            if (!(error instanceof Refused)) throw error;
            if (allowRefusal) refuse(fields, error.message);
            return;
        }
        // (not a PReLU with shared_axes: tfjs's fixes the shared axes' sizes too at its first call,
        // where Keras's InputSpec fixes only the others)
        if (built.layer.trainableWeights.length && !built.before.length && !built.after.length &&
            !MERGES.includes(fields.type) && fields.shared_axes === undefined && sources.length === 1)
            design.shared.push([fields.name, built.layer]);
    };

    const shape = firstInput(rng);
    if (shape === null) {
        indices = true;
        addInput('input', [rng.int(1, 12)]);
        indices = false;
        tryLayer({ type: 'embedding', name: 'l0', num_embeddings: rng.pick([10, 50]), embedding_dim: rng.pick([4, 8, 16]) },
                 ['input'], false);
        design.tensors.delete('input'); // indices: read by the embedding only
    } else {
        addInput('input', shape);
    }
    if (rng.chance(0.15)) {
        const last = design.last;
        addInput('side', design.tensors.get(last).shape.slice(1));
        design.last = last;
    }
    // An rnn_state layer reading the recurrent layer just grown: h, or an LSTM's c, as tfjs returned
    // it (return_state=True).
    const tryState = (source) => {
        const { kind, states } = design.finalStates.get(source);
        const which = kind === 'lstm' && rng.chance(0.5) ? 'c' : 'h';
        const tensor = states[which === 'h' ? 0 : 1];
        const fields = { type: 'rnn_state', name: `l${design.layers.length}`, inputs: [source], which };
        record(fields, { tensor, shape: tensor.shape.slice(1), trainable: 0, nonTrainable: 0 }, []);
        design.stateLayers.add(fields.name);
    };
    // Proposes a layer of the kind on the source, and tries it.
    const growLayer = (kind, source, allowRefusal) => {
        const sample = design.tensors.get(source).shape.slice(1);
        // batchnorm1d/2d/3d are PyTorch's names for Keras's one BatchNormalization: they name the rank
        const named = /^batchnorm([123])d$/.exec(kind);
        if (named && sample.length !== Number(named[1]) + 1 && !(named[1] === '1' && sample.length === 1)) return;
        if (product(sample) > 60000) return;
        const fields = { type: kind, name: `l${design.layers.length}`, ...proposeFields(rng, kind, sample) };
        const sources = [source];
        const pool = [...design.stateLayers].filter((n) => design.tensors.has(n));
        if (RECURRENT.includes(kind) && rng.chance(pool.length ? 0.7 : 0.1)) {
            // Initial states: mostly states read from another recurrent layer, the layer sized to
            // take them (units from state_h's [units]); now and then any flat sample, which tfjs
            // refuses unless its size is the units.
            if (pool.length && rng.chance(0.8)) {
                const h = rng.pick(pool);
                const size = design.tensors.get(h).shape[1];
                sources.push(h);
                const sized = pool.filter((n) => design.tensors.get(n).shape[1] === size);
                if (kind === 'lstm') sources.push(rng.pick(sized));
                fields.hidden_size = size;
                delete fields.bidirectional;
            } else {
                const flat = [...design.tensors.keys()]
                    .filter((n) => n !== source && design.tensors.get(n).shape.length === 2);
                if (flat.length) for (let i = kind === 'lstm' ? 2 : 1; i > 0; i--) sources.push(rng.pick(flat));
            }
        }
        if (sources.length > 1 || source !== design.last || Object.keys(design.inputs).length > 1 || rng.chance(0.3))
            fields.inputs = sources;
        if (!ACTIVATIONS.includes(kind) && rng.chance(0.15)) fields.activation = rng.pick(FUSED);
        tryLayer(fields, sources, allowRefusal);
    };

    const steps = rng.int(1, 10);
    for (let tries = 0; tries < 60 && design.layers.length < steps && design.refused === null; tries++) {
        const allowRefusal = rng.chance(0.25);
        const name = `l${design.layers.length}`;
        const roll = rng.random();
        const names = [...design.tensors.keys()];
        if (roll < 0.1 && names.length > 1) { // a merge of the last tensor and earlier ones
            const type = rng.pick(MERGES);
            const x = design.tensors.get(design.last).shape;
            const fitting = names.filter((n) => n !== design.last && (type === 'concat'
                ? design.tensors.get(n).shape.length === x.length
                : JSON.stringify(design.tensors.get(n).shape) === JSON.stringify(x)));
            const pool = fitting.length && rng.chance(0.85) ? fitting : names.filter((n) => n !== design.last);
            const inputs = [design.last, rng.pick(pool)];
            if (rng.chance(0.2)) inputs.push(rng.pick(pool));
            const fields = { type, name, inputs };
            if (type === 'concat' && rng.chance(0.5)) fields.axis = rng.int(-(x.length - 1), x.length - 2);
            tryLayer(fields, inputs, allowRefusal);
            continue;
        }
        if (roll < 0.14 && design.shared.length) { // a layer called again on another tensor
            const [sharedName, layer] = rng.pick(design.shared);
            const source = rng.pick(names);
            const fields = { name, shares: sharedName, inputs: [source] };
            try {
                const result = applyLayer({ before: [], layer, after: [] }, [design.tensors.get(source)]);
                record(fields, result, []);
                if (result.states) {
                    const kind = design.layers.find((l) => l.name === sharedName).type;
                    design.finalStates.set(name, { kind, states: result.states });
                    if (rng.chance(0.5)) tryState(name);
                }
            } catch (error) {
                if (!(error instanceof Refused)) throw error;
                if (allowRefusal) refuse(fields, error.message);
            }
            continue;
        }
        let source = design.last;
        if (rng.chance(0.12)) source = rng.pick(names);
        const rank = design.tensors.get(source).shape.length - 1;
        let kind;
        if (rng.chance(0.08)) kind = rng.pick(ALL_KINDS);
        else if (rng.chance(0.2)) kind = rng.pick(ACTIVATIONS);
        else kind = rng.pick(BY_RANK[rank] ?? ['flatten']);
        growLayer(kind, source, allowRefusal);
        if (design.refused === null && design.finalStates.has(design.last) && rng.chance(0.5)) {
            tryState(design.last);
            // A decoder: a recurrent layer over a sequence, often started from those states.
            const sequences = [...design.tensors.keys()].filter((n) => design.tensors.get(n).shape.length === 3);
            if (sequences.length && rng.chance(0.5))
                growLayer(rng.pick(RECURRENT), rng.pick(sequences), rng.chance(0.25));
        }
    }
    return design;
}

function designJson(design) {
    const json = { netshape: 1, convention: 'keras', name: `crosscheck seed ${design.seed}`, layers: design.layers };
    if (Object.keys(design.inputs).length === 1) json.input = design.inputs.input;
    else {
        json.inputs = design.inputs;
        if (design.layers.length && !design.layers[0].inputs) design.layers[0].inputs = ['input'];
    }
    return json;
}

// [SECTION] Comparing with netshape
const scratch = mkdtempSync(join(tmpdir(), 'netshape-crosscheck-'));

function netshapeSummary(netshape, json) {
    const path = join(scratch, 'design.json');
    writeFileSync(path, JSON.stringify(json));
    const result = spawnSync(netshape, ['summary', '--format', 'json', path], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (result.status !== 0 && result.status !== 1) throw new Error(`netshape exited ${result.status}: ${result.stderr}`);
    return JSON.parse(result.stdout);
}

// Disagreements found and not fixed in netshape (listed in the README): a design that meets one
// is counted and named on every run, and fails nothing.
const KNOWN = [
    ['a PReLU without shared_axes called again (shares) on a sample its slopes broadcast against: Keras ' +
     'and tfjs broadcast (slopes [1, 9, 1] on [9, 1, 1] give [9, 9, 1]); netshape refuses, the weights not fitting',
     (fields, layer, design) => fields.shares !== undefined &&
         design.layers.find((l) => l.name === fields.shares)?.type === 'prelu' &&
         design.layers.find((l) => l.name === fields.shares)?.shared_axes === undefined &&
         layer.status !== 'ok' && design.expected.get(fields.name) !== null],
    ['a layer norm called again (shares) on a sample of another rank: Keras and tfjs normalize the axes ' +
     'their first call fixed as positive indices (LayerNormalization.build), netshape the trailing ones as ' +
     'PyTorch does; they accept and refuse different samples',
     (fields, layer, design) => fields.shares !== undefined &&
         design.layers.find((l) => l.name === fields.shares)?.type === 'layernorm' &&
         (layer.status === 'ok') !== (design.expected.get(fields.name) !== null)],
];

function knownDisagreement(design, summary) {
    const layers = new Map((summary.layers ?? []).map((l) => [l.name, l]));
    for (const fields of design.layers) {
        const layer = layers.get(fields.name);
        const known = layer && KNOWN.find(([, matches]) => matches(fields, layer, design));
        if (known) return known[0];
    }
    return null;
}

function compare(design, summary) {
    const problems = [];
    const layers = new Map((summary.layers ?? []).map((l) => [l.name, l]));
    if (summary.error && !layers.size) return [`netshape refused the design: ${summary.error.message}`];
    for (const [name, expected] of design.expected) {
        const layer = layers.get(name);
        if (!layer) { problems.push(`${name}: missing from netshape's summary`); continue; }
        if (expected === null) {
            if (layer.status === 'ok')
                problems.push(`${name}: tfjs refuses it (${design.refused[1]}), netshape accepts it with output ` +
                              `${JSON.stringify(layer.output_shape)}, ${layer.params} params`);
            continue;
        }
        const want = [expected.shape, expected.trainable + expected.nonTrainable, expected.trainable, expected.nonTrainable];
        if (layer.status !== 'ok') {
            problems.push(`${name}: tfjs accepts it (output ${JSON.stringify(expected.shape)}, ${want[1]} params), ` +
                          `netshape refuses it: ${layer.error}`);
            continue;
        }
        const got = [layer.output_shape, layer.params, layer.trainable_params, layer.non_trainable_params];
        if (JSON.stringify(got) !== JSON.stringify(want))
            problems.push(`${name}: (output shape, params, trainable, non-trainable) tfjs ${JSON.stringify(want)}, ` +
                          `netshape ${JSON.stringify(got)}`);
    }
    if (design.refused === null) {
        const total = [...design.weights].reduce((sum, w) => sum + product(w.shape), 0);
        if (summary.total_params !== total) problems.push(`total params: tfjs ${total}, netshape ${summary.total_params}`);
    }
    return problems;
}

// [SECTION] Presets: the Keras presets built in tfjs from their own layer lists
const KERAS_PRESETS = ['resnet50_keras.ns', 'mobilenet_v2_keras.ns', 'inception_v3_keras.ns', 'xception_keras.ns',
                       'lstm_text_classifier.ns', 'lstm_seq2seq_keras.ns',
                       'seed_001_lenet_style.ns'];

function checkPresets(netshape, directory) {
    const problems = [];
    for (const preset of KERAS_PRESETS) {
        const converted = spawnSync(netshape, ['convert', '--to', 'json', join(directory, preset)], { encoding: 'utf8' });
        const json = JSON.parse(converted.stdout);
        const summary = netshapeSummary(netshape, json);
        const inputs = json.inputs ?? { input: json.input };
        const tensors = new Map(Object.entries(inputs).map(([name, shape]) => [name, tf.input({ shape })]));
        const finalStates = new Map(); // recurrent layer name -> the [h] or [h, c] tfjs returned
        const expected = new Map();
        const weights = new Set();
        let last = Object.keys(inputs)[0];
        json.layers.forEach((fields, i) => {
            const name = fields.name ?? summary.layers[i].name;
            const sources = fields.inputs ?? [last];
            let result;
            if (fields.type === 'rnn_state') {
                const tensor = finalStates.get(sources[0])[fields.which === 'h' ? 0 : 1];
                result = { tensor, shape: tensor.shape.slice(1), trainable: 0, nonTrainable: 0 };
            } else {
                const built = tfjsLayers(fields, tensors.get(sources[0]));
                result = applyToInputs(fields, built, sources.map((n) => tensors.get(n)));
                for (const l of [...built.before, built.layer, ...built.after]) for (const w of l.weights) weights.add(w);
                if (result.states) finalStates.set(name, result.states);
            }
            tensors.set(name, result.tensor);
            expected.set(name, result);
            last = name;
        });
        const design = { expected, refused: null, weights };
        const found = compare(design, summary);
        const total = [...weights].reduce((sum, w) => sum + product(w.shape), 0);
        const nonTrainable = [...expected.values()].reduce((sum, r) => sum + r.nonTrainable, 0);
        log(`${preset} built in tfjs: params ${summary.total_params.toLocaleString('en')} (tfjs ` +
            `${total.toLocaleString('en')}), non-trainable ${summary.non_trainable_params.toLocaleString('en')} (tfjs ` +
            `${nonTrainable.toLocaleString('en')}), ${json.layers.length} layers compared`);
        if (found.length) problems.push(`${preset}:\n  ${found.join('\n  ')}`);
    }
    return problems;
}

// [SECTION] Main
function option(name, fallback) {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : fallback;
}

const netshape = option('netshape');
if (option('show') !== undefined) {
    log(JSON.stringify(designJson(grow(Number(option('show'))))));
    process.exit(0);
}
const started = performance.now();
const problems = option('presets') ? checkPresets(netshape, option('presets')) : [];
const count = Number(option('designs', 300));
// --from SEED: start at one design's seed (a disagreement's), instead of --seed's block of them
const base = option('from') !== undefined ? Number(option('from')) : Number(option('seed', 1)) * 1_000_000;
const kinds = new Set();
let layerCount = 0, refusals = 0, failures = 0, stateReads = 0, startedFromStates = 0, refusedStates = 0;
const knownCounts = new Map();
for (let seed = base; seed < base + count; seed++) {
    const design = tf.tidy(() => grow(seed));
    const json = designJson(design);
    const summary = netshapeSummary(netshape, json);
    const known = knownDisagreement(design, summary);
    const found = known ? [] : compare(design, summary);
    if (known) knownCounts.set(known, (knownCounts.get(known) ?? 0) + 1);
    layerCount += design.layers.length;
    refusals += design.refused !== null;
    for (const l of design.layers) kinds.add(l.type ?? 'shares');
    stateReads += design.layers.filter((l) => l.type === 'rnn_state').length;
    const fromStates = design.layers.filter((l) => RECURRENT.includes(l.type) && l.inputs?.length > 1);
    startedFromStates += fromStates.length;
    refusedStates += fromStates.some((l) => l.name === design.refused?.[0]);
    if (found.length && ++failures <= 20)
        log(`\nDISAGREEMENT in design seed ${seed} (rerun: --show ${seed}):\n  ${found.join('\n  ')}\n  design: ${JSON.stringify(json)}`);
    tf.disposeVariables(); // the weights of the designs done
}
rmSync(scratch, { recursive: true, force: true });
const seconds = ((performance.now() - started) / 1000).toFixed(1);
log(`\nkeras convention: ${count} designs, ${layerCount} layers, ${refusals} ending on a layer tfjs refuses, ` +
    `${kinds.size} kinds, ${failures} disagreeing, ${seconds} s; ${stateReads} rnn_state layers, ` +
    `${startedFromStates} recurrent layers given initial states (${refusedStates} refused)`);
for (const [text, n] of knownCounts) log(`known disagreement, ${n} design${n === 1 ? '' : 's'}: ${text}`);
const missing = [...ALL_KINDS, ...MERGES, 'shares', 'embedding', 'rnn_state'].filter((k) => !kinds.has(k));
if (missing.length && count >= 300) {
    log(`kinds never generated: ${missing.join(', ')}`);
    failures++;
}
if (problems.length) log(`PRESET DISAGREEMENTS:\n${problems.join('\n')}`);
process.exit(failures || problems.length ? 1 : 0);
