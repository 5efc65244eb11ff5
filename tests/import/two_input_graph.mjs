// The graph both Keras import checks build in TensorFlow.js (check_keras_import.mjs from its JSON,
// check_keras_code_import.mjs from its code): two inputs, a residual add, concatenations, global
// pooling, a Dense shared by two calls and two outputs. `tf` is the caller's @tensorflow/tfjs;
// `outActivation` the output Dense's activation, `name` the model's (undefined: tfjs's defaults).
export function twoInputGraph(tf, { outActivation, name } = {}) {
  const L = tf.layers;
  const image = tf.input({ shape: [16, 16, 3], name: 'image' });
  const meta = tf.input({ shape: [10], name: 'meta' });
  const a = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'a' }).apply(image);
  const b = L.conv2d({ filters: 4, kernelSize: 1, name: 'b' }).apply(image);
  const added = L.add({ name: 'added' }).apply([a, b]);
  const joined = L.concatenate({ name: 'joined' }).apply([added, a]);
  const pooled = L.globalMaxPooling2d({ name: 'pooled' }).apply(joined);
  const shared = L.dense({ units: 8, name: 'shared' });
  const m1 = shared.apply(meta);
  const m2 = shared.apply(L.dense({ units: 10, name: 'pre' }).apply(meta));
  const mixed = L.concatenate({ axis: 1, name: 'mixed' }).apply([pooled, m1, m2]);
  const out = L.dense({ units: 2, activation: outActivation, name: 'out' }).apply(mixed);
  const aux = L.multiply({ name: 'aux' }).apply([m1, m2]);
  return tf.model({ inputs: [image, meta], outputs: [out, aux], name });
}
