// Hardening: the site under a strict host's Content-Security-Policy (nothing inline in dist/,
// no violation on any page), embeds in sandboxed frames, a hidden tab, axe-core's audit of every
// page in light and dark, and the keyboard's focus while a demo trains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setup, site, root, trainToDone, hostServer, contentSecurityPolicy, watch } from './support.mjs';

setup();

const axeSource = fs.readFileSync(path.join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

test('dist/ has no inline script, style or event handler for a strict host to refuse', () => {
  const dist = path.join(root, 'dist');
  const pages = fs.readdirSync(dist).filter((name) => name.endsWith('.html'));
  assert.ok(pages.length >= 8, pages.join(' '));
  for (const name of pages) {
    const html = fs.readFileSync(path.join(dist, name), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length >= 1, `${name}: a start-up script`);
    for (const [, attributes, body] of scripts) {
      assert.match(attributes, /\bsrc="\.\/[^"]+\.js"/, `${name}: a script from a file of the site`);
      assert.match(attributes, /\bintegrity="sha384-[A-Za-z0-9+/=]+"/, `${name}: the script's integrity`);
      assert.equal(body.trim(), '', `${name}: nothing inline`);
      const file = attributes.match(/src="\.\/([^"]+)"/)[1];
      assert.ok(fs.existsSync(path.join(dist, file)), `${name}: ${file} is in dist/`);
    }
    assert.doesNotMatch(html, /<style\b/i, `${name}: no style element`);
    assert.doesNotMatch(html, /\sstyle=/i, `${name}: no style attribute`);
    assert.doesNotMatch(html, /\son[a-z]+=/i, `${name}: no inline event handler`);
  }
});

