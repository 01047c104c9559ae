// The two frameworks behind one interface, for tests/bench/run.mjs:
//   await window.side.ready
//   const handle = await window.side.mlp(framework, backend, sizes, batch)   // set up (untimed)
//   const handle = await window.side.matmul(framework, backend, n)
//   await window.side.time(handle, count) -> { ms, value }   // count steps or products, read back
// framework: 'occam' | 'tfjs'; backend: 'cpu' | 'webgpu' (tfjs's CPU is its wasm backend).
import init, { OccamMatmul, OccamMlp } from '/occam/occam-side.js';

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
