// The browser suite: playwright-core drives Debian's Chromium against the built dist/, served
// under a sub-path (/occam/) by a plain static server, as a reader's host would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setup, site, problems, shots, open, watch, metric, trainToDone, hostServer } from './support.mjs';

setup();

test('the home page lists the seven chapters, each linking to its page', async () => {
  const page = await open('');
  const slugs = await page.locator('[data-chapter]').evaluateAll((links) => links.map((link) => link.dataset.chapter));
  assert.deepEqual(slugs, ['entropy', 'pca-sparse', 'diffusion', 'coding-rate', 'crate', 'claims', 'prediction']);
  assert.equal(await page.locator('[data-chapter="claims"]').getAttribute('href'), 'claims.html');
  assert.equal(await page.locator('[data-chapter="prediction"]').getAttribute('href'), 'prediction.html');
  assert.equal(await page.locator('[data-chapter="entropy"]').getAttribute('href'), 'entropy.html');
  assert.equal(await page.locator('[data-chapter="pca-sparse"]').getAttribute('href'), 'pca-sparse.html');
  assert.equal(await page.locator('[data-chapter="coding-rate"]').getAttribute('href'), 'coding-rate.html');
  assert.equal(await page.locator('[data-chapter="crate"]').getAttribute('href'), 'crate.html');
  await page.screenshot({ path: path.join(shots, 'home.png'), fullPage: true });
  await page.close();
});

test('coin-flips codes 100,000 flips at the entropy and decodes them', async () => {
  const page = await open('entropy.html?p=0.9&n=100000&seed=1');
  assert.equal(await page.locator('math').count() > 3, true, 'the equations are MathML');
  const demo = await trainToDone(page, 'coin-flips');
  const entropy = await metric(demo, 'entropy-bits');
  assert.ok(Math.abs(entropy - 0.469) <= 1e-5, `entropy-bits ${entropy}`);
  // h(0.9) computed here, independently: −0.9 log₂ 0.9 − 0.1 log₂ 0.1.
  const h = -0.9 * Math.log2(0.9) - 0.1 * Math.log2(0.1);
  assert.ok(Math.abs(await metric(demo, 'static-bits-per-flip') - h) < 0.005);
  assert.equal(await metric(demo, 'roundtrip'), 1);
  const regret = await metric(demo, 'adaptive-regret-bits');
  assert.ok(regret <= 0.5 * Math.log2(100000) + 3, `regret ${regret}`);
  assert.equal(await page.locator('html').getAttribute('data-backend'), 'cpu');
  assert.match(page.url(), /coin-flips\.p=0\.9&coin-flips\.n=100000&coin-flips\.q=0\.5&coin-flips\.seed=1/);
  await page.screenshot({ path: path.join(shots, 'entropy.png'), fullPage: true });
  await page.close();
});

test('the embed snippet shows the demo alone with the same parameters', async () => {
  const page = await open('entropy.html?p=0.75&n=2000&seed=7');
  const demo = page.locator('[data-demo="coin-flips"]');
  await demo.locator('[data-action="embed"]').click();
  const snippet = await demo.locator('[data-embed-snippet]').inputValue();
  const src = snippet.match(/<iframe[^>]* src="([^"]+)"/)[1];
  assert.match(snippet, /^<script src="[^"]+\/embed\.js" defer><\/script>\n<iframe data-occam /);
  assert.match(src, /embed\.html\?demo=coin-flips&p=0\.75&n=2000&q=0\.5&seed=7/);
  await page.close();
  const embed = await open(src.slice(site.base.length), { width: 720, height: 640 });
  assert.equal(await embed.locator('header.top').count(), 0, 'no notebook chrome');
  assert.equal(await embed.locator('[data-demo]').count(), 1);
  assert.equal(await embed.locator('[data-param="p"]').inputValue(), '0.75');
  assert.equal(await embed.locator('[data-param="n"]').inputValue(), '2000');
  const shown = await trainToDone(embed, 'coin-flips');
  assert.equal(await metric(shown, 'roundtrip'), 1);
  await embed.screenshot({ path: path.join(shots, 'embed.png'), fullPage: true });
  await embed.close();
});

test('bad values give a notice and the defaults, and the page keeps working', async () => {
  const page = await open('entropy.html?p=banana&n=-5&backend=quantum');
  const demo = page.locator('[data-demo="coin-flips"]');
  assert.match(await demo.locator('[data-notice]').textContent(), /banana/);
  assert.equal(await demo.locator('[data-param="p"]').inputValue(), '0.9');
  assert.equal(await demo.locator('[data-param="n"]').inputValue(), '10000');
  assert.equal(await page.locator('[data-notice]', { hasText: 'quantum' }).count(), 1);
  assert.match(page.url(), /coin-flips\.p=0\.9&coin-flips\.n=10000/);
  // What was typed is quoted, not what replaced it.
  await demo.locator('[data-param="n"]').fill('abc');
  await demo.locator('[data-param="n"]').dispatchEvent('change');
  assert.match(await demo.locator('[data-notice]').textContent(), /n = “abc” is not a whole number/);
  assert.equal(await demo.locator('[data-param="n"]').inputValue(), '10000');
  await trainToDone(page, 'coin-flips');
  await page.close();
});

for (const [backend, steps] of [['cpu', 200], ['webgpu', 12]]) {
  test(`a burn model trains on ${backend} in the worker, and its loss falls`, async () => {
    const page = await open(`?backend=${backend}&steps=${steps}&hidden=32&seed=2`);
    const demo = await trainToDone(page, 'backend-check', 300_000);
    assert.equal(await page.locator('html').getAttribute('data-backend'), backend);
    const first = await metric(demo, 'loss-first');
    const last = await metric(demo, 'loss');
    assert.ok(Number.isFinite(last) && last < first, `loss ${first} -> ${last}`);
    if (backend === 'webgpu') await page.screenshot({ path: path.join(shots, 'backend-webgpu.png') });
    await page.close();
  });
}

