// `cargo xtask bench`, browser half: runs demos in headless Chromium from the built dist/, on each
// backend in turn (A B A B ...), reads the worker's own timings from its final report and the
// page's longest main-thread task while it trained, measures cold loads and download sizes, and
// merges all with the native results into one JSON file and a Markdown table with the budgets.
//
// usage: node tests/bench/run.mjs <native.json> <results.json>
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { memoryRows } from './memory.mjs';
import { sideBySide } from './side.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist');
const [nativePath, outPath] = process.argv.slice(2);
// Runs per workload (BENCH_ROUNDS overrides, for a quick look).
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
// Where the side-by-side page's files come from (everything else is dist/): the page itself,
// occam-side's wasm (built by xtask into target/bench/side) and TensorFlow.js from npm.
const mounts = [
  ['side/', path.join(root, 'tests/bench/side')],
  ['occam/', path.join(root, 'target/bench/side')],
  ['node_modules/', path.join(root, 'node_modules')],
];

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
  { page: 'coding-rate.html', demo: 'redunet', backend: 'cpu', query: 'backend=cpu&layers=20&seed=1' },
  { page: 'coding-rate.html', demo: 'mcr2', backend: 'cpu', query: 'backend=cpu&dataset=subspaces&steps=300&seed=1' },
  { page: 'coding-rate.html', demo: 'mcr2', backend: 'webgpu', query: 'backend=webgpu&dataset=subspaces&steps=20&seed=1' },
  { page: 'coding-rate.html', demo: 'mcr2', backend: 'cpu', query: 'backend=cpu&dataset=digits&steps=300&seed=1' },
  { page: 'coding-rate.html', demo: 'mcr2', backend: 'webgpu', query: 'backend=webgpu&dataset=digits&steps=300&seed=1', hardwareOnly: true },
  { page: 'crate.html', demo: 'crate-layers', backend: 'cpu', query: 'backend=cpu&subspaces=4&dim=32&layers=2&seed=1' },
  { page: 'crate.html', demo: 'crate-digits', backend: 'cpu', query: 'backend=cpu&model=crate&layers=2&heads=2&width=32&steps=500&seed=1' },
  { page: 'crate.html', demo: 'crate-digits', backend: 'webgpu', query: 'backend=webgpu&model=crate&layers=2&heads=2&width=32&steps=20&seed=1' },
  { page: 'crate.html', demo: 'crate-digits', backend: 'cpu', query: 'backend=cpu&model=transformer&layers=2&heads=2&width=32&steps=500&seed=1' },
  { page: 'crate.html', demo: 'crate-digits', backend: 'webgpu', query: 'backend=webgpu&model=transformer&layers=2&heads=2&width=32&steps=20&seed=1' },
];
let isSoftwareGpu = null;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const server = http.createServer((request, response) => {
  const url = new URL(request.url, 'http://localhost');
  const wanted = decodeURIComponent(url.pathname).slice(1) || 'index.html';
  const [prefix, directory] = mounts.find(([prefix]) => wanted.startsWith(prefix)) ?? ['', dist];
  const file = path.join(directory, wanted.slice(prefix.length));
  if (!file.startsWith(directory) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    response.writeHead(404);
    return response.end();
  }
  // dist/'s precompressed copies, as a well-configured host (and `cargo xtask serve`) sends them.
  const accepts = request.headers['accept-encoding'] ?? '';
  const encoding = [['br', '.br'], ['gzip', '.gz']].find(([name, suffix]) => accepts.includes(name) && fs.existsSync(file + suffix));
  const headers = { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' };
  if (encoding) Object.assign(headers, { 'Content-Encoding': encoding[0], Vary: 'Accept-Encoding' });
  response.writeHead(200, headers);
  fs.createReadStream(encoding ? file + encoding[1] : file).pipe(response);
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
    window.__occam = { done: null, backend: null, longTasks: [] };
    // Main-thread tasks over 50 ms (the Long Tasks API), to find the longest while training.
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__occam.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
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
  const clickedAt = await page.evaluate(() => performance.now());
  await page.locator(`[data-demo="${demo}"] [data-action="train"]`).click();
  await page.waitForFunction((demo) => ['done', 'error'].includes(document.querySelector(`[data-demo="${demo}"]`).dataset.status), demo, { timeout: 300_000 });
  const seconds = (Date.now() - started) / 1000;
  const { done, backend, longTasks } = await page.evaluate(() => window.__occam);
  await page.close();
  if (!done) throw new Error(`${demo} (${query}) did not finish`);
  // The longest task from the click to done (0 when none reached 50 ms).
  const longestTask = Math.max(0, ...longTasks.filter((task) => task.start >= clickedAt).map((task) => task.duration));
  return { seconds, metrics: Object.fromEntries(done.metrics), backend, longestTask };
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
  if (workload.demo === 'mcr2') add(`mcr2 training (${/digits/.test(workload.query) ? 'digits, batch 400 of 1,198' : 'subspaces, batch 400'}, encoder 128-128-16, ΔR on the host)`, 'steps/s', results.map((r) => r.metrics['steps-per-second']));
  if (workload.demo === 'crate-digits') add(`${/transformer/.test(workload.query) ? 'transformer' : 'CRATE'} training on the digits (width 32, 2 layers, 2 heads, batch 128)`, 'steps/s', results.map((r) => r.metrics['steps-per-second']));
  if (workload.demo === 'sparse-coding') add('dictionary learning (1,797 digits, 96 atoms, 10 FISTA iterations)', 'epochs/s', results.map((r) => r.metrics['epochs-per-second']));
  add(`${workload.demo} time to done (${workload.query.replace(/&seed=1$/, '')})`, 's', results.map((r) => r.seconds));
  // The budget is about the worst moment, so this row is the longest over all runs, not a median.
  rows.push({ name: `${workload.demo} longest main-thread task while training (0: none over 50 ms)`, where, unit: 'ms, longest of the runs', median: Math.max(...results.map((r) => r.longestTask)), runs: results.length });
  if (workload.backend === 'cpu' && workload.demo === 'text-model') {
    add('context coder (order 2), encode', 'MB/s', results.map((r) => r.metrics['context-encode-mb-per-second']));
    add('context coder (order 2), decode', 'MB/s', results.map((r) => r.metrics['context-decode-mb-per-second']));
    add('neural coder (hidden 64), encode', 'MB/s', results.map((r) => r.metrics['neural-encode-mb-per-second']));
    add('neural coder (hidden 64), decode', 'MB/s', results.map((r) => r.metrics['neural-decode-mb-per-second']));
  }
}

// `auto` against `cpu`: every trained demo's default run from a fresh context (nothing cached,
// the worker downloaded anew), A B A B. Recorded: the click to the first report, less the
// worker's download and start (from the click or the worker's Ready, whichever is later), and
// the click to done.
const defaults = [
  ['entropy.html', ['coin-flips', 'block-codes', 'text-model']],
  ['pca-sparse.html', ['pca', 'sparse-coding', 'bases']],
  ['diffusion.html', ['denoiser', 'diffusion']],
  ['coding-rate.html', ['redunet', 'mcr2']],
  ['crate.html', ['crate-layers', 'crate-digits']],
  ['prediction.html', ['program-search', 'compression-distance']],
  ['index.html', ['backend-check']],
  ['claims.html', ['scaling', 'information-plane', 'layer-rates', 'mdl-selection', 'compression-regularizer']],
];
async function defaultRun(file, demo, backend) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    const Original = window.Worker;
    window.__occam = { ready: null, first: null, done: null, backend: null };
    window.Worker = class extends Original {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (event) => {
          const now = performance.now();
          if (event.data === 'Ready' && window.__occam.ready === null) window.__occam.ready = now;
          if ((event.data?.Report || event.data?.Done) && window.__occam.first === null) window.__occam.first = now;
          if (event.data?.Done) window.__occam.done = now;
          if (event.data?.Backend) window.__occam.backend = event.data.Backend.chosen;
        });
      }
    };
  });
  await page.goto(`${base}${file}${file.includes('?') ? '&' : '?'}backend=${backend}`);
  await page.locator(`[data-demo="${demo}"] [data-action="train"]`).waitFor();
  const clicked = await page.evaluate(() => performance.now());
  await page.locator(`[data-demo="${demo}"] [data-action="train"]`).click();
  await page.waitForFunction((demo) => ['done', 'error'].includes(document.querySelector(`[data-demo="${demo}"]`).dataset.status), demo, { timeout: 600_000 });
  const seen = await page.evaluate(() => window.__occam);
  await context.close();
  if (seen.done === null) throw new Error(`${demo} on ${backend} did not finish`);
  return {
    firstAfterReady: (seen.first - Math.max(clicked, seen.ready ?? clicked)) / 1000,
    done: (seen.done - clicked) / 1000,
    backend: seen.backend?.backend,
  };
}
const autoPairs = [];
for (const [file, demos] of defaults) {
  for (const demo of demos) {
    const times = { auto: [], cpu: [] };
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const backend of ['auto', 'cpu']) times[backend].push(await defaultRun(file, demo, backend));
    }
    for (const backend of ['auto', 'cpu']) {
      const where = `browser, backend=${backend}, fresh context`;
      rows.push({ name: `${demo} default run, first report after the worker is ready`, where, unit: 's', median: median(times[backend].map((t) => t.firstAfterReady)), runs: ROUNDS });
      rows.push({ name: `${demo} default run, click to done`, where, unit: 's', median: median(times[backend].map((t) => t.done)), runs: ROUNDS });
    }
    const ratio = median(times.auto.map((t) => t.done)) / median(times.cpu.map((t) => t.done));
    rows.push({ name: `${demo} default run, auto over cpu (click to done)`, where: 'browser', unit: '×', median: ratio, runs: ROUNDS });
    autoPairs.push({ demo, ratio, first: Math.max(...times.auto.map((t) => t.firstAfterReady)), ran: times.auto.map((t) => t.backend), cpuDone: median(times.cpu.map((t) => t.done)) });
  }
}

