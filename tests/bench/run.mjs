// `cargo xtask bench`, browser half: runs demos in headless Chromium from the built dist/, on each
// backend in turn (A B A B ...), reads the worker's own timings from its final report, and merges
// them with the native results into one JSON file and a Markdown table.
//
// usage: node tests/bench/run.mjs <native.json> <results.json>
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist');
const [nativePath, outPath] = process.argv.slice(2);
const ROUNDS = 3;
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

// Steps per run: SwiftShader (a software GPU) is slow, so WebGPU runs fewer steps; steps per
// second is what is compared. Workloads marked `hardwareOnly` (bases takes over a minute on
// SwiftShader) run on WebGPU only when the adapter is a real GPU.
const workloads = [
  { page: 'entropy.html', demo: 'text-model', backend: 'cpu', query: 'backend=cpu&hidden=64&steps=300&seed=1' },
  { page: 'entropy.html', demo: 'text-model', backend: 'webgpu', query: 'backend=webgpu&hidden=64&steps=60&seed=1' },
  { page: 'pca-sparse.html', demo: 'pca', backend: 'cpu', query: 'backend=cpu&dataset=digits&k=10&seed=1' },
  { page: 'pca-sparse.html', demo: 'pca', backend: 'webgpu', query: 'backend=webgpu&dataset=digits&k=10&seed=1' },
  { page: 'pca-sparse.html', demo: 'sparse-coding', backend: 'cpu', query: 'backend=cpu&atoms=96&lambda=0.5&steps=24&seed=1' },
  { page: 'pca-sparse.html', demo: 'sparse-coding', backend: 'webgpu', query: 'backend=webgpu&atoms=96&lambda=0.5&steps=3&seed=1' },
  { page: 'pca-sparse.html', demo: 'bases', backend: 'cpu', query: 'backend=cpu&m=6&seed=1' },
  { page: 'pca-sparse.html', demo: 'bases', backend: 'webgpu', query: 'backend=webgpu&m=6&seed=1', hardwareOnly: true },
  { page: 'diffusion.html', demo: 'denoiser', backend: 'cpu', query: 'backend=cpu&dataset=mixture&steps=4000&seed=1' },
  { page: 'diffusion.html', demo: 'denoiser', backend: 'webgpu', query: 'backend=webgpu&dataset=mixture&steps=100&seed=1' },
  { page: 'diffusion.html', demo: 'diffusion', backend: 'cpu', query: 'backend=cpu&dataset=moons&steps=4000&seed=1' },
  { page: 'diffusion.html', demo: 'diffusion', backend: 'webgpu', query: 'backend=webgpu&dataset=moons&steps=4000&seed=1', hardwareOnly: true },
];
let isSoftwareGpu = null;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const server = http.createServer((request, response) => {
  const url = new URL(request.url, 'http://localhost');
  const file = path.join(dist, decodeURIComponent(url.pathname).slice(1) || 'index.html');
  if (!file.startsWith(dist) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    response.writeHead(404);
    return response.end();
  }
  response.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(response);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--no-first-run'],
});

/// One run of a demo: its final report's metrics, the backend message, and the wall time.
async function runOnce({ page: file, demo, query }) {
  const page = await browser.newPage();
  // Listen to the worker's messages as the page receives them.
  await page.addInitScript(() => {
    const Original = window.Worker;
    window.__occam = { done: null, backend: null };
    window.Worker = class extends Original {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (event) => {
          if (event.data?.Done) window.__occam.done = event.data.Done.report;
          if (event.data?.Backend) window.__occam.backend = event.data.Backend.chosen;
        });
      }
    };
  });
  await page.goto(`${base}${file}?${query}`);
  await page.locator(`[data-demo="${demo}"]`).waitFor();
  const started = Date.now();
  await page.locator(`[data-demo="${demo}"] [data-action="train"]`).click();
  await page.waitForFunction((demo) => ['done', 'error'].includes(document.querySelector(`[data-demo="${demo}"]`).dataset.status), demo, { timeout: 300_000 });
  const seconds = (Date.now() - started) / 1000;
  const { done, backend } = await page.evaluate(() => window.__occam);
  await page.close();
  if (!done) throw new Error(`${demo} (${query}) did not finish`);
  return { seconds, metrics: Object.fromEntries(done.metrics), backend };
}