test('the chapter reads on a phone', async () => {
  const page = await open('entropy.html', { width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`);
  await page.screenshot({ path: path.join(shots, 'entropy-phone.png') });
  await page.close();
});

/** The training worker builds (`occam-worker-<what>` on the CPU, `occam-worker` with WebGPU) whose wasm `page` fetches. */
function workerBuilds(page) {
  const builds = new Set();
  // Requests made by the page's workers reach the context, not the page.
  page.context().on('request', (request) => {
    const name = new URL(request.url()).pathname.split('/').pop();
    const build = name.match(/^(occam-worker(?:-[a-z]+)?)_bg\.wasm$/)?.[1];
    if (build) builds.add(build);
  });
  return builds;
}

test('auto starts on the CPU at once and passes over a software adapter, without fetching the WebGPU build', async () => {
  // A fresh context: nothing cached. This machine's WebGPU is SwiftShader, a fallback adapter.
  const context = await site.browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const builds = workerBuilds(page);
  page.on('pageerror', (error) => problems.push(`auto: ${error.message}`));
  await page.goto(site.base + '?backend=auto');
  await page.locator('main').first().waitFor();
  const demo = page.locator('[data-demo="backend-check"]');
  await demo.locator('[data-action="train"]').click();
  // The bar has an accessible name and words for what it shows, from the first moment.
  await demo.locator('[data-progress]').waitFor();
  assert.match(await demo.locator('[data-progress]').getAttribute('aria-label'), /progress/);
  assert.match(await demo.locator('[data-progress-label]').textContent(), /Loading|Starting|Training/);
  await page.waitForFunction(() => document.querySelector('[data-demo="backend-check"]').dataset.status === 'done', null, { timeout: 120_000 });
  assert.equal(await page.locator('html').getAttribute('data-backend'), 'cpu');
  assert.match(await page.locator('[data-backend-badge]').textContent(), /software/);
  assert.match(await demo.locator('[data-progress-label]').textContent(), /^Done in \d+\.\d s on the CPU\.$/);
  // The page saw the software adapter itself and started a CPU build: nothing was
  // measured, so nothing is cached, and the next run passes over it the same way.
  const cached = await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('occam.auto.backend-check')));
  assert.deepEqual(cached, []);
  await demo.locator('[data-action="train"]').click();
  await page.waitForFunction(() => document.querySelector('[data-demo="backend-check"]').dataset.status === 'done', null, { timeout: 120_000 });
  assert.match(await page.locator('[data-backend-badge]').textContent(), /software/);
  assert.deepEqual([...builds], ['occam-worker-subspaces'], 'a CPU run fetches no WebGPU worker');
  await context.close();
});

test('only a run that uses WebGPU fetches the WebGPU build of the worker', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = watch(await context.newPage(), 'worker builds');
  const builds = workerBuilds(page);
  // On the CPU by request: the CPU build that carries the demo, and only it.
  await page.goto(site.base + 'pca-sparse.html?backend=cpu');
  await trainToDone(page, 'pca');
  assert.deepEqual([...builds], ['occam-worker-subspaces']);
  // A demo with no tensor work, under auto: the build without burn.
  await page.goto(site.base + 'entropy.html?backend=auto&n=1000');
  await trainToDone(page, 'coin-flips');
  assert.deepEqual([...builds].sort(), ['occam-worker-plain', 'occam-worker-subspaces']);
  // WebGPU by request: the build with every demo, which trains there.
  await page.goto(site.base + 'pca-sparse.html?backend=webgpu&dataset=subspace&k=5&noise=0&seed=3');
  await trainToDone(page, 'pca', 300_000);
  assert.equal(await page.locator('html').getAttribute('data-backend'), 'webgpu');
  assert.deepEqual([...builds].sort(), ['occam-worker', 'occam-worker-plain', 'occam-worker-subspaces']);
  await context.close();
});

test('a chosen backend is remembered on the next page, and the address shows it', async () => {
  const context = await site.browser.newContext();
  const page = await context.newPage();
  await page.goto(site.base);
  await page.locator('main').first().waitFor();
  await page.locator('[data-param="backend"]').selectOption('cpu');
  await page.goto(site.base + 'entropy.html');
  await page.locator('[data-demo="coin-flips"]').waitFor();
  assert.equal(await page.locator('[data-param="backend"]').inputValue(), 'cpu');
  assert.match(page.url(), /backend=cpu/);
  // An address that names a backend wins over the remembered one.
  await page.goto(site.base + 'entropy.html?backend=auto');
  await page.locator('[data-demo="coin-flips"]').waitFor();
  assert.equal(await page.locator('[data-param="backend"]').inputValue(), 'auto');
  await context.close();
});

test('each demo keeps its own values in the address; a reload restores all; old links still work', async () => {
  const page = await open('entropy.html?p=0.75&seed=5');
  const coin = page.locator('[data-demo="coin-flips"]');
  const blocks = page.locator('[data-demo="block-codes"]');
  // The old plain names reach every demo on the page.
  assert.equal(await coin.locator('[data-param="p"]').inputValue(), '0.75');
  assert.equal(await blocks.locator('[data-param="p"]').inputValue(), '0.75');
  assert.equal(await blocks.locator('[data-param="seed"]').inputValue(), '5');
  const set = async (demo, name, value) => {
    await demo.locator(`[data-param="${name}"]`).fill(value);
    await demo.locator(`[data-param="${name}"]`).dispatchEvent('change');
  };
  await set(coin, 'p', '0.7');
  await set(blocks, 'k', '5');
  await set(blocks, 'p', '0.6');
  await set(page.locator('[data-demo="text-model"]'), 'seed', '9');
  // The arrow keys step a number.
  await coin.locator('[data-param="n"]').press('ArrowUp');
  assert.equal(await coin.locator('[data-param="n"]').inputValue(), '10001');
  await page.reload();
  await page.locator('[data-demo="text-model"]').waitFor();
  assert.equal(await coin.locator('[data-param="p"]').inputValue(), '0.7');
  assert.equal(await coin.locator('[data-param="n"]').inputValue(), '10001');
  assert.equal(await coin.locator('[data-param="seed"]').inputValue(), '5');
  assert.equal(await blocks.locator('[data-param="k"]').inputValue(), '5');
  assert.equal(await blocks.locator('[data-param="p"]').inputValue(), '0.6');
  assert.equal(await page.locator('[data-demo="text-model"] [data-param="seed"]').inputValue(), '9');
  const names = [...new URL(page.url()).searchParams.keys()];
  assert.ok(!names.includes('p') && !names.includes('seed'), `plain names give way: ${names}`);
  await page.close();
});

test('pause holds a run and train resumes it; the page stays responsive meanwhile', async () => {
  const page = await open('?backend=cpu&steps=5000&hidden=64&seed=1');
  const demo = page.locator('[data-demo="backend-check"]');
  await demo.locator('[data-action="train"]').click();
  // Training, not the worker's download (which the bar shows first).
  await page.waitForFunction(() => /Training/.test(document.querySelector('[data-demo="backend-check"] [data-progress-label]')?.textContent));
  // Typing into another control while the worker trains: the main thread answers at once.
  const started = Date.now();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
  assert.ok(Date.now() - started < 1000, 'a frame was painted while training');
  await demo.locator('[data-action="pause"]').click();
  await page.waitForFunction(() => document.querySelector('[data-demo="backend-check"]').dataset.status === 'idle');
  const held = await demo.locator('[data-progress]').getAttribute('value');
  await page.waitForTimeout(500);
  assert.equal(await demo.locator('[data-progress]').getAttribute('value'), held);
  assert.ok(Number(held) < 5000);
  await demo.locator('[data-action="train"]').click();
  await page.waitForFunction(() => document.querySelector('[data-demo="backend-check"]').dataset.status === 'done', null, { timeout: 120_000 });
  assert.equal(await metric(demo, 'loss') < await metric(demo, 'loss-first'), true);
  await page.close();
});

test('block-codes: Huffman codes for blocks of k flips sit within 1/k of the entropy', async () => {
  const page = await open('entropy.html?p=0.9&k=4&n=100000&seed=1');
  const demo = page.locator('[data-demo="block-codes"]');
  await demo.locator('[data-code-table]').waitFor();
  assert.equal(await demo.locator('[data-code-table] tbody tr').count(), 16);
  await trainToDone(page, 'block-codes');
  const h = -0.9 * Math.log2(0.9) - 0.1 * Math.log2(0.1);
  const expected = await metric(demo, 'huffman-bits-per-flip');
  assert.ok(expected >= h && expected < h + 1 / 4, `${expected} vs h = ${h}`);
  assert.ok(Math.abs(await metric(demo, 'measured-bits-per-flip') - expected) < 0.04);
  assert.equal(await metric(demo, 'roundtrip'), 1);
  await demo.screenshot({ path: path.join(shots, 'block-codes.png') });
  await page.close();
});

test('text-model: every code decodes, and the trained network predicts better than counting', async () => {
  const page = await open('entropy.html?backend=cpu&order=2&hidden=64&steps=300&seed=1');
  const demo = await trainToDone(page, 'text-model', 180_000);
  assert.equal(await page.locator('html').getAttribute('data-backend'), 'cpu');
  assert.equal(await metric(demo, 'roundtrip'), 1);
  const order0 = await metric(demo, 'order0-bits-per-char');
  const neural = await metric(demo, 'neural-bits-per-char');
  assert.ok(neural < order0, `neural ${neural} vs order-0 ${order0}`);
  // Coded length against cross-entropy: within 2 bits in all on a text of thousands of characters.
  const chars = (await demo.locator('[data-param="text"]').inputValue()).length;
  const crossEntropy = await metric(demo, 'neural-cross-entropy-bits');
  assert.ok(Math.abs(neural - crossEntropy) * chars <= 2.01, `${neural} vs ${crossEntropy}`);
  // The ladder: five context orders, the network, gzip and brotli; its neural total is the metric's.
  assert.equal(await demo.locator('[data-ladder] tbody tr').count(), 8);
  const total = Number(await demo.locator('[data-ladder] tr[data-model="neural"]').getAttribute('data-total-bits'));
  assert.equal(total, await metric(demo, 'neural-total-bits'));
  const gzip = await metric(demo, 'gzip-bits-per-char');
  assert.ok(gzip > 2 && gzip < 8, `gzip ${gzip}`);
  assert.equal(await demo.locator('[data-surprise] span').count(), 2000);
  await demo.screenshot({ path: path.join(shots, 'text-model.png') });
  await page.close();
});

test('text-model shows markup in a text as text, never runs it', async () => {
  const text = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"><b>bold?</b> plain words';
  const page = await open(`entropy.html?backend=cpu&hidden=8&steps=20&seed=3&text=${encodeURIComponent(text)}`);
  const demo = page.locator('[data-demo="text-model"]');
  assert.equal(await demo.locator('[data-param="text"]').inputValue(), text);
  await trainToDone(page, 'text-model');
  assert.equal(await metric(demo, 'roundtrip'), 1);
  assert.equal(await demo.locator('[data-surprise]').textContent(), text);
  assert.equal(await demo.locator('[data-surprise] img, [data-surprise] script, [data-surprise] b').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.match(page.url(), /text-model\.text=%3Cscript%3E/);
  await page.close();
});

test('text-model: a 1 MB paste is cut to the limit with a message, kept in the box, and still coded', async () => {
  const page = await open('entropy.html?backend=cpu&hidden=8&steps=20&seed=1');
  const demo = page.locator('[data-demo="text-model"]');
  const size = 1 << 20;
  await demo.locator('[data-param="text"]').evaluate((area, size) => {
    area.value = 'The quick brown fox jumps over the lazy dog. '.repeat(size / 45 + 1).slice(0, size);
    area.dispatchEvent(new Event('change', { bubbles: true }));
  }, size);
  assert.match(await demo.locator('[data-notice]').textContent(), /1,048,576 characters.*at most 100,000/);
  assert.equal((await demo.locator('[data-param="text"]').inputValue()).length, size, 'what was pasted stays');
  assert.match(await demo.locator('[data-text-count]').textContent(), /100,000 of at most 100,000/);
  assert.doesNotMatch(page.url(), /text=/);
  const started = Date.now();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
  assert.ok(Date.now() - started < 1000, 'the page still paints');
  await demo.locator('[data-action="train"]').click();
  await page.waitForFunction(() => /Training/.test(document.querySelector('[data-demo="text-model"] [data-progress-label]')?.textContent));
  const typed = Date.now();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
  assert.ok(Date.now() - typed < 1000, 'a frame was painted while coding 100,000 characters');
  await page.waitForFunction(() => ['done', 'error'].includes(document.querySelector('[data-demo="text-model"]').dataset.status), null, { timeout: 240_000 });
  assert.equal(await demo.getAttribute('data-status'), 'done');
  assert.equal(await metric(demo, 'roundtrip'), 1);
  await page.close();
});

test('pca on the digits: ten components explain 74% and code in a sixteenth of the raw bits', async () => {
  const page = await open('pca-sparse.html?backend=cpu&dataset=digits&k=10&noise=0&seed=1');
  assert.ok(await page.locator('math').count() > 5, 'the equations are MathML');
  assert.match(await page.locator('[data-credit="digits"]').textContent(), /Alpaydin.*CC BY 4\.0/s);
  const demo = await trainToDone(page, 'pca', 120_000);
  assert.equal(await page.locator('html').getAttribute('data-backend'), 'cpu');
  // The native tests pin these (scikit-learn's PCA gives 73.8% for ten components).
  const explained = await metric(demo, 'explained-variance');
  assert.ok(Math.abs(explained - 0.738) < 0.01, `explained ${explained}`);
  const mse = await metric(demo, 'reconstruction-mse');
  const coded = await metric(demo, 'coded-mse');
  assert.ok(coded >= mse && coded < 1.2 * mse, `coded ${coded} vs ${mse}`);
  const bits = await metric(demo, 'bits-per-image');
  assert.ok(bits > 10 && bits < 80, `bits ${bits}`);
  assert.equal(await metric(demo, 'raw-bits-per-image'), 512);
  assert.equal(await demo.locator('[data-images="components"] [data-image]').count(), 16);
  assert.equal(await demo.locator('[data-images="reconstructions"] [data-image]').count(), 10);
  assert.equal(await demo.locator('[data-images="reconstructions"] [data-image] rect').count(), 640);
  await demo.screenshot({ path: path.join(shots, 'pca.png') });
  await page.close();
});

test('pca on a noiseless 5-dimensional subspace explains everything at k = 5', async () => {
  const page = await open('pca-sparse.html?backend=cpu&dataset=subspace&k=5&noise=0&seed=3');
  const demo = await trainToDone(page, 'pca');
  const explained = await metric(demo, 'explained-variance');
  assert.ok(Math.abs(explained - 1) < 1e-5, `explained ${explained}`);
  assert.ok(await metric(demo, 'coded-mse') < 1e-4);
  await page.close();
});

test('pca on WebGPU: the subspace is found on the device, with the QR on the host, in seconds', async () => {
  const page = await open('pca-sparse.html?backend=webgpu&dataset=subspace&k=5&noise=0&seed=3');
  const demo = await trainToDone(page, 'pca', 120_000);
  assert.equal(await page.locator('html').getAttribute('data-backend'), 'webgpu');
  const explained = await metric(demo, 'explained-variance');
  assert.ok(Math.abs(explained - 1) < 1e-4, `explained ${explained}`);
  await page.close();
});

test('sparse-coding learns atoms whose sparse codes rebuild the digits', async () => {
  const page = await open('pca-sparse.html?backend=cpu&atoms=64&lambda=0.2&steps=15&solver=fista&seed=2');
  const demo = await trainToDone(page, 'sparse-coding', 120_000);
  // The same run natively: objective < 3 (zero codes would cost about 5), and it never rises.
  const objective = await metric(demo, 'lasso-objective');
  assert.ok(objective > 0 && objective < 3, `objective ${objective}`);
  const nonzeros = await metric(demo, 'mean-nonzeros');
  assert.ok(nonzeros > 1 && nonzeros < 32, `nonzeros ${nonzeros}`);
  const mse = await metric(demo, 'reconstruction-mse');
  assert.ok(mse > 0 && mse < 0.05, `mse ${mse}`);
  assert.equal(await demo.locator('[data-images="atoms"] [data-image]').count(), 64);
  // 64 atoms of 64 pixels: a grid this large draws each atom as one bitmap, which decodes to 8 × 8.
  const bitmaps = demo.locator('[data-images="atoms"] [data-image] image');
  assert.equal(await bitmaps.count(), 64);
  const size = await bitmaps.first().evaluate(async (image) => {
    const decoded = new Image();
    decoded.src = image.getAttribute('href');
    await decoded.decode();
    return [decoded.naturalWidth, decoded.naturalHeight];
  });
  assert.deepEqual(size, [8, 8]);
  assert.equal(await demo.locator('[data-images="reconstructions"] [data-image]').count(), 10);
  await demo.screenshot({ path: path.join(shots, 'sparse-coding.png') });
  await page.close();
});

test('sparse-coding gives the same objective on WebGPU as on the CPU', async () => {
  const objectives = {};
  for (const backend of ['cpu', 'webgpu']) {
    const page = await open(`pca-sparse.html?backend=${backend}&atoms=16&lambda=0.5&steps=2&seed=5`);
    const demo = await trainToDone(page, 'sparse-coding', 240_000);
    assert.equal(await page.locator('html').getAttribute('data-backend'), backend);
    objectives[backend] = await metric(demo, 'lasso-objective');
    await page.close();
  }
  assert.ok(Math.abs(objectives.cpu - objectives.webgpu) < 1e-3 * objectives.cpu, JSON.stringify(objectives));
});

test('bases: on unseen digits the learned bases lose less than the DCT', async () => {
  const page = await open('pca-sparse.html?backend=cpu&m=6&seed=1');
  const demo = await trainToDone(page, 'bases', 120_000);
  const dct = await metric(demo, 'dct-mse');
  const pca = await metric(demo, 'pca-mse');
  const sparse = await metric(demo, 'sparse-mse');
  assert.ok(pca < dct && sparse < dct, `dct ${dct}, pca ${pca}, sparse ${sparse}`);
  assert.equal(await demo.locator('[data-curve]').count(), 3);
  await demo.screenshot({ path: path.join(shots, 'bases.png') });
  await page.screenshot({ path: path.join(shots, 'pca-sparse.png'), fullPage: true });
  await page.close();
});

test('denoiser: on the mixture the learned denoiser comes within 15% of the posterior mean', async () => {
  const page = await open('diffusion.html?backend=cpu&dataset=mixture&sigma=0.5&seed=1');
  assert.ok(await page.locator('math').count() > 10, 'the equations are MathML');
  const demo = await trainToDone(page, 'denoiser', 120_000);
  // The native tests pin these: doing nothing costs 3σ² = 0.75 per point; the learned error is
  // 1.01 times the closed-form posterior mean's.
  const none = await metric(demo, 'noise-mse');
  assert.ok(Math.abs(none - 0.75) < 0.06, `noise ${none}`);
  const ratio = await metric(demo, 'mse-ratio');
  assert.ok(ratio >= 0.9 && ratio < 1.15, `ratio ${ratio}`);
  assert.ok(await metric(demo, 'optimal-mse') < 0.6 * none);
  for (const cloud of ['noisy', 'denoised', 'optimal']) {
    assert.equal(await demo.locator(`[data-cloud="${cloud}"]`).first().getAttribute('data-points'), '600', cloud);
  }
  await demo.screenshot({ path: path.join(shots, 'denoiser.png') });
  await page.close();
});

test('diffusion: samples from the trained network land near the moons, and the paths play', async () => {
  const page = await open('diffusion.html?backend=cpu&dataset=moons&seed=1');
  const demo = await trainToDone(page, 'diffusion', 180_000);
  // Natively the same run ends at 1.67 times the floor (fresh data's distance), and 1.4 to 1.7
  // over other data sets and seeds; the browser's floating point differs in the last bits.
  const ratio = await metric(demo, 'distance-ratio');
  assert.ok(ratio > 0 && ratio < 2.5, `ratio ${ratio}`);
  assert.equal(await demo.locator('[data-cloud="samples"]').first().getAttribute('data-points'), '800');
  const player = demo.locator('[data-frames]');
  assert.equal(await player.getAttribute('data-frames'), '101');
  // It plays on its own once the run is done; the slider still answers the keyboard meanwhile.
  await page.waitForFunction(() => Number(document.querySelector('[data-frames]')?.dataset.frame) > 0);
  const slider = demo.locator('[data-frame-slider]');
  await slider.focus();
  await page.keyboard.press('Home');
  await page.waitForFunction(() => document.querySelector('[data-frames]')?.dataset.frame === '0');
  await demo.locator('[data-action="play"]').click();
  assert.equal(await demo.locator('[data-action="play"]').getAttribute('aria-pressed'), 'true');
  await page.waitForFunction(() => Number(document.querySelector('[data-frames]')?.dataset.frame) >= 100, null, { timeout: 30_000 });
  await demo.screenshot({ path: path.join(shots, 'diffusion.png') });
  await page.screenshot({ path: path.join(shots, 'diffusion-page.png'), fullPage: true });
  await page.close();
});

test('diffusion: the exact mixture denoiser with DDIM samples onto the mixture, untrained', async () => {
  const page = await open('diffusion.html?backend=cpu&dataset=mixture&denoiser=exact&sampler=ddim&seed=3');
  const demo = await trainToDone(page, 'diffusion', 120_000);
  const ratio = await metric(demo, 'distance-ratio');
  assert.ok(ratio > 0 && ratio < 1.5, `ratio ${ratio}`);
  // Nothing was trained: the loss has no value.
  assert.equal(await demo.locator('[data-metric="train-loss"]').getAttribute('data-value'), null);
  await page.close();
});

test('diffusion: the exact denoiser on a ring is refused with a message, and the page keeps working', async () => {
  const page = await open('diffusion.html?backend=cpu&dataset=ring&denoiser=exact&seed=1');
  const demo = page.locator('[data-demo="diffusion"]');
  await demo.locator('[data-action="train"]').click();
  await page.waitForFunction(() => document.querySelector('[data-demo="diffusion"]')?.dataset.status === 'error');
  assert.match(await demo.locator('[data-error]').textContent(), /only for the mixture/);
  await demo.locator('[data-param="denoiser"]').selectOption('learned');
  await demo.locator('[data-param="steps"]').fill('50');
  await demo.locator('[data-param="steps"]').dispatchEvent('change');
  await demo.locator('[data-param="sampler-steps"]').fill('5');
  await demo.locator('[data-param="sampler-steps"]').dispatchEvent('change');
  await trainToDone(page, 'diffusion', 120_000);
  await page.close();
});

test('denoiser trains on WebGPU too (a few steps: SwiftShader is slow)', async () => {
  const page = await open('diffusion.html?backend=webgpu&dataset=mixture&hidden=16&steps=60&seed=2');
  const demo = await trainToDone(page, 'denoiser', 240_000);
  assert.equal(await page.locator('html').getAttribute('data-backend'), 'webgpu');
  const learned = await metric(demo, 'denoiser-mse');
  assert.ok(learned > 0 && learned < await metric(demo, 'noise-mse'), `learned ${learned}`);
  await page.close();
});

test('rate-geometry: the rates update at once as values change, and New points draws another set', async () => {
  // Spread 0: every point of a class sits on its direction, so each class is one line and
  // Rc = ½ ln(1 + d/ε²) exactly; R is at most ln(1 + 1/ε²), reached when the lines are orthogonal.
  const page = await open('coding-rate.html?classes=2&dimension=2&points=40&spread=0&eps=0.5&seed=3');
  const demo = page.locator('[data-demo="rate-geometry"]');
  await page.waitForFunction(() => document.querySelector('[data-demo="rate-geometry"]')?.dataset.status === 'done');
  assert.ok(Math.abs(await metric(demo, 'class-rate') - 0.5 * Math.log(9)) < 1e-9);
  const rate = await metric(demo, 'rate');
  assert.ok(rate > 0.5 * Math.log(9) && rate <= Math.log(5) + 1e-9, `rate ${rate}`);
  assert.ok(Math.abs(await metric(demo, 'delta-rate') - (rate - 0.5 * Math.log(9))) < 1e-9);
  assert.equal(await demo.locator('[data-cloud="points"] circle.k1').count(), 40);
  assert.equal(await demo.locator('[data-outline="whole"]').count(), 1);
  assert.equal(await demo.locator('[data-outline="k0"], [data-outline="k1"]').count(), 2);
  assert.equal(await demo.locator('[data-action="train"]').count(), 0, 'nothing to train');
  // A new ε: at once, with no click; the URL follows.
  await demo.locator('[data-param="eps"]').fill('1');
  await demo.locator('[data-param="eps"]').dispatchEvent('change');
  await page.waitForFunction(() => Math.abs(Number(document.querySelector('[data-metric="class-rate"]').dataset.value) - 0.5 * Math.log(3)) < 1e-9);
  assert.match(page.url(), /rate-geometry\.eps=1(&|$)/);
  // Out of range: clamped, with a message, and the rest keeps working.
  await demo.locator('[data-param="points"]').fill('100000');
  await demo.locator('[data-param="points"]').dispatchEvent('change');
  assert.ok(await demo.locator('[data-notice]').count() > 0);
  assert.equal(await demo.getAttribute('data-status'), 'done');
  assert.equal(await demo.locator('[data-cloud="points"]').getAttribute('data-points'), '800');
  const before = await metric(demo, 'rate');
  await demo.locator('[data-action="regenerate"]').click();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('rate-geometry.seed') === '4');
  assert.notEqual(await metric(demo, 'rate'), before);
  await page.goto(site.base + 'coding-rate.html?classes=3&dimension=3&seed=3');
  await page.locator('[data-demo="rate-geometry"] [data-outline="whole"]').waitFor();
  await page.locator('[data-demo="rate-geometry"]').screenshot({ path: path.join(shots, 'rate-geometry.png') });
  await page.close();
});

test('redunet: layers built from the data put two classes on orthogonal lines', async () => {
  const page = await open('coding-rate.html?backend=cpu&seed=3');
  const demo = await trainToDone(page, 'redunet');
  // Two equal classes on orthogonal lines of the plane at ε = ½: ΔR = ln 5 − ln 3.
  const optimum = Math.log(5 / 3);
  assert.ok(Math.abs(await metric(demo, 'delta-rate') - optimum) < 0.01);
  assert.ok(await metric(demo, 'delta-rate-first') < optimum - 0.1);
  assert.equal(await demo.locator('[data-frames]').getAttribute('data-frames'), '21');
  assert.equal(await demo.locator('[data-cloud="layers"] .heads circle.k0').count(), 40);
  await page.waitForFunction(() => Number(document.querySelector('[data-demo="redunet"] [data-frames]')?.dataset.frame) > 0);
  await demo.screenshot({ path: path.join(shots, 'redunet.png') });
  await page.close();
});

test('mcr2: rate reduction makes the classes\' subspaces nearly orthogonal, and they classify', async () => {
  const page = await open('coding-rate.html?backend=cpu&dataset=subspaces&seed=1');
  const demo = await trainToDone(page, 'mcr2');
  // Natively the same run ends at 89.1° and accuracy 1; the untrained encoder starts near 0.3.
  const angle = await metric(demo, 'mean-principal-angle-degrees');
  assert.ok(angle > 60, `angle ${angle}`);
  assert.ok(await metric(demo, 'nearest-subspace-accuracy') > 0.9);
  assert.ok(await metric(demo, 'delta-rate') > 4);
  assert.equal(await demo.locator('[data-images="gram"] [data-image]').count(), 1);
  assert.equal(await demo.locator('[data-images="gram"] [data-image] image').count(), 1);
  assert.equal(await demo.locator('[data-angles] tbody tr').count(), 4);
  await demo.screenshot({ path: path.join(shots, 'mcr2.png') });
  await page.screenshot({ path: path.join(shots, 'coding-rate-page.png'), fullPage: true });
  await page.close();
});

test('mcr2 takes a few steps on WebGPU too, reading the features back each step', async () => {
  const page = await open('coding-rate.html?backend=webgpu&dataset=subspaces&steps=3&seed=2');
  const demo = await trainToDone(page, 'mcr2', 240_000);
  assert.equal(await page.locator('html').getAttribute('data-backend'), 'webgpu');
  assert.ok(Number.isFinite(await metric(demo, 'train-loss')));
  assert.ok(await metric(demo, 'delta-rate') > 0);
  await page.close();
});

const list = async (demo, name) => (await demo.locator(`[data-metric="${name}"]`).getAttribute('data-value')).split(',').map(Number);

test('crate-layers: with the true subspaces, each layer compresses the tokens and makes them sparser', async () => {
  const page = await open('crate.html?backend=cpu&subspaces=4&dim=32&layers=3&noise=0.5&seed=5');
  const demo = await trainToDone(page, 'crate-layers');
  const rates = await list(demo, 'class-rate-per-layer');
  const zeros = await list(demo, 'sparsity-per-layer');
  assert.equal(rates.length, 4);
  for (let layer = 1; layer < rates.length; layer += 1) {
    assert.ok(rates[layer] < rates[layer - 1], `Rc ${rates}`);
    assert.ok(zeros[layer] > zeros[layer - 1], `zeros ${zeros}`);
  }
  assert.equal(await metric(demo, 'class-rate-first'), rates[0]);
  assert.equal(await metric(demo, 'sparsity-last'), zeros[3]);
  assert.equal(await demo.locator('[data-images="tokens"] [data-image]').count(), 4);
  await demo.screenshot({ path: path.join(shots, 'crate-layers.png') });
  await page.close();
});

test('crate-digits: a small CRATE learns the digits, and its attention maps render', async () => {
  const page = await open('crate.html?backend=cpu&model=crate&layers=2&heads=2&width=32&steps=500&seed=1');
  const demo = await trainToDone(page, 'crate-digits', 180_000);
  // Natively the same run reaches 0.953 (and 0.91 to 0.97 over sixteen seeds in the model's tests).
  assert.ok(await metric(demo, 'test-accuracy') > 0.88);
  // Width w = 32, 16 patches of 4 pixels: embedding 4w + w (bias) + w (class token) + 17w
  // (positions) = 736; a CRATE layer 3w² + 5w = 3,232 (U, output map with bias, D, two
  // LayerNorms); the head 2w + 10w + 10 = 394. In all 736 + 2 · 3,232 + 394 = 7,594.
  assert.equal(await metric(demo, 'parameters'), 736 + 2 * 3232 + 394);
  assert.equal((await list(demo, 'class-rate-per-layer')).length, 3);
  assert.equal((await list(demo, 'sparsity-per-layer')).length, 2);
  assert.equal(await demo.locator('[data-images="attention"] [data-image]').count(), 4);
  await demo.screenshot({ path: path.join(shots, 'crate-digits.png') });
  await page.screenshot({ path: path.join(shots, 'crate-page.png'), fullPage: true });
  await page.close();
});

test('crate-digits takes a few steps on WebGPU with a finite loss', async () => {
  const page = await open('crate.html?backend=webgpu&model=crate&layers=1&heads=2&width=16&steps=3&seed=2');
  const demo = await trainToDone(page, 'crate-digits', 240_000);
  assert.equal(await page.locator('html').getAttribute('data-backend'), 'webgpu');
  assert.ok(Number.isFinite(await metric(demo, 'train-loss')));
  await page.close();
});


// The built chapters, as the contract names them: slug, title, number (chapter 6 is still to
// come) and where each page's neighbours are.
const CHAPTER_PAGES = [
  ['entropy', 'Entropy of coins', 1],
  ['pca-sparse', 'PCA and sparse coding', 2],
  ['diffusion', 'Denoising and diffusion', 3],
  ['coding-rate', 'Contrastive coding rate (MCR²)', 4],
  ['crate', 'CRATE', 5],
  ['claims', 'Claims', 6],
  ['prediction', 'Prediction', 7],
];

test('every chapter page comes from its text: title, description, MathML that fits, neighbours', async () => {
  for (const [index, [slug, title, number]] of CHAPTER_PAGES.entries()) {
    for (const width of [390, 1280]) {
      const page = await open(`${slug}.html`, { width, height: 900 });
      await page.locator('.chapter-page h1').waitFor();
      assert.equal(await page.title(), `${title} · occam`);
      // The description is in the HTML the server sends, for link previews that run no script.
      const html = await (await fetch(site.base + `${slug}.html`)).text();
      assert.match(html, new RegExp(`<meta name="description" content="Chapter ${number} of occam: `));
      assert.match(html, new RegExp(`<title>${title.replace(/[()]/g, '\\$&')} · occam</title>`));
      // The prose comes in the page's HTML, one template per piece, and every piece is in place.
      const templates = (html.match(/<template data-prose="\d+">/g) ?? []).length;
      assert.ok(templates >= 3, `${slug}: ${templates} pieces of prose in the HTML`);
      assert.equal(await page.locator('.missing-prose').count(), 0, `${slug}: a piece of prose is missing`);
      assert.equal(await page.locator('.chapter-page > .prose').count(), templates, `${slug}: every piece placed once`);
      assert.equal(await page.locator('.chapter-page .kicker').first().textContent(), `Chapter ${number}`);
      assert.equal(await page.locator('.chapter-page h1').textContent(), title);
      // No TeX reaches the reader: every formula is MathML.
      const text = await page.locator('.chapter-page').innerText();
      for (const tex of ['$$', '\\frac', '\\sum', '\\mathrm', '\\log']) assert.ok(!text.includes(tex), `${slug}: ${tex} on screen`);
      assert.ok(await page.locator('.equation math[display="block"]').count() >= 5, `${slug}: display equations`);
      assert.ok(await page.locator('ol.references li').count() >= 5, `${slug}: references`);
      // The page never scrolls sideways; an equation wider than the column scrolls in its box.
      const layout = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth - window.innerWidth,
        equations: [...document.querySelectorAll('.equation')].map((box) => ({
          overflow: box.scrollWidth - box.clientWidth,
          scrolls: getComputedStyle(box).overflowX === 'auto',
          inside: box.getBoundingClientRect().right <= window.innerWidth + 0.5,
        })),
      }));
      assert.ok(layout.page <= 0, `${slug} at ${width} px scrolls sideways by ${layout.page} px`);
      for (const box of layout.equations) assert.ok(box.inside && (box.overflow <= 1 || box.scrolls), `${slug} at ${width} px: ${JSON.stringify(box)}`);
      const previous = page.locator('.chapter-nav a[rel="prev"]');
      const next = page.locator('.chapter-nav a[rel="next"]');
      assert.equal(await previous.count(), index > 0 ? 1 : 0);
      assert.equal(await next.count(), index < CHAPTER_PAGES.length - 1 ? 1 : 0);
      if (index > 0) assert.equal(await previous.getAttribute('href'), `${CHAPTER_PAGES[index - 1][0]}.html`);
      if (index < CHAPTER_PAGES.length - 1) assert.equal(await next.getAttribute('href'), `${CHAPTER_PAGES[index + 1][0]}.html`);
      // Plot text is at least 11 CSS px however wide the plot is drawn (measured: the font size
      // times the SVG's scale on screen, rotated labels included).
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const sizes = await page.evaluate(() => [...document.querySelectorAll('figure svg text')]
        .filter((text) => text.textContent.trim() && text.getClientRects().length)
        .map((text) => {
          const matrix = text.getScreenCTM();
          return { px: parseFloat(getComputedStyle(text).fontSize) * Math.hypot(matrix.a, matrix.b), text: text.textContent };
        }));
      assert.ok(sizes.length > 0, `${slug}: plots with text`);
      const smallest = sizes.reduce((least, size) => (size.px < least.px ? size : least));
      assert.ok(smallest.px >= 11, `${slug} at ${width} px: “${smallest.text}” is ${smallest.px.toFixed(1)} px`);
      await page.screenshot({ path: path.join(shots, `chapter-${slug}-${width}.png`), fullPage: true });
      await page.close();
    }
  }
});

