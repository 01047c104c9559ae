// Hostile addresses: embed and chapter URLs drawn with a seed over every demo and every
// parameter name, with values a careless or malicious link may carry. For each one: nothing
// thrown, nothing logged as an error, no script from the address ever runs, every demo renders
// with a status, and every value the page repaired has a notice. `FUZZ_SEED=<n>` replays a run;
// `FUZZ_URLS=<n>` sets how many addresses (1,000 by default).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setup, site, root } from './support.mjs';

setup();

const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const count = Number(process.env.FUZZ_URLS ?? 1000);

/** mulberry32: a small, well-mixed generator, enough to draw test cases from a seed. */
function generator(state) {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

// Each payload tries to run `window.__pwned = 1` (or to open a dialog) if it is ever treated as
// markup, script or a template.
const payloads = [
  '<script>window.__pwned=1</script>', '"><img src=x onerror="window.__pwned=1">',
  "'><svg onload=window.__pwned=1>", 'javascript:window.__pwned=1', '{{constructor.constructor("window.__pwned=1")()}}',
  '${window.__pwned=1}', '<iframe srcdoc="<script>parent.__pwned=1</script>">', '</textarea><script>window.__pwned=1</script>',
  '<math><mtext><img src=x onerror=window.__pwned=1></mtext></math>', '&lt;b&gt;', '<b>bold</b>',
];
const values = [
  '', ' ', 'NaN', 'nan', 'Infinity', '-Infinity', '+Infinity', 'inf', '1e309', '-1e309', '1e-320', '5e-324', '-0', '-1',
  '0', '1', '2', '3', '7', '10', '64', '0.5', '.5', '5.', '+5', '99999999999999999999999', '18446744073709551616',
  '18446744073709551615', '0x1F', '0b101', '0o7', '1_000', '1,5', '1,000', '0,25', '1e3', '١٢', '٣', '５', '²',
  '\u202E12', '\u200F3', '1\u200B2', '\uFEFF4', '3 3', '3;4', '\n5', '\t2', 'true', 'null', 'undefined', '[]', '{}',
  '__proto__', 'constructor', 'x'.repeat(5000), '9'.repeat(5000), 'é'.repeat(700), '🙂', ...payloads,
];
// Written into the address as they are, not encoded: broken and odd percent-escapes.
const rawValues = ['%00', '%', '%zz', '%E0%A4%A', '%ff', '%C0%AF', '%2', '100%', '%u202E', '%%41', '+', '%2B1'];
const oddNames = ['zzz', '__proto__', 'constructor', 'prototype', 'demo', 'theme', 'prose', 'backend', 'background',
  'seed.seed', '.seed', 'seed.', '<b>x</b>', '%00', ''];

/** Decodes as the page does (`url::decode`): `+` as a space, the text itself when it is not valid. */
function decode(text) {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

/** Whether the control's value is what the address asked for, as the page reads a value. */
function kept(kind, asked, shown) {
  if (kind === 'TEXTAREA') return shown === asked;
  const trimmed = asked.trim();
  if (kind === 'SELECT') return shown === trimmed;
  const number = Number(trimmed.replace(',', '.'));
  return trimmed !== '' && Number.isFinite(number) && number === Number(shown);
}

test(`${count} hostile addresses (seed ${seed}): nothing thrown, nothing run, every repair noticed`, async (t) => {
  // The demos and their parameters, as the chapter pages show them.
  const context = await site.browser.newContext();
  const pages = fs.readdirSync(path.join(root, 'dist')).filter((name) => name.endsWith('.html'))
    .filter((name) => !['index.html', 'embed.html', 'assign.html', 'assignment.html', 'teacher.html'].includes(name));
  const demos = [];
  const discover = await context.newPage();
  for (const file of pages) {
    await discover.goto(site.base + file);
    await discover.locator('main').first().waitFor();
    const found = await discover.evaluate(() => [...document.querySelectorAll('[data-demo]')].map((demo) => ({
      id: demo.dataset.demo,
      params: [...demo.querySelectorAll('[data-param]')].map((control) => ({ name: control.dataset.param, kind: control.tagName })),
    })));
    for (const demo of found) demos.push({ ...demo, file });
  }
  await discover.close();
  assert.ok(demos.length >= 15, `${demos.length} demos found`);

  const random = generator(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const value = () => (random() < 0.15 ? { text: pick(rawValues), raw: true } : { text: pick(values), raw: false });
  const cases = [];
  for (let index = 0; index < count; index += 1) {
    const demo = pick(demos);
    const isEmbed = random() < 0.5;
    const pairs = [];
    const names = demo.params.map((param) => param.name);
    for (let n = 1 + Math.floor(random() * 4); n > 0; n -= 1) {
      const roll = random();
      const name = roll < 0.75 ? pick(names) : pick(oddNames);
      const scoped = !isEmbed && roll < 0.75 && random() < 0.6 ? `${demo.id}.${name}` : name;
      pairs.push([scoped, value()]);
      if (random() < 0.1) pairs.push([scoped, value()]); // repeated: the last one wins
    }
    const query = pairs.map(([name, { text, raw }]) => `${encodeURIComponent(name)}=${raw ? text : encodeURIComponent(text)}`);
    if (isEmbed) query.unshift(`demo=${random() < 0.05 ? encodeURIComponent(pick(payloads)) : demo.id}`);
    const hash = random() < 0.1 ? `#${encodeURIComponent(pick(payloads))}` : '';
    cases.push({ index, address: `${isEmbed ? 'embed.html' : demo.file}?${query.join('&')}${hash}`, demo, isEmbed });
  }

  const failures = [];
  let asked = 0;
  let repaired = 0;
  // Two tabs take turns through the cases, as the machine has two cores. Each tab is replaced
  // every 100 addresses: once in CI, some 400 loads into one tab, its renderer could not
  // allocate the next page's wasm memory ("Cannot allocate Wasm memory for new instance"),
  // though the same seed passed on its own; no reader loads hundreds of pages into one tab.
  const TAB_LIFE = 100;
  const tab = async (cases) => {
    for (let start = 0; start < cases.length; start += TAB_LIFE) await oneTab(cases.slice(start, start + TAB_LIFE));
  };
  const oneTab = async (cases) => {
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
    page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
    page.on('dialog', (dialog) => { problems.push(`a dialog opened: ${dialog.message()}`); dialog.dismiss(); });
    let previous = '';
    for (const one of cases) {
      problems.length = 0;
      // Two addresses that differ only after `#` would not load anew: through a blank page.
      const document = one.address.split('#')[0];
      if (document === previous) await page.goto('about:blank');
      previous = document;
      await page.goto(site.base + one.address);
      await check(page, one, problems);
    }
    await page.close();
  };
  const check = async (page, { index, address, demo, isEmbed }, problems) => {
    // A page that never shows is this address's failure, with what the page said, not the end of the run.
    const shows = await page.locator('main').first().waitFor().then(() => true, () => false);
    if (!shows) {
      failures.push(`#${index} ${address.slice(0, 300)}\n    no main within 30 s\n    ${problems.join('\n    ')}`);
      return;
    }
    const seen = await page.evaluate(() => ({
      pwned: window.__pwned !== undefined || window.parent.__pwned !== undefined,
      demos: [...document.querySelectorAll('[data-demo]')].map((element) => ({
        id: element.dataset.demo,
        status: element.dataset.status,
        controls: Object.fromEntries([...element.querySelectorAll('[data-param]')].map((control) => [control.dataset.param, control.value])),
        notices: [...element.querySelectorAll('[data-notice]')].map((notice) => notice.textContent),
      })),
      text: document.querySelector('main').textContent.length,
    }));
    const wrong = [...problems];
    if (seen.pwned) wrong.push('a script from the address ran');
    if (seen.text === 0) wrong.push('an empty page');
    for (const shown of seen.demos) {
      if (!['idle', 'running', 'done', 'error'].includes(shown.status)) wrong.push(`${shown.id}: status ${shown.status}`);
    }
    // Every value asked of this demo that it did not keep has a notice naming the parameter.
    const opened = new URL(site.base + address).search.replace(/^\?/, '').split('&').filter(Boolean)
      .map((pair) => { const at = pair.indexOf('='); return at < 0 ? [decode(pair), ''] : [decode(pair.slice(0, at)), decode(pair.slice(at + 1))]; });
    const last = (key) => opened.filter(([candidate]) => candidate === key).at(-1);
    const isThisDemo = !isEmbed || last('demo')?.[1] === demo.id;
    const shown = seen.demos.find((candidate) => candidate.id === demo.id);
    if (shown) {
      for (const { name, kind } of demo.params) {
        const pair = last(`${demo.id}.${name}`) ?? last(name);
        if (!pair) continue;
        asked += 1;
        if (kept(kind, pair[1], shown.controls[name])) continue;
        repaired += 1;
        if (!shown.notices.some((notice) => notice.includes(name))) {
          wrong.push(`${name} = ${JSON.stringify(pair[1].slice(0, 60))} shows ${JSON.stringify(String(shown.controls[name]).slice(0, 60))} with no notice`);
        }
      }
    } else if (isThisDemo) {
      wrong.push(`${demo.id} is not on the page`);
    }
    if (wrong.length) failures.push(`#${index} ${address.slice(0, 300)}\n    ${wrong.join('\n    ')}`);
  };
  await Promise.all([tab(cases.filter((_, at) => at % 2 === 0)), tab(cases.filter((_, at) => at % 2 === 1))]);
  await context.close();
  t.diagnostic(`seed ${seed}: ${asked} values asked of the demos, ${repaired} repaired`);
  // The draw must exercise the repairs, or the check above proves nothing.
  assert.ok(repaired > count / 10, `${repaired} repaired values`);
  if (failures.length) t.diagnostic(`seed ${seed}: replay with FUZZ_SEED=${seed}`);
  assert.deepEqual(failures.slice(0, 20), [], `seed ${seed}: ${failures.length} of ${count} addresses failed`);
});
