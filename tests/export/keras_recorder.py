"""A stand-in for Keras that runs Keras code without TensorFlow: it records each layer's class and
arguments and each call's inputs, and writes the JSON a real model.to_json() would give, for
TensorFlow.js to build. An argument Keras's documented signature for that class does not have is a
TypeError, as Keras raises one.

    python3 keras_recorder.py CODE.py    # prints the model's JSON

The code runs as it is, with `keras`, `tensorflow.keras` and their `layers` modules served from
here. What this proves: the code is Python that runs; it calls only classes and arguments Keras
documents, in a graph that connects; and (once tfjs builds the JSON) that graph has netshape's
shapes and counts. What it does not: that TensorFlow's Keras accepts every value (an argument's
type or range is not checked here), nor anything about training.
"""

import json
import sys
import types

# Each class's arguments in the order the Keras API reference (tf.keras 2.x, keras.io) lists them;
# every layer also takes Layer's keyword arguments.
LAYER_KEYWORDS = ('name', 'dtype', 'trainable', 'dynamic', 'input_shape', 'batch_input_shape', 'batch_size',
                  'input_dim', 'weights')
_KERNEL = ('kernel_initializer bias_initializer kernel_regularizer bias_regularizer activity_regularizer '
           'kernel_constraint bias_constraint')
_RECURRENT = ('kernel_regularizer recurrent_regularizer bias_regularizer activity_regularizer kernel_constraint '
              'recurrent_constraint bias_constraint dropout recurrent_dropout return_sequences return_state '
              'go_backwards stateful')
SIGNATURES = {
    'Dense': 'units activation use_bias ' + _KERNEL,
    'Flatten': 'data_format',
    'DepthwiseConv2D': ('kernel_size strides padding depth_multiplier data_format dilation_rate activation use_bias '
                        'depthwise_initializer bias_initializer depthwise_regularizer bias_regularizer '
                        'activity_regularizer depthwise_constraint bias_constraint'),
    'SeparableConv2D': ('filters kernel_size strides padding data_format dilation_rate depth_multiplier activation '
                        'use_bias depthwise_initializer pointwise_initializer bias_initializer depthwise_regularizer '
                        'pointwise_regularizer bias_regularizer activity_regularizer depthwise_constraint '
                        'pointwise_constraint bias_constraint'),
    'BatchNormalization': ('axis momentum epsilon center scale beta_initializer gamma_initializer '
                           'moving_mean_initializer moving_variance_initializer beta_regularizer gamma_regularizer '
                           'beta_constraint gamma_constraint'),
    'LayerNormalization': ('axis epsilon center scale beta_initializer gamma_initializer beta_regularizer '
                           'gamma_regularizer beta_constraint gamma_constraint'),
    'Embedding': ('input_dim output_dim embeddings_initializer embeddings_regularizer activity_regularizer '
                  'embeddings_constraint mask_zero input_length'),
    'SimpleRNN': ('units activation use_bias kernel_initializer recurrent_initializer bias_initializer ' + _RECURRENT +
                  ' unroll'),
    'LSTM': ('units activation recurrent_activation use_bias kernel_initializer recurrent_initializer '
             'bias_initializer unit_forget_bias ' + _RECURRENT + ' time_major unroll'),
    'GRU': ('units activation recurrent_activation use_bias kernel_initializer recurrent_initializer '
            'bias_initializer ' + _RECURRENT + ' unroll time_major reset_after'),
    'Bidirectional': 'layer merge_mode weights backward_layer',
    'Add': '', 'Subtract': '', 'Multiply': '', 'Maximum': '', 'Average': '',
    'Concatenate': 'axis',
    'Reshape': 'target_shape',
    'Permute': 'dims',
    'Dropout': 'rate noise_shape seed',
    'AlphaDropout': 'rate noise_shape seed',
    'Activation': 'activation',
    'ReLU': 'max_value negative_slope threshold',
    'LeakyReLU': 'alpha',
    'ELU': 'alpha',
    'Softmax': 'axis',
    'PReLU': 'alpha_initializer alpha_regularizer alpha_constraint shared_axes',
    'MultiHeadAttention': ('num_heads key_dim value_dim dropout use_bias output_shape attention_axes '
                           'kernel_initializer bias_initializer kernel_regularizer bias_regularizer '
                           'activity_regularizer kernel_constraint bias_constraint'),
}
for _rank in ('1D', '2D', '3D'):
    SIGNATURES['Conv' + _rank] = ('filters kernel_size strides padding data_format dilation_rate groups activation '
                                  'use_bias ' + _KERNEL)
    SIGNATURES['Conv' + _rank + 'Transpose'] = ('filters kernel_size strides padding output_padding data_format '
                                                'dilation_rate activation use_bias ' + _KERNEL)
    for _pool in ('MaxPooling', 'AveragePooling'):
        SIGNATURES[_pool + _rank] = 'pool_size strides padding data_format'
    for _pool in ('GlobalMaxPooling', 'GlobalAveragePooling'):
        SIGNATURES[_pool + _rank] = 'data_format keepdims'
    SIGNATURES['ZeroPadding' + _rank] = 'padding' if _rank == '1D' else 'padding data_format'
    SIGNATURES['Cropping' + _rank] = 'cropping' if _rank == '1D' else 'cropping data_format'
    SIGNATURES['SpatialDropout' + _rank] = 'rate' if _rank == '1D' else 'rate data_format'
    SIGNATURES['UpSampling' + _rank] = {'1D': 'size', '2D': 'size data_format interpolation', '3D': 'size data_format'}[_rank]
