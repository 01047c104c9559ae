// What every browser suite shares: dist/ served under a sub-path (/occam/) by a plain static
// server, as a reader's host would, Debian's Chromium driven by playwright-core, and a record
// of every uncaught error and console error, which fails the suite.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
export const shots = path.join(root, 'tests', 'screenshots');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

export const problems = [];

/** The strictest policy a host may send: served with every file, so that every test of the
 * suite also checks that the site needs nothing more (no inline script or style, no eval). */
export const contentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
  + "img-src 'self' data:; worker-src 'self'; object-src 'none'; base-uri 'none'";
// Filled in by `setup`'s hooks, read by the tests.
export const site = { base: '', browser: null };

/** Registers the suite's hooks: the server and the browser before, the error check after. */
export function setup() {
  let server;
  before(async () => {
    fs.mkdirSync(shots, { recursive: true });
    server = http.createServer((request, response) => {
      const url = new URL(request.url, 'http://localhost');
      if (!url.pathname.startsWith('/occam/')) { response.writeHead(404); return response.end(); }
      const file = path.join(dist, decodeURIComponent(url.pathname.slice('/occam/'.length)) || 'index.html');
      if (!file.startsWith(dist) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { response.writeHead(404); return response.end(); }
      // As many static hosts do (GitHub Pages among them): a sandboxed frame, whose origin is
      // opaque, may then load the page's scripts and wasm.
      response.writeHead(200, {
        'Content-Type': types[path.extname(file)] ?? 'application/octet-stream',
        'Access-Control-Allow-Origin': '*',
        'Content-Security-Policy': contentSecurityPolicy,
      });
      fs.createReadStream(file).pipe(response);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    site.base = `http://127.0.0.1:${server.address().port}/occam/`;
    site.browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--disable-quic'],
    });
  });
  after(async () => {
    await site.browser?.close();
    server?.close();
    assert.deepEqual(problems, [], 'no uncaught errors on any page');
  });
}

/** Reports a page's uncaught errors and console errors to the suite. */
export function watch(page, label) {
  page.on('pageerror', (error) => problems.push(`${label}: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`${label}: console: ${message.text()}`); });
  return page;
}

/** A page of the site in a new browser context's tab, once the app has mounted. */
export async function open(address, { width = 1100, height = 900, context = site.browser } = {}) {
  const page = watch(await context.newPage(), address);
  await page.setViewportSize({ width, height });
  await page.goto(site.base + address);
  // The page's wasm mounts the app after the load event: wait for it before counting things.
  await page.locator('main').first().waitFor();
  return page;
}

export const metric = async (demo, name) => Number(await demo.locator(`[data-metric="${name}"]`).getAttribute('data-value'));

/** Clicks Train on demo `id` and waits for it to be done, without an error. */
export async function trainToDone(page, id, timeout = 120_000) {
  const demo = page.locator(`[data-demo="${id}"]`);
  await demo.locator('[data-action="train"]').click();
  await page.waitForFunction((id) => ['done', 'error'].includes(document.querySelector(`[data-demo="${id}"]`)?.dataset.status), id, { timeout });
  const error = await demo.locator('[data-error]').count() ? await demo.locator('[data-error]').textContent() : null;
  assert.equal(error, null);
  assert.equal(await demo.getAttribute('data-status'), 'done');
  return demo;
}

/** A one-page site on another origin (`localhost` rather than 127.0.0.1), serving `html`. */
export async function hostServer(html) {
  const host = http.createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end(html);
  });
  await new Promise((resolve) => host.listen(0, 'localhost', resolve));
  return { host, address: `http://localhost:${host.address().port}/post.html` };
}