/** A wasm file's name without Trunk's content hash (`occam-web-<hash>_bg.wasm`), so that rows compare across builds. */
const unhashed = (name) => name.replace(/-[0-9a-f]{8,16}_bg\.wasm$/, '_bg.wasm');

// A reader on a slow network: 10 Mbit/s down and up, 40 ms latency (DevTools' throttling, which
// covers the page's workers too), a fresh context, `auto`, the first demo with a Train button
// on each chapter: from the click to the first report, the worker's download included.
const throttled = [];
for (const file of ['entropy.html', 'pca-sparse.html', 'diffusion.html', 'coding-rate.html', 'crate.html', 'claims.html', 'prediction.html']) {
  const seconds = [];
  let demo = null;
  // The wasm files fetched before the first report (the page's and one worker build's).
  const fetched = new Set();
  for (let round = 0; round < ROUNDS; round += 1) {
    const context = await browser.newContext();
    context.on('request', (request) => {
      const name = new URL(request.url()).pathname.split('/').pop();
      if (name.endsWith('.wasm')) fetched.add(unhashed(name));
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 });
    await page.addInitScript(() => {
      const Original = window.Worker;
      window.__occam = { first: null };
      window.Worker = class extends Original {
        constructor(...args) {
          super(...args);
          this.addEventListener('message', (event) => {
            if ((event.data?.Report || event.data?.Done || event.data?.Error) && window.__occam.first === null) window.__occam.first = performance.now();
          });
        }
      };
    });
    await page.goto(`${base}${file}`);
    const train = page.locator('[data-demo]:has([data-action="train"])').first();
    await train.waitFor({ timeout: 120_000 });
    demo = await train.getAttribute('data-demo');
    const clicked = await page.evaluate(() => performance.now());
    await train.locator('[data-action="train"]').click();
    await page.waitForFunction(() => window.__occam.first !== null, null, { timeout: 300_000 });
    seconds.push((await page.evaluate(() => window.__occam.first) - clicked) / 1000);
    await context.close();
  }
  throttled.push({ demo, file, first: median(seconds), fetched: [...fetched] });
  rows.push({ name: `${demo} (${file}), click to first report on 10 Mbit/s, 40 ms`, where: 'browser, backend=auto, fresh context', unit: 's', median: median(seconds), runs: seconds.length });
}