SIGNATURES = {name: tuple(arguments.split()) for name, arguments in SIGNATURES.items()}

_names = {}
_made = []  # every layer in the order it was made, for the model's layer order


def _unique_name(class_name):
    """Keras's automatic names: the class in snake case, then _1, _2, …"""
    import re
    base = re.sub('([a-z])([A-Z])', r'\1_\2', re.sub('(.)([A-Z][a-z0-9]+)', r'\1_\2', class_name)).lower()
    count = _names.get(base, 0)
    _names[base] = count + 1
    return base if count == 0 else f'{base}_{count}'


def _json_value(value):
    if isinstance(value, Layer):
        return {'class_name': value.class_name, 'config': value.get_config()}
    if isinstance(value, (tuple, list)):
        return [_json_value(item) for item in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f'{value!r} is not a value Keras writes in a config')


class KerasTensor:
    """A layer's output: which layer, which call, which of the call's outputs."""

    def __init__(self, layer, node, index=0):
        self.layer, self.node, self.index = layer, node, index


class Layer:
    class_name = None

    def __init__(self, *args, **kwargs):
        signature = SIGNATURES[self.class_name]
        if len(args) > len(signature):
            raise TypeError(f'{self.class_name}() takes {len(signature)} positional arguments but {len(args)} were given')
        self.arguments = dict(zip(signature, args))
        for key, value in kwargs.items():
            if key not in signature and key not in LAYER_KEYWORDS:
                raise TypeError(f"{self.class_name}.__init__() got an unexpected keyword argument '{key}'")
            if key in self.arguments:
                raise TypeError(f"{self.class_name}.__init__() got multiple values for argument '{key}'")
            self.arguments[key] = value
        self.name = self.arguments.get('name') or _unique_name(self.class_name)
        self.calls = []  # each call's input tensors

    def get_config(self):
        own = SIGNATURES[self.class_name]
        config = {key: _json_value(value) for key, value in self.arguments.items()
                  if key in own or key not in ('input_shape', 'input_dim')}
        config['name'] = self.name
        if 'input_shape' in self.arguments:
            config['batch_input_shape'] = [None] + list(self.arguments['input_shape'])
        elif 'input_dim' in self.arguments and 'input_dim' not in own:
            config['batch_input_shape'] = [None, self.arguments['input_dim']]
        return config

    def __call__(self, inputs, **kwargs):
        recurrent = self.class_name in ('SimpleRNN', 'LSTM', 'GRU')
        for key in kwargs:
            if key not in ('training', 'mask') and not (recurrent and key == 'initial_state'):
                raise TypeError(f"{self.class_name}.call() got an unexpected keyword argument '{key}'")
        tensors = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        # Keras's RNN.__call__ appends the initial states to the call's inputs (its JSON node reads them).
        tensors += list(kwargs.get('initial_state') or [])
        if not tensors or not all(isinstance(t, KerasTensor) for t in tensors):
            raise TypeError(f'{self.name} is called on {inputs!r}, not on Keras tensors')
        self.calls.append(tensors)
        node = len(self.calls) - 1
        if recurrent and self.arguments.get('return_state'):  # [output, state_h(, state_c)]
            return [KerasTensor(self, node, i) for i in range(3 if self.class_name == 'LSTM' else 2)]
        return KerasTensor(self, node)


