// `cargo xtask bench`, side by side: occam (burn in wasm: flex on the CPU, or WebGPU) against
// TensorFlow.js 4.22 (its wasm backend on the CPU, its webgpu backend) in one page
// (tests/bench/side/), with the same workloads, shapes and counts. Per workload and pair: both
// set up, one warm-up run each (excluded), then A B A B … timed runs, each ending with a
// read-back, and the median of each side. Called by run.mjs.

// Steps (MLPs) or products (matmul) per timed run: a run takes a fraction of a second to a few
// seconds on this machine's CPU. SwiftShader (a software GPU) gets few, a real GPU many.
const COUNTS = {
  cpu: { 'mlp-small': 200, 'mlp-wide': 20, crate: 20, transformer: 10, 256: 20, 512: 4, 1024: 1 },
  software: { 'mlp-small': 10, 'mlp-wide': 4, crate: 2, transformer: 2, 256: 10, 512: 2, 1024: 1 },
  hardware: { 'mlp-small': 200, 'mlp-wide': 100, crate: 100, transformer: 100, 256: 200, 512: 50, 1024: 20 },
};
const BATCH = 256;
const workloads = [
  { id: 'mlp-small', kind: 'mlp', sizes: [2, 128, 128, 2], name: 'MLP 2→128→128→2 training, Adam, batch 256 (the denoisers\' size)', unit: 'steps/s' },
  { id: 'mlp-wide', kind: 'mlp', sizes: [64, 512, 512, 64], name: 'MLP 64→512→512→64 training, Adam, batch 256', unit: 'steps/s' },
  { id: 'crate', kind: 'white-box', architecture: 'crate', name: 'CRATE training on 8×8 images (2×2 patches, width 32, 2 layers, 2 heads), Adam, batch 128', unit: 'steps/s' },
  { id: 'transformer', kind: 'white-box', architecture: 'transformer', name: 'transformer training, the same sizes, Adam, batch 128', unit: 'steps/s' },
  ...[256, 512, 1024].map((n) => ({ id: n, kind: 'matmul', n, name: `matrix product ${n}×${n}`, unit: 'GFLOP/s' })),
];

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/// Runs every pair; returns table rows, the pairs with their ratios, and what ran where.
export async function sideBySide(browser, base, rounds) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${base}side/index.html`);
  await page.waitForFunction(() => window.side !== undefined, null, { timeout: 60_000 });
  await page.evaluate(() => window.side.ready);
  const adapter = await page.evaluate(() => window.side.adapter());
  const software = !adapter || adapter.isFallbackAdapter || /swiftshader/i.test(`${adapter.vendor} ${adapter.architecture} ${adapter.description}`);
  const gpuLabel = adapter ? `${adapter.vendor} ${adapter.architecture}${adapter.description ? ` (${adapter.description})` : ''}${adapter.isFallbackAdapter ? ', fallback adapter' : ''}` : 'none';

  const rows = [];
  const pairs = [];
  const pairsToRun = [
    { backend: 'cpu', counts: COUNTS.cpu, occam: 'occam flex', tfjs: 'tfjs wasm', where: 'browser, CPU' },
    ...(adapter ? [{
      backend: 'webgpu',
      counts: software ? COUNTS.software : COUNTS.hardware,
      occam: 'occam WebGPU',
      tfjs: 'tfjs webgpu',
      where: software ? `browser, WebGPU (${gpuLabel}: software, not GPU speed)` : `browser, WebGPU (${gpuLabel})`,
    }] : []),
  ];
  // SIDE_WORKLOADS=crate,transformer (ids, comma-separated) runs only those, for a quick look.
  const only = process.env.SIDE_WORKLOADS?.split(',');
  for (const pair of pairsToRun) {
    for (const workload of workloads.filter((workload) => !only || only.includes(String(workload.id)))) {
      const count = pair.counts[workload.id];
      const measured = {};
      const handles = {};
      for (const framework of ['occam', 'tfjs']) {
        handles[framework] = await page.evaluateHandle(([framework, backend, workload, batch]) => {
          if (workload.kind === 'mlp') return window.side.mlp(framework, backend, workload.sizes, batch);
          if (workload.kind === 'white-box') return window.side.whiteBox(framework, backend, workload.architecture, 32, 2, 2, 128);
          return window.side.matmul(framework, backend, workload.n);
        }, [framework, pair.backend, workload, BATCH]);
        // Warm-up: compiles shaders, grows memory, fills caches; not counted.
        await page.evaluate(([handle, count]) => window.side.time(handle, count), [handles[framework], count]);
        measured[framework] = [];
      }
      for (let round = 0; round < rounds; round += 1) {
        for (const framework of ['occam', 'tfjs']) {
          const { ms, value } = await page.evaluate(([handle, count]) => window.side.time(handle, count), [handles[framework], count]);
          if (!Number.isFinite(value)) throw new Error(`${framework} ${workload.name} on ${pair.backend} gave ${value}`);
          const seconds = ms / 1000;
          measured[framework].push(workload.kind === 'matmul' ? (2 * workload.n ** 3 * count) / seconds / 1e9 : count / seconds);
        }
      }
      const occam = median(measured.occam);
      const tfjs = median(measured.tfjs);
      rows.push({ name: `${workload.name}: ${pair.occam}`, where: pair.where, unit: workload.unit, median: occam, runs: rounds });
      rows.push({ name: `${workload.name}: ${pair.tfjs}`, where: pair.where, unit: workload.unit, median: tfjs, runs: rounds });
      rows.push({ name: `${workload.name}: ${pair.occam} / ${pair.tfjs}`, where: pair.where, unit: 'ratio (above 1: occam faster)', median: occam / tfjs, runs: rounds });
      pairs.push({ workload: workload.name, backend: pair.backend, software: pair.backend === 'webgpu' && software, occam, tfjs, ratio: occam / tfjs, count, unit: workload.unit });
    }
  }
  const tfWasm = await page.evaluate(() => window.side.tfWasmFlags());
  await page.close();
  if (errors.length > 0) throw new Error(`side-by-side page: ${errors.join('; ')}`);
  return { rows, pairs, adapter, software, tfWasm };
}