// Twenty train/reset cycles: the worker's wasm memory after the first and after the last.
const memory = await memoryRows(browser, base);
rows.push(...memory);

// Side by side with TensorFlow.js (SIDE_ROUNDS overrides the number of timed runs per side).
const side = await sideBySide(browser, base, Number(process.env.SIDE_ROUNDS ?? 5));
rows.push(...side.rows);

// Cold load: a fresh browser context (empty cache) per run, from navigation to the first demo's
// Train button, rendered by the page's wasm.
const pages = ['index.html', ...fs.readdirSync(dist).filter((file) => file.endsWith('.html') && !['index.html', 'embed.html'].includes(file)).sort()];
for (const file of pages) {
  const seconds = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(`${base}${file}`);
    await page.locator(file === 'index.html' ? '[data-chapter]' : '[data-action="train"]').first().waitFor();
    seconds.push((Date.now() - started) / 1000);
    await context.close();
  }
  rows.push({ name: `cold load to ${file === 'index.html' ? 'the chapter list' : 'the first demo'} (${file})`, where: 'browser', unit: 's', median: median(seconds), runs: seconds.length });
}

// Download: what a reader's browser fetches, raw and compressed as a static host would serve it.
const sizes = {};
const walk = (directory) => fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
  entry.isDirectory() ? walk(path.join(directory, entry.name)) : [path.join(directory, entry.name)]);
