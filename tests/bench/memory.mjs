// `cargo xtask bench`, memory rows: twenty train/reset cycles of a demo on one page, with the
// training worker's wasm memory read after the first cycle and after the last. wasm memory only
// grows, so its size is the high mark: a run that leaks makes every later cycle grow it. The
// budget: the last cycle within 10% of the first.
//
// Alone, for a quick look: node tests/bench/memory.mjs (serves dist/ itself).

/** The cycles measured: short runs (a cycle's allocations do not depend on its length). */
export const cycled = [
  { page: 'crate.html', demo: 'crate-digits', backend: 'cpu', query: 'backend=cpu&model=crate&steps=60&seed=1' },
  { page: 'crate.html', demo: 'crate-digits', backend: 'webgpu', query: 'backend=webgpu&model=crate&layers=1&width=16&steps=3&seed=1' },
  { page: 'diffusion.html', demo: 'diffusion', backend: 'cpu', query: 'backend=cpu&dataset=moons&steps=300&seed=1' },
  { page: 'diffusion.html', demo: 'diffusion', backend: 'webgpu', query: 'backend=webgpu&dataset=moons&steps=20&sampler-steps=10&seed=1' },
];
export const CYCLES = 20;

/** One demo trained and reset `cycles` times; the worker's wasm memory (MB) after each. */
export async function cycleMemory(browser, base, { page: file, demo, query }, cycles = CYCLES) {
  const page = await browser.newPage();
  const workers = [];
  page.on('worker', (worker) => workers.push(worker));
  await page.goto(`${base}${file}?${query}`);
  const root = page.locator(`[data-demo="${demo}"]`);
  await root.waitFor();
  const megabytes = [];
  for (let cycle = 0; cycle < cycles; cycle += 1) {
    await root.locator('[data-action="train"]').click();
    await page.waitForFunction((demo) => ['done', 'error'].includes(document.querySelector(`[data-demo="${demo}"]`).dataset.status), demo, { timeout: 120_000 });
    if ((await root.getAttribute('data-status')) !== 'done') throw new Error(`${demo} (${query}): ${await root.locator('[data-error]').textContent()}`);
    // The worker that trained: the one whose wasm is loaded (one per build; a page starts one).
    const sizes = await Promise.all(workers.map((worker) => worker.evaluate(() => self.occamMemory?.buffer.byteLength ?? 0).catch(() => 0)));
    megabytes.push(Math.max(0, ...sizes) / 1e6);
    await root.locator('[data-action="reset"]').click();
  }
  await page.close();
  return megabytes;
}

/** The rows for the bench's table: memory after the first cycle, after the last, and growth. */
export async function memoryRows(browser, base, { skipWebGpu = false } = {}) {
  const rows = [];
  for (const workload of cycled) {
    if (workload.backend === 'webgpu' && skipWebGpu) continue;
    const megabytes = await cycleMemory(browser, base, workload);
    const where = `browser, ${workload.backend === 'cpu' ? 'CPU' : 'WebGPU'}`;
    const name = `${workload.demo} worker wasm memory`;
    rows.push({ name: `${name} after train/reset cycle 1`, where, unit: 'MB', median: megabytes[0], runs: 1 });
    rows.push({ name: `${name} after cycle ${megabytes.length}`, where, unit: 'MB', median: megabytes.at(-1), runs: 1 });
    rows.push({ name: `${name}, growth from cycle 1 to ${megabytes.length} (budget 10)`, where, unit: '%', median: 100 * (megabytes.at(-1) / megabytes[0] - 1), runs: 1 });
    // Growth that stops (the allocator's high mark settling) is not a leak; growth to the end is.
    const lastGrowth = megabytes.reduce((last, value, index) => (index > 0 && value > megabytes[index - 1] ? index + 1 : last), 1);
    rows.push({ name: `${name}, the last cycle that grew it (1: none after the first)`, where, unit: 'cycle', median: lastGrowth, runs: 1 });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { default: fs } = await import('node:fs');
  const { default: http } = await import('node:http');
  const { default: path } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const { chromium } = await import('playwright-core');
  const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
  const server = http.createServer((request, response) => {
    const file = path.join(dist, decodeURIComponent(new URL(request.url, 'http://localhost').pathname).slice(1) || 'index.html');
    if (!file.startsWith(dist) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) return response.writeHead(404).end();
    response.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(response);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--enable-unsafe-webgpu', '--no-first-run'] });
  for (const row of await memoryRows(browser, `http://127.0.0.1:${server.address().port}/`)) console.log(`${row.name} (${row.where}): ${row.median.toFixed(2)} ${row.unit}`);
  await browser.close();
  server.close();
}