class MultiHeadAttention(Layer):
    class_name = 'MultiHeadAttention'

    def __call__(self, query, value, key=None, **kwargs):
        for name in kwargs:
            if name not in ('attention_mask', 'return_attention_scores', 'training', 'use_causal_mask'):
                raise TypeError(f"MultiHeadAttention.call() got an unexpected keyword argument '{name}'")
        tensors = [query, value] + ([key] if key is not None else [])
        return Layer.__call__(self, tensors)


class InputLayer(Layer):
    class_name = 'InputLayer'

    def __init__(self, shape, name):
        self.arguments = {}
        self.name = name or _unique_name('InputLayer')
        self.shape = tuple(shape)
        self.calls = [[]]
        _made.append(self)

    def get_config(self):
        return {'batch_input_shape': [None] + list(self.shape), 'dtype': 'float32', 'sparse': False,
                'ragged': False, 'name': self.name}


def Input(shape=None, batch_size=None, name=None, dtype=None, sparse=None, tensor=None, ragged=None, type_spec=None):
    if shape is None:
        raise ValueError('Please provide to Input a `shape` or a `tensor` or a `type_spec` argument.')
    return KerasTensor(InputLayer(shape, name), 0)


class Model:
    def __init__(self, inputs=None, outputs=None, name=None, **kwargs):
        if kwargs:
            raise TypeError(f'Model got unexpected keyword arguments {sorted(kwargs)}')
        as_list = lambda t: list(t) if isinstance(t, (list, tuple)) else [t]
        self.inputs, self.outputs, self.name = as_list(inputs), as_list(outputs), name or _unique_name('Model')
        for tensor in self.inputs + self.outputs:
            if not isinstance(tensor, KerasTensor):
                raise TypeError(f'{tensor!r} is not a Keras tensor')
        # The layers the outputs are computed from, each once, in the order they were made.
        seen, work = {}, list(self.outputs)
        while work:
            tensor = work.pop()
            if id(tensor.layer) in seen:
                continue
            seen[id(tensor.layer)] = tensor.layer
            for call in tensor.layer.calls:
                work.extend(call)
        self.layers = sorted(seen.values(), key=lambda layer: _made.index(layer))
        for tensor in self.inputs:
            if not isinstance(tensor.layer, InputLayer):
                raise ValueError(f'the model input {tensor.layer.name} is not an Input')

    def summary(self):
        pass

    def to_json(self):
        layers = []
        for layer in self.layers:
            nodes = [[[t.layer.name, t.node, t.index, {}] for t in call] for call in layer.calls if call]
            layers.append({'class_name': layer.class_name, 'config': layer.get_config(), 'name': layer.name,
                           'inbound_nodes': nodes})
        return json.dumps({'class_name': 'Functional',
                           'config': {'name': self.name, 'layers': layers,
                                      'input_layers': [[t.layer.name, t.node, t.index] for t in self.inputs],
                                      'output_layers': [[t.layer.name, t.node, t.index] for t in self.outputs]},
                           'keras_version': '2.13.1', 'backend': 'tensorflow'})


def _layer_class(class_name, base=Layer):
    def __init__(self, *args, **kwargs):
        base.__init__(self, *args, **kwargs)
        _made.append(self)
    return type(class_name, (base,), {'class_name': class_name, '__init__': __init__})


def _modules():
    """keras, keras.layers, tensorflow and tensorflow.keras(.layers), served from here."""
    layers = types.ModuleType('keras.layers')
    for class_name in SIGNATURES:
        setattr(layers, class_name, _layer_class(class_name, MultiHeadAttention if class_name == 'MultiHeadAttention' else Layer))
    layers.Input = Input
    keras = types.ModuleType('keras')
    keras.layers, keras.Input, keras.Model = layers, Input, Model
    tensorflow = types.ModuleType('tensorflow')
    tensorflow.keras = keras
    return {'keras': keras, 'keras.layers': layers, 'tensorflow': tensorflow, 'tensorflow.keras': keras,
            'tensorflow.keras.layers': layers}


def main(path):
    sys.modules.update(_modules())
    scope = {'__name__': 'exported_model'}
    with open(path) as file:
        exec(compile(file.read(), path, 'exec'), scope)
    model = scope.get('model')
    if not isinstance(model, Model):
        raise SystemExit(f'{path}: the code leaves no keras.Model in `model`')
    print(model.to_json())


if __name__ == '__main__':
    main(sys.argv[1])