/** Counts the page's Content-Security-Policy violations from its first script on. */
async function recordViolations(page) {
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__violations.push(`${event.violatedDirective}: ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
}

test('every page runs under a strict Content-Security-Policy, with no violation', async () => {
  const context = await site.browser.newContext();
  const response = await (await context.newPage()).goto(site.base + 'index.html');
  assert.equal(response.headers()['content-security-policy'], contentSecurityPolicy, 'the suite serves the policy');
  const visit = async (address, train = []) => {
    const page = await context.newPage();
    await recordViolations(page);
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(site.base + address);
    await page.locator('main').first().waitFor();
    for (const id of train) await trainToDone(page, id, 120_000);
    const violations = await page.evaluate(() => window.__violations);
    assert.deepEqual(violations, [], `${address}: no violation`);
    assert.deepEqual(pageErrors, [], `${address}: no uncaught error`);
    return page;
  };
  await visit('index.html');
  // The figures that once set a `style` attribute: the bars of the PCA code, the coloured text.
  await visit('pca-sparse.html?backend=cpu', ['pca']);
  await visit('entropy.html?backend=cpu&text-model.steps=40&text-model.hidden=16', ['coin-flips', 'text-model']);
  for (const chapter of ['diffusion', 'coding-rate', 'crate', 'prediction']) await visit(`${chapter}.html`);
  await visit('embed.html?demo=coin-flips', ['coin-flips']);
  await visit('assign.html');
  await visit('assignment.html?title=T&ex=entropy-lucky-run');
  await visit('teacher.html');
  // The policy is enforced, not merely sent: an inline script added now is refused, and said so.
  const page = await visit('index.html');
  const ran = await page.evaluate(async () => {
    window.__ran = false;
    const script = document.createElement('script');
    script.textContent = 'window.__ran = true';
    document.body.append(script);
    await new Promise((resolve) => setTimeout(resolve, 50));
    return window.__ran;
  });
  assert.equal(ran, false, 'an inline script does not run');
  assert.equal((await page.evaluate(() => window.__violations)).length, 1, 'and is reported');
  // As a `style` attribute would be, which is why the pages never write one.
  const styled = await page.evaluate(async () => {
    const probe = document.createElement('span');
    document.body.append(probe);
    probe.setAttribute('style', 'color: rgb(1, 2, 3)');
    await new Promise((resolve) => setTimeout(resolve, 50));
    return getComputedStyle(probe).color;
  });
  assert.notEqual(styled, 'rgb(1, 2, 3)', 'a style attribute is refused');
  assert.equal((await page.evaluate(() => window.__violations)).length, 2, 'and is reported');
  await context.close();
});

/** Makes the page believe its tab was hidden (or shown), as switching tabs does. */
const setHidden = (page, hidden) => page.evaluate((hidden) => {
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
}, hidden);

/** Waits for the denoiser's first report (before it, the bar shows the worker's download). */
const training = (page) => page.waitForFunction(() => document.querySelector('[data-demo="denoiser"] [data-progress-label]')?.textContent.startsWith('Training'));

const progressOf = async (demo) => Number(await demo.locator('[data-progress]').getAttribute('value'));

test('a hidden tab pauses training and showing it resumes, unless the page says background=train', async () => {
  const context = await site.browser.newContext();
  const page = await context.newPage();
  await page.goto(site.base + 'diffusion.html?backend=cpu&denoiser.steps=3000');
  const demo = page.locator('[data-demo="denoiser"]');
  const status = () => demo.getAttribute('data-status');
  await demo.locator('[data-action="train"]').click();
  await training(page);
  await setHidden(page, true);
  await page.waitForFunction(() => document.querySelector('[data-demo="denoiser"]').dataset.status === 'idle', null, { polling: 100 });
  const paused = await progressOf(demo);
  await page.waitForTimeout(800);
  assert.equal(await progressOf(demo), paused, 'no progress while hidden');
  assert.match(await demo.locator('[data-progress-label]').textContent(), /^Paused at \d+%/);
  await setHidden(page, false);
  await page.waitForFunction((paused) => Number(document.querySelector('[data-demo="denoiser"] [data-progress]').getAttribute('value')) > paused, paused);
  assert.equal(await status(), 'running', 'resumed when shown');
  // A run the person paused stays paused when the tab comes back.
  await demo.locator('[data-action="pause"]').click();
  await page.waitForFunction(() => document.querySelector('[data-demo="denoiser"]').dataset.status === 'idle');
  await setHidden(page, true);
  await setHidden(page, false);
  await page.waitForTimeout(500);
  assert.equal(await status(), 'idle', 'still paused');
  await page.close();

  // With background=train (set by the checkbox, kept in the address), hiding changes nothing.
  const trains = await context.newPage();
  await trains.goto(site.base + 'diffusion.html?backend=cpu&denoiser.steps=3000');
  await trains.locator('input[data-param="background"]').check();
  assert.match(trains.url(), /[?&]background=train\b/);
  const other = trains.locator('[data-demo="denoiser"]');
  await other.locator('[data-action="train"]').click();
  await training(trains);
  await setHidden(trains, true);
  const before = await progressOf(other);
  // Polled on a timer: a page that believes itself hidden may not be polled on animation frames.
  await trains.waitForFunction((before) => Number(document.querySelector('[data-demo="denoiser"] [data-progress]').getAttribute('value')) > before, before, { polling: 100 });
  assert.equal(await other.getAttribute('data-status'), 'running');
  await trains.close();
  // A value it does not know gets a notice, and the default.
  const odd = await context.newPage();
  await odd.goto(site.base + 'diffusion.html?background=maybe');
  await odd.locator('[data-notice]').first().waitFor();
  assert.match(await odd.locator('.backend [data-notice]').textContent(), /background = “maybe” is not one of pause, train/);
  assert.equal(await odd.locator('input[data-param="background"]').isChecked(), false);
  await context.close();
});

test('WebGPU lost during a run ends it with a message, and the next run goes on the CPU with a notice', async () => {
  const page = watch(await site.browser.newPage(), 'device loss');
  const workers = [];
  page.on('worker', (worker) => workers.push(worker));
  await page.goto(site.base + 'diffusion.html?backend=webgpu&steps=400&seed=2');
  const demo = page.locator('[data-demo="denoiser"]');
  await demo.locator('[data-action="train"]').click();
  await training(page);
  assert.equal(await page.locator('html').getAttribute('data-backend'), 'webgpu');
  // The WebGPU worker's device, caught as it records its next commands, then destroyed: what a
  // driver reset or a GPU taken away does to a page.
  const worker = workers.find((worker) => /occam-worker_loader/.test(worker.url()));
  assert.ok(worker, workers.map((worker) => worker.url()).join(' '));
  const destroyed = await worker.evaluate(async () => {
    const devices = new Set();
    const original = GPUDevice.prototype.createCommandEncoder;
    GPUDevice.prototype.createCommandEncoder = function (...args) {
      devices.add(this);
      return original.apply(this, args);
    };
    while (devices.size === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    for (const device of devices) device.destroy();
    return devices.size;
  });
  assert.equal(destroyed, 1);
  await page.waitForFunction(() => document.querySelector('[data-demo="denoiser"]').dataset.status === 'error');
  const message = await demo.locator('[data-error]').textContent();
  assert.match(message, /^WebGPU stopped working on this page \(.+\)\. Train again: the next run goes on the CPU\.$/);
  assert.doesNotMatch(message, /Backtrace|Caused by|\n/, 'one line, no backtrace');
  // The next run: on the CPU, saying why, and it finishes.
  await trainToDone(page, 'denoiser');
  assert.match(await demo.locator('[data-progress-label]').textContent(), /on the CPU\.$/);
  assert.match(await demo.locator('[data-notice]').textContent(), /WebGPU stopped working on this page \(.+\); running on the CPU instead\./);
  await page.close();
});

for (const backend of ['cpu', 'webgpu']) {
  test(`a loss that stops being a number ends the run with a message and a hint, on ${backend}`, async () => {
    // Plain gradient descent at step size 3: along the output bias the loss is a parabola of
    // curvature 2, so that coordinate's error grows fivefold a step and the loss overflows.
    const page = watch(await site.browser.newPage(), `divergence on ${backend}`);
    await page.goto(`${site.base}?backend=${backend}&optimizer=gd&lr=3&steps=200&seed=2`);
    const demo = page.locator('[data-demo="backend-check"]');
    await demo.locator('[data-action="train"]').click();
    await page.waitForFunction(() => document.querySelector('[data-demo="backend-check"]').dataset.status === 'error', null, { timeout: 120_000 });
    assert.equal(await page.locator('html').getAttribute('data-backend'), backend);
    const message = await demo.locator('[data-error]').textContent();
    assert.match(message, /^training diverged: the loss became (NaN|inf|-inf) at step \d+: gradient descent settles here only with a step size below 1, so try a smaller one\. Try another seed/);
    // The page keeps working: a step size below the limit trains to the end.
    await demo.locator('[data-param="lr"]').fill('0.2');
    await demo.locator('[data-param="lr"]').press('Enter');
    await trainToDone(page, 'backend-check');
    assert.ok(Number.isFinite(Number(await demo.locator('[data-metric="loss"]').getAttribute('data-value'))));
    await page.close();
  });
}

test('an embed trains in a sandboxed frame, and says why it cannot in an opaque one', async () => {
  const address = `${site.base}embed.html?demo=pca&backend=cpu`;
  const { host, address: post } = await hostServer(`<!doctype html><body>
    <iframe id="same" sandbox="allow-scripts allow-same-origin" src="${address}" width="700" height="900"></iframe>
    <iframe id="opaque" sandbox="allow-scripts" src="${address}" width="700" height="900"></iframe></body>`);
  const page = await site.browser.newPage({ viewport: { width: 760, height: 1900 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(post);
  const same = page.frameLocator('#same').locator('[data-demo="pca"]');
  await same.locator('[data-action="train"]').click();
  await same.locator('[data-progress-label]').filter({ hasText: /^Done in/ }).waitFor({ timeout: 60_000 });
  assert.equal(await same.getAttribute('data-status'), 'done');
  const opaque = page.frameLocator('#opaque').locator('[data-demo="pca"]');
  await opaque.locator('[data-action="train"]').click();
  await opaque.locator('[data-error]').waitFor();
  assert.equal(await opaque.getAttribute('data-status'), 'error');
  const message = await opaque.locator('[data-error]').textContent();
  assert.match(message, /sandboxed frame without allow-same-origin/);
  assert.match(message, /Open it on its own page to train it: http:\/\/127\.0\.0\.1:\d+\/occam\/embed\.html\?demo=pca/);
  // Its values still take edits, and the page keeps working.
  await opaque.locator('[data-param="k"]').fill('12');
  await opaque.locator('[data-param="k"]').press('Enter');
  assert.equal(await opaque.locator('[data-param="k"]').inputValue(), '12');
  assert.deepEqual(errors, [], 'nothing thrown uncaught in either frame');
  await page.close();
  host.close();
});

test('axe-core finds no serious or critical violation on any page, light or dark', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const slugs = fs.readdirSync(path.join(root, 'dist')).filter((name) => name.endsWith('.html')).map((name) => name.slice(0, -5));
  const pages = [
    ['index.html'],
    ...slugs.filter((slug) => !['index', 'embed', 'assign', 'assignment', 'teacher'].includes(slug)).map((slug) => [`${slug}.html`]),
    ['embed.html?demo=coin-flips&backend=cpu', 'coin-flips'],
    ['assign.html'],
    ['assignment.html?title=Week%201&ex=entropy-lucky-run,entropy-overconfident-model'],
    ['teacher.html'],
  ];
  // The home page, six chapters, an embed and the three classroom pages at least.
  assert.ok(pages.length >= 11, pages.join(' '));
  const found = [];
  for (const [address, train] of pages) {
    const page = await context.newPage();
    await page.goto(site.base + address);
    await page.locator('main').first().waitFor();
    if (train) await trainToDone(page, train);
    // Evaluated through the browser's protocol, which the page's policy does not govern.
    await page.evaluate(axeSource);
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      for (const violation of violations.filter(({ impact }) => impact === 'serious' || impact === 'critical')) {
        found.push(`${address} (${colorScheme}): ${violation.id}: ${violation.help} at ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ')}`);
      }
    }
    await page.close();
  }
  assert.deepEqual(found, []);
  await context.close();
});

