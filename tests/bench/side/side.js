// The two frameworks behind one interface, for tests/bench/run.mjs:
//   await window.side.ready
//   const handle = await window.side.mlp(framework, backend, sizes, batch)   // set up (untimed)
//   const handle = await window.side.matmul(framework, backend, n)
//   const handle = await window.side.whiteBox(framework, backend, 'crate' | 'transformer', width, layers, heads, batch)
//   await window.side.time(handle, count) -> { ms, value }   // count steps or products, read back
// framework: 'occam' | 'tfjs'; backend: 'cpu' | 'webgpu' (tfjs's CPU is its wasm backend).
import init, { OccamMatmul, OccamMlp, OccamWhiteBox } from '/occam/occam-side.js';

const tf = window.tf;
const SEED = 1;

async function useTfBackend(backend) {
  const name = backend === 'cpu' ? 'wasm' : 'webgpu';
  if (tf.getBackend() !== name) {
    if (!(await tf.setBackend(name))) throw new Error(`TensorFlow.js could not start its ${name} backend`);
  }
  await tf.ready();
}

async function tfMlp(sizes, batch) {
  const model = tf.sequential();
  sizes.slice(1).forEach((units, index) => {
    const last = index === sizes.length - 2;
    model.add(tf.layers.dense({ units, activation: last ? 'linear' : 'relu', ...(index === 0 ? { inputShape: [sizes[0]] } : {}) }));
  });
  const optimizer = tf.train.adam(1e-3);
  const inputs = tf.randomNormal([batch, sizes[0]], 0, 1, 'float32', SEED);
  const targets = tf.randomNormal([batch, sizes.at(-1)], 0, 1, 'float32', SEED + 1);
  return {
    // `steps` Adam steps on the mean squared error; the last loss, read back.
    async run(steps) {
      let loss = null;
      for (let step = 0; step < steps; step += 1) {
        loss?.dispose();
        loss = optimizer.minimize(() => tf.losses.meanSquaredError(targets, model.apply(inputs)), true);
      }
      const [value] = await loss.data();
      loss.dispose();
      return value;
    },
  };
}

function tfMatmul(n) {
  const a = tf.randomNormal([n, n], 0, 1, 'float32', SEED);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', SEED + 1);
  return {
    // `repeats` products A·B; the sum of the last one's entries, read back.
    async run(repeats) {
      let product = null;
      for (let repeat = 0; repeat < repeats; repeat += 1) {
        product?.dispose();
        product = tf.matMul(a, b);
      }
      const sum = tf.sum(product);
      product.dispose();
      const [value] = await sum.data();
      sum.dispose();
      return value;
    },
  };
}