const files = walk(dist);
const megabytes = (bytes) => bytes / 1e6;
for (const file of files.filter((file) => file.endsWith('.wasm')).sort()) {
  const bytes = fs.readFileSync(file);
  const name = unhashed(path.basename(file));
  sizes[name] = {
    raw: bytes.length,
    gzip: zlib.gzipSync(bytes, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9 } }).length,
  };
  for (const [kind, size] of Object.entries(sizes[name])) {
    rows.push({ name: `${name}, ${kind === 'brotli' ? 'brotli (quality 9)' : kind === 'gzip' ? 'gzip (level 9)' : 'raw'}`, where: 'download', unit: 'MB', median: megabytes(size), runs: 1 });
  }
}
// What a reader without a usable WebGPU downloads before the first result of each chapter's
// first demo: the page's wasm and the worker build that carries the demo, as fetched above.
const pageWasm = Object.keys(sizes).find((name) => name.startsWith('occam-web'));
const cpuPaths = throttled.map((row) => {
  const total = { gzip: 0, brotli: 0 };
  // On a machine with a usable GPU, `auto` fetches the WebGPU build: the budget is about the
  // CPU path, so that file is left out (and named in the row).
  for (const name of row.fetched.filter((name) => name !== 'occam-worker_bg.wasm')) {
    for (const kind of Object.keys(total)) total[kind] += sizes[name]?.[kind] ?? NaN;
  }
  rows.push({ name: `wasm before ${row.demo}'s first result (${row.fetched.sort().join(' + ')}), gzip (level 9)`, where: 'download', unit: 'MB', median: megabytes(total.gzip), runs: 1 });
  return { ...row, ...total };
});
const cpuPath = { gzip: Math.max(...cpuPaths.map((row) => row.gzip)), brotli: Math.max(...cpuPaths.map((row) => row.brotli)) };
for (const [kind, size] of Object.entries(cpuPath)) {
  rows.push({ name: `the most wasm any chapter's first demo fetches before its first result, ${kind === 'gzip' ? 'gzip (level 9)' : 'brotli (quality 9)'}`, where: 'download', unit: 'MB', median: megabytes(size), runs: 1 });
}
const distBytes = files.filter((file) => !/\.(br|gz)$/.test(file)).reduce((total, file) => total + fs.statSync(file).size, 0);
rows.push({ name: 'dist/ in all, raw', where: 'download', unit: 'MB', median: megabytes(distBytes), runs: 1 });

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
/// The speed budget: occam at least as fast as TensorFlow.js in every pair. Pairs measured on a
/// software GPU are listed, not judged: their speed says nothing about a GPU.
function sideBudget(pairs) {
  const judged = pairs.filter((pair) => !pair.software);
  const slower = judged.filter((pair) => pair.ratio < 1);
  const describe = (pair) => `${pair.workload} on ${pair.backend === 'cpu' ? 'the CPU' : 'WebGPU'} (${pair.ratio.toFixed(2)}×)`;
  const verdict = slower.length === 0 ? 'met' : `not met: occam slower in ${slower.map(describe).join('; ')}`;
  const unjudged = pairs.length - judged.length;
  return `occam at least as fast as TensorFlow.js in every pair: ${verdict} (${judged.length} pairs judged${unjudged ? `; ${unjudged} WebGPU pairs on a software GPU not judged` : ''})`;
}