test('by keyboard alone, the focus moves from Train to Pause and back as they disable themselves', async () => {
  const page = await site.browser.newPage();
  await page.goto(site.base + 'diffusion.html?backend=cpu&denoiser.steps=3000');
  const demo = page.locator('[data-demo="denoiser"]');
  const focused = () => page.evaluate(() => document.activeElement?.dataset?.action ?? document.activeElement?.tagName);
  // Waits for the focus to reach the button; a timeout says where the focus and the run were.
  const focusReaches = async (action) => {
    try {
      await page.waitForFunction((action) => document.activeElement?.dataset?.action === action, action, { timeout: 20_000 });
    } catch {
      assert.fail(`the focus never reached ${action}: it is on ${await focused()}, the demo is ${await demo.getAttribute('data-status')}`);
    }
  };
  await demo.locator('[data-action="train"]').focus();
  await page.keyboard.press('Enter');
  await focusReaches('pause');
  assert.equal(await demo.getAttribute('data-status'), 'running');
  await page.keyboard.press('Space');
  await focusReaches('train');
  assert.equal(await demo.locator('[data-action="train"]').textContent(), 'Resume');
  await page.keyboard.press('Enter');
  await focusReaches('pause');
  // The run ends with the focus on Pause: it comes back to Train.
  await page.waitForFunction(() => document.querySelector('[data-demo="denoiser"]').dataset.status === 'done', null, { timeout: 60_000 });
  await focusReaches('train');
  assert.equal(await focused(), 'train');
  await page.close();
});