/// CRATE or a standard transformer on 8×8 images cut into 2×2 patches (16 tokens and a class
/// token), as occam_core::white_box builds them: the same layers, sizes and parameter counts.
function tfWhiteBox(architecture, width, layers, heads, batch) {
  const [tokens, classes, p, eta, lambda] = [16, 10, width / heads, 0.1, 0.1];
  let seed = SEED;
  const uniform = (shape, bound) => tf.variable(tf.randomUniform(shape, -bound, bound, 'float32', seed++));
  const linear = (input, output, hasBias = true) => ({
    weight: uniform([input, output], 1 / Math.sqrt(input)),
    bias: hasBias ? uniform([output], 1 / Math.sqrt(input)) : null,
  });
  const norm = () => ({ gamma: tf.variable(tf.ones([width])), beta: tf.variable(tf.zeros([width])) });
  const model = {
    embed: linear(4, width),
    cls: tf.variable(tf.randomNormal([1, 1, width], 0, 1, 'float32', seed++)),
    positions: tf.variable(tf.randomNormal([1, tokens + 1, width], 0, 1, 'float32', seed++)),
    layers: Array.from({ length: layers }, () => (architecture === 'crate'
      ? { norm1: norm(), u: linear(width, width, false), out: linear(width, width), norm2: norm(), dictionary: uniform([width, width], Math.sqrt(6 / width)) }
      : { norm1: norm(), q: linear(width, width), k: linear(width, width), v: linear(width, width), out: linear(width, width), norm2: norm(), up: linear(width, 4 * width), down: linear(4 * width, width) })),
    headNorm: norm(),
    head: linear(width, classes),
  };
  // x [b, n, i] times W [i, o] (+ b).
  const apply = (x, { weight, bias }) => {
    const [b, n, i] = x.shape;
    const y = tf.matMul(x.reshape([b * n, i]), weight).reshape([b, n, weight.shape[1]]);
    return bias ? y.add(bias) : y;
  };
  const layerNorm = (x, { gamma, beta }) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return x.sub(mean).div(variance.add(1e-5).sqrt()).mul(gamma).add(beta);
  };
  const attend = (q, k, v) => {
    const [b, n] = q.shape;
    const split = (x) => x.reshape([b, n, heads, p]).transpose([0, 2, 1, 3]);
    const scores = tf.matMul(split(q), split(k), false, true).mul(1 / Math.sqrt(p));
    return tf.matMul(tf.softmax(scores), split(v)).transpose([0, 2, 1, 3]).reshape([b, n, heads * p]);
  };
  const gelu = (x) => x.mul(0.5).mul(tf.erf(x.mul(Math.SQRT1_2)).add(1));
  const forward = (images) => {
    const b = images.shape[0];
    const patches = images.reshape([b, 4, 2, 4, 2]).transpose([0, 1, 3, 2, 4]).reshape([b, tokens, 4]);
    let z = tf.concat([model.cls.tile([b, 1, 1]), apply(patches, model.embed)], 1).add(model.positions);
    for (const layer of model.layers) {
      let x = layerNorm(z, layer.norm1);
      if (architecture === 'crate') {
        const w = apply(x, layer.u);
        z = z.add(apply(attend(w, w, w), layer.out));
        x = layerNorm(z, layer.norm2);
        const reconstruction = apply(x, { weight: layer.dictionary.transpose(), bias: null });
        const descent = apply(x.sub(reconstruction), { weight: layer.dictionary, bias: null });
        z = tf.relu(x.add(descent.mul(eta)).sub(eta * lambda));
      } else {
        z = z.add(apply(attend(apply(x, layer.q), apply(x, layer.k), apply(x, layer.v)), layer.out));
        z = z.add(apply(gelu(apply(layerNorm(z, layer.norm2), layer.up)), layer.down));
      }
    }
    const first = layerNorm(z, model.headNorm).slice([0, 0, 0], [b, 1, width]).reshape([b, width]);
    return tf.matMul(first, model.head.weight).add(model.head.bias);
  };
  const optimizer = tf.train.adam(1e-3);
  const images = tf.randomUniform([batch, 64], 0, 1, 'float32', seed++);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, index) => index % classes), 'int32'), classes);
  return {
    async run(steps) {
      let loss = null;
      for (let step = 0; step < steps; step += 1) {
        loss?.dispose();
        loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, forward(images)), true);
      }
      const [value] = await loss.data();
      loss.dispose();
      return value;
    },
  };
}

function occamWhiteBox(backend, architecture, width, layers, heads, batch) {
  return OccamWhiteBox.create(backend, architecture, width, layers, heads, batch, SEED).then((model) => ({ run: (steps) => model.train(steps) }));
}

function occamMlp(backend, sizes, batch) {
  return OccamMlp.create(backend, Uint32Array.from(sizes), batch, SEED).then((mlp) => ({ run: (steps) => mlp.train(steps) }));
}

function occamMatmul(backend, n) {
  return OccamMatmul.create(backend, n, SEED).then((matmul) => ({ run: (repeats) => matmul.run(repeats) }));
}

/// The browser's WebGPU adapter as it describes itself (null without WebGPU).
async function adapter() {
  const found = await navigator.gpu?.requestAdapter();
  if (!found) return null;
  const info = found.info ?? {};
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    isFallbackAdapter: info.isFallbackAdapter ?? found.isFallbackAdapter ?? false,
  };
}

window.side = {
  ready: (async () => {
    tf.wasm.setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
    await init();
    document.getElementById('status').textContent = 'ready';
  })(),
  adapter,
  async mlp(framework, backend, sizes, batch) {
    if (framework === 'tfjs') {
      await useTfBackend(backend);
      return tfMlp(sizes, batch);
    }
    return occamMlp(backend, sizes, batch);
  },
  async whiteBox(framework, backend, architecture, width, layers, heads, batch) {
    if (framework === 'tfjs') {
      await useTfBackend(backend);
      return tfWhiteBox(architecture, width, layers, heads, batch);
    }
    return occamWhiteBox(backend, architecture, width, layers, heads, batch);
  },
  async matmul(framework, backend, n) {
    if (framework === 'tfjs') {
      await useTfBackend(backend);
      return tfMatmul(n);
    }
    return occamMatmul(backend, n);
  },
  async time(handle, count) {
    const started = performance.now();
    const value = await handle.run(count);
    return { ms: performance.now() - started, value };
  },
  // What tfjs's wasm backend runs with: SIMD, and threads only on a cross-origin isolated page.
  tfWasmFlags: () => ({
    simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
    threads: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
  }),
};