// The budgets a user feels (printed, never failing anything).
const longest = Math.max(0, ...[...runs.values()].flat().map((result) => result.longestTask));
const pageGzip = sizes[pageWasm]?.gzip ?? NaN;
const slowDefaults = autoPairs.filter((pair) => pair.cpuDone > 15);
const lateOnSlowNetwork = throttled.filter((row) => ['coin-flips', 'pca'].includes(row.demo) && !(row.first <= 3));
const budgets = [
  `without a usable WebGPU, at most 1.5 MB of wasm (gzip) before the first result of every chapter's first demo: ${cpuPath.gzip <= 1.5e6 ? 'met' : `not met: ${cpuPaths.filter((row) => !(row.gzip <= 1.5e6)).map((row) => `${row.demo} ${megabytes(row.gzip).toFixed(2)} MB`).join('; ')}`} (at most ${megabytes(cpuPath.gzip).toFixed(2)} MB)`,
  `the page's own wasm at most 0.4 MB gzip: ${pageGzip <= 0.4e6 ? 'met' : 'not met'} (${megabytes(pageGzip).toFixed(2)} MB)`,
  `on 10 Mbit/s with 40 ms latency, coin-flips and pca report within 3 s of the click: ${lateOnSlowNetwork.length === 0 ? 'met' : `not met: ${lateOnSlowNetwork.map((row) => `${row.demo} ${row.first.toFixed(1)} s`).join('; ')}`}`,
  `every default run done within 15 s on the CPU: ${slowDefaults.length === 0 ? 'met' : `not met: ${slowDefaults.map((pair) => `${pair.demo} ${pair.cpuDone.toFixed(1)} s`).join('; ')}`}`,
  `no main-thread task over 50 ms while training: ${longest <= 50 ? 'met' : 'not met'} (longest of all runs ${longest.toFixed(0)} ms)`,
  sideBudget(side.pairs),
  (() => {
    const grown = memory.filter((row) => row.unit === '%' && !(row.median <= 10));
    const settled = (row) => memory.find((other) => other.unit === 'cycle' && other.where === row.where && other.name.startsWith(row.name.split(',')[0]))?.median;
    return `twenty train/reset cycles leave the worker's wasm memory within 10% of its first cycle: ${grown.length === 0 ? 'met' : `not met: ${grown.map((row) => `${row.name} (${row.where}) ${row.median.toFixed(1)}%, last grown in cycle ${settled(row)}`).join('; ')}`}`;
  })(),
  (() => {
    const late = autoPairs.filter((pair) => pair.first > 3);
    return `auto: every first report within 3 s of the worker being ready: ${late.length === 0 ? 'met' : `not met: ${late.map((pair) => `${pair.demo} ${pair.first.toFixed(1)} s`).join('; ')}`}`;
  })(),
  (() => {
    const slow = autoPairs.filter((pair) => pair.ratio > 1.5);
    return `auto: no default run over 1.5 times its time on cpu: ${slow.length === 0 ? 'met' : `not met: ${slow.map((pair) => `${pair.demo} ${pair.ratio.toFixed(2)}×`).join('; ')}`}`;
  })(),
];
machine.webgpu_adapter_info = side.adapter;
machine.tfjs_wasm = `SIMD ${side.tfWasm.simd ? 'on' : 'off'}, threads ${side.tfWasm.threads ? 'on' : 'off'}`;
const results = { machine, results: all, budgets, side_by_side: side.pairs, auto_over_cpu: autoPairs };
if (outPath) {
  fs.mkdirSync(path.dirname(outPath), { recursive: true });
  fs.writeFileSync(outPath, JSON.stringify(results, null, 2));
}
console.log(`\n${table}\n\nBudgets:\n${budgets.map((line) => `- ${line}`).join('\n')}\n\n${machine.browser}; CPU: ${machine.cpu}; WebGPU adapter: ${JSON.stringify(side.adapter)}; TensorFlow.js wasm: ${machine.tfjs_wasm}; ${machine.date}`);
if (outPath) console.log(`bench: results in ${outPath}`);