test('coin-flips: a coder told the wrong p pays D(p‖q), measured', async () => {
  const page = await open('entropy.html?backend=cpu&p=0.9&q=0.8&n=100000&seed=7');
  const demo = await trainToDone(page, 'coin-flips');
  // D(0.9 ‖ 0.8) in bits, computed here: 0.9 log₂(0.9/0.8) + 0.1 log₂(0.1/0.2).
  const kl = 0.9 * Math.log2(0.9 / 0.8) + 0.1 * Math.log2(0.1 / 0.2);
  assert.ok(Math.abs(await metric(demo, 'kl-bits') - kl) < 1e-9);
  assert.ok(Math.abs(await metric(demo, 'mismatch-excess-bits') - kl) < 0.005);
  assert.equal(await metric(demo, 'roundtrip'), 1);
  assert.equal(await demo.locator('[data-curve^="static (told q"]').count(), 1);
  // A bad q is repaired with a notice, and the page keeps working.
  await demo.locator('[data-param="q"]').fill('1.5');
  await demo.locator('[data-param="q"]').dispatchEvent('change');
  await demo.locator('[data-notice]').first().waitFor();
  assert.match(page.url(), /q=0\.99/);
  await page.close();
});

// A blog on another origin: a 700 px column (and a phone's), the snippets pasted as they come.
async function snippetOf(address, id, theme, withoutProse) {
  const page = await open(address);
  const demo = page.locator(`[data-demo="${id}"]`);
  await demo.locator('[data-action="embed"]').click();
  if (theme) await demo.locator('[data-embed-option="theme"]').selectOption(theme);
  if (withoutProse) await demo.locator('[data-embed-option="prose"]').uncheck();
  const snippet = await demo.locator('[data-embed-snippet]').inputValue();
  await page.close();
  return snippet;
}