const runs = new Map(workloads.map((workload) => [workload, []]));
for (let round = 0; round < ROUNDS; round += 1) {
  for (const workload of workloads) {
    if (workload.backend === 'webgpu' && workload.hardwareOnly && isSoftwareGpu !== false) continue;
    const result = await runOnce(workload);
    if (result.backend?.backend === 'WebGpu') isSoftwareGpu = /swiftshader/i.test(result.backend.adapter ?? '');
    runs.get(workload).push(result);
  }
}

let adapter = null;
const rows = [];
for (const [workload, results] of runs) {
  if (results.length === 0) {
    rows.push({ name: `${workload.demo} time to done (${workload.query.replace(/&seed=1$/, '')})`, where: 'browser, WebGPU', unit: 'not measured: software GPU only', median: NaN, runs: 0 });
    continue;
  }
  const chosen = results[0].backend;
  if (chosen?.backend === 'WebGpu') adapter = chosen.adapter ?? 'unknown adapter';
  const where = chosen?.backend === 'WebGpu'
    ? `browser, WebGPU (${/swiftshader/i.test(adapter) ? 'SwiftShader: software, not GPU speed' : adapter})`
    : 'browser, CPU (flex)';
  const add = (name, unit, values) => rows.push({ name, where, unit, median: median(values), runs: values.length });
  if (workload.demo === 'text-model') add(`${workload.demo} training (hidden 64, batch 256)`, 'steps/s', results.map((r) => r.metrics['steps-per-second']));
  if (workload.demo === 'denoiser') add('denoiser training (hidden 64, batch 256)', 'steps/s', results.map((r) => r.metrics['steps-per-second']));
  if (workload.demo === 'diffusion') add('diffusion training (hidden 64, 3 layers, batch 256)', 'steps/s', results.map((r) => r.metrics['steps-per-second']));
  if (workload.demo === 'sparse-coding') add('dictionary learning (1,797 digits, 96 atoms, 10 FISTA iterations)', 'epochs/s', results.map((r) => r.metrics['epochs-per-second']));
  add(`${workload.demo} time to done (${workload.query.replace(/&seed=1$/, '')})`, 's', results.map((r) => r.seconds));
  if (workload.backend === 'cpu' && workload.demo === 'text-model') {
    add('context coder (order 2), encode', 'MB/s', results.map((r) => r.metrics['context-encode-mb-per-second']));
    add('context coder (order 2), decode', 'MB/s', results.map((r) => r.metrics['context-decode-mb-per-second']));
    add('neural coder (hidden 64), encode', 'MB/s', results.map((r) => r.metrics['neural-encode-mb-per-second']));
    add('neural coder (hidden 64), decode', 'MB/s', results.map((r) => r.metrics['neural-decode-mb-per-second']));
  }
}

const native = nativePath && fs.existsSync(nativePath) ? JSON.parse(fs.readFileSync(nativePath, 'utf8')).native : [];
const all = [...native, ...rows];
const machine = {
  date: new Date().toISOString(),
  browser: `Chromium ${browser.version()} (headless)`,
  cpu: `${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}`,
  webgpu_adapter: adapter,
};
await browser.close();
server.close();

const format = (value) => (Number.isNaN(value) ? '—' : value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toPrecision(3));
const table = [
  '| measurement | where | median | unit | runs |',
  '|---|---|---:|---|---:|',
  ...all.map((row) => `| ${row.name} | ${row.where} | ${format(row.median)} | ${row.unit} | ${row.runs} |`),
].join('\n');
const results = { machine, results: all };
if (outPath) {
  fs.mkdirSync(path.dirname(outPath), { recursive: true });
  fs.writeFileSync(outPath, JSON.stringify(results, null, 2));
}
console.log(`\n${table}\n\n${machine.browser}; CPU: ${machine.cpu}; WebGPU adapter: ${adapter ?? 'none'}; ${machine.date}`);
if (outPath) console.log(`bench: results in ${outPath}`);