// Each occam frame's height against its content's; the frame never scrolls inside.
async function frameFits(page) {
  const frames = page.locator('iframe[data-occam]');
  const results = [];
  for (let index = 0; index < await frames.count(); index += 1) {
    const frame = frames.nth(index);
    const outer = await frame.evaluate((element) => element.getBoundingClientRect().height);
    const inner = await (await frame.elementHandle()).contentFrame();
    const content = await inner.evaluate(() => ({
      main: document.querySelector('main.embed').getBoundingClientRect().height,
      scrolls: document.documentElement.scrollHeight > innerHeight + 1,
    }));
    results.push({ outer, ...content });
  }
  return results;
}

test('embeds size themselves in a blog column on another origin, before and after a run', async () => {
  const snippets = [
    await snippetOf('?backend=cpu&backend-check.steps=40', 'backend-check'),
    await snippetOf('entropy.html?backend=cpu&text-model.steps=20&text-model.hidden=8', 'text-model'),
    await snippetOf('diffusion.html?backend=cpu&diffusion.steps=50&diffusion.sampler-steps=5', 'diffusion', 'dark', true),
  ];
  assert.match(snippets[2], /theme=dark&amp;prose=0|theme=dark&prose=0/);
  const html = `<!doctype html><html><head><meta name="viewport" content="width=device-width, initial-scale=1">
    <style>body { margin: 0; font: 18px Georgia, serif; } article { max-width: 700px; margin: 0 auto; padding: 0 12px; }</style></head>
    <body><article><h1>A post about compression</h1><p>Some words first.</p>${snippets.join('\n<p>Words between the demos.</p>\n')}<p>The end.</p></article></body></html>`;
  const { host, address } = await hostServer(html);
  try {
    for (const width of [724, 390]) {
      const page = await site.browser.newPage({ viewport: { width, height: 900 } });
      page.on('pageerror', (error) => problems.push(`host: ${error.message}`));
      await page.goto(address);
      const fits = async (when) => {
        // The frames load lazily, as a reader scrolls to them: one at a time, each until it has
        // sized itself (a frame scrolled past at once may never be seen by the lazy loader).
        for (const frame of await page.locator('iframe[data-occam]').all()) {
          await frame.scrollIntoViewIfNeeded();
          await page.waitForFunction((element) => element.style.height, await frame.elementHandle(), { timeout: 60_000 });
        }
        await page.waitForFunction(() => [...document.querySelectorAll('iframe[data-occam]')].every((frame) => frame.style.height), null, { timeout: 60_000 });
        // A resize reaches the host a frame or two later: let it settle.
        let results;
        for (let tries = 0; tries < 20; tries += 1) {
          results = await frameFits(page);
          if (results.every(({ outer, main }) => Math.abs(outer - main) <= 20)) break;
          await page.waitForTimeout(250);
        }
        for (const [index, { outer, main, scrolls }] of results.entries()) {
          assert.ok(Math.abs(outer - main) <= 20, `${when} at ${width}px: frame ${index} is ${outer}px for ${main}px of demo`);
          assert.ok(!scrolls, `${when} at ${width}px: frame ${index} scrolls inside`);
        }
      };
      await fits('before a run');
      const frames = page.locator('iframe[data-occam]');
      const dark = await (await frames.nth(2).elementHandle()).contentFrame();
      assert.equal(await dark.evaluate(() => document.documentElement.dataset.theme), 'dark');
      assert.equal(await dark.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(21, 22, 26)');
      for (const [index, id] of [[1, 'text-model'], [2, 'diffusion']]) {
        const inner = await (await frames.nth(index).elementHandle()).contentFrame();
        await inner.locator('[data-action="train"]').click();
        await inner.waitForFunction((id) => document.querySelector(`[data-demo="${id}"]`).dataset.status === 'done', id, { timeout: 120_000 });
      }
      await fits('after a run');
      // Without the prose: the figures' explanations are there but hidden, the figures shown.
      const explanations = await dark.evaluate(() => [...document.querySelectorAll('.explain')].map((element) => element.getClientRects().length));
      assert.ok(explanations.length > 0 && explanations.every((rects) => rects === 0), `explanations ${explanations}`);
      assert.ok(await dark.locator('figure.scatter').count() > 0);
      assert.match(await dark.locator('.embed-credit a').getAttribute('href'), /^diffusion\.html#diffusion$/);
      await page.screenshot({ path: path.join(shots, `embed-host-${width}.png`), fullPage: true });
      await page.close();
    }
  } finally {
    host.close();
  }
  // Without the script, the frame still works at the snippet's height.
  const bare = await hostServer(`<!doctype html><body>${snippets[0].split('\n')[1]}</body>`);
  try {
    const page = await site.browser.newPage({ viewport: { width: 800, height: 900 } });
    await page.goto(bare.address);
    const frame = await (await page.locator('iframe[data-occam]').elementHandle()).contentFrame();
    await frame.locator('[data-demo="backend-check"]').waitFor();
    assert.equal(await page.locator('iframe[data-occam]').evaluate((element) => element.getBoundingClientRect().height), 720);
    await page.close();
  } finally {
    bare.host.close();
  }
});

test('a figure saves as SVG, PNG and CSV, each with the address that reproduces it', async () => {
  const page = await site.browser.newPage({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
  page.on('pageerror', (error) => problems.push(`export: ${error.message}`));
  await page.goto(site.base + 'entropy.html?coin-flips.p=0.8&coin-flips.n=2000');
  const demo = await trainToDone(page, 'coin-flips');
  const address = page.url();
  const tools = demo.locator('figure.plot').first().locator('.figure-tools');
  const save = async (action) => {
    const [download] = await Promise.all([page.waitForEvent('download'), tools.locator(`[data-action="${action}"]`).click()]);
    return { name: download.suggestedFilename(), bytes: fs.readFileSync(await download.path()) };
  };
  const csv = await save('save-csv');
  assert.match(csv.name, /^coin-flips-.+\.csv$/);
  const lines = csv.bytes.toString('utf8').split('\n');
  assert.equal(lines[1], `# reproduce: ${address}`);
  assert.equal(lines[2], 'series,label,p = P(heads),bits per flip');
  // The entropy curve's points: h(p) computed here, independently, at each x.
  const points = lines.filter((line) => line.startsWith('curve,h(p),')).map((line) => line.split(',').slice(2).map(Number));
  assert.ok(points.length > 20, `${points.length} points`);
  for (const [p, bits] of points.filter(([p]) => p > 0 && p < 1)) {
    assert.ok(Math.abs(bits - (-p * Math.log2(p) - (1 - p) * Math.log2(1 - p))) < 1e-9, `h(${p}) = ${bits}`);
  }
  const svg = (await save('save-svg')).bytes.toString('utf8');
  assert.match(svg, /^<svg[^>]* xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.ok(svg.includes(`Reproduce: ${address.replaceAll('&', '&amp;')}`), 'the address in the desc');
  assert.match(svg, /<polyline[^>]* stroke="[^"]+"/, "styles written on, as presentation attributes");
  assert.doesNotMatch(svg, / style="/, "no style attribute, which a strict CSP refuses");
  const png = (await save('save-png')).bytes;
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(png.readUInt32BE(16) >= 2 * 300, 'twice the drawn width');
  await page.close();
});

test('a link to a demo on its chapter scrolls to it once the page is drawn', async () => {
  const page = await open('diffusion.html#diffusion');
  await page.locator('[data-demo="diffusion"]').waitFor();
  await page.waitForFunction(() => Math.abs(document.getElementById('diffusion').getBoundingClientRect().top) < 50);
  await page.close();
});
