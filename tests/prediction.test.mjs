// Chapter 7 in the browser: the program search predicts, compressors measure distance, and the
// shortest two-part code picks a degree; bad input gets a message and the page keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setup, shots, open, metric, trainToDone } from './support.mjs';

setup();

/** Types `value` into demo control `name` as a person would, and lets the page read it. */
async function type(demo, name, value) {
  const control = demo.locator(`[data-param="${name}"]`);
  await control.fill(value);
  await control.dispatchEvent('change');
}

/** The cells of a demo's table, row by row. */
const cells = (demo, name) => demo.locator(`[data-table="${name}"] tbody tr`).evaluateAll(
  (rows) => rows.map((row) => [...row.cells].map((cell) => cell.textContent)),
);

test('program-search: 2, 4, 6, 8 continues with 10, from the 10-bit n + n', async () => {
  const page = await open('prediction.html');
  const demo = await trainToDone(page, 'program-search');
  // Worked by hand from the language's code: 1 header bit and three 3-bit opcodes.
  assert.equal(await metric(demo, 'shortest-bits'), 10);
  assert.equal(await metric(demo, 'next-term'), 10);
  assert.ok(await metric(demo, 'next-term-probability') > 0.99);
  const mixture = await cells(demo, 'mixture');
  assert.equal(mixture[0][0], '10', 'the largest weight is on 10');
  const shortest = await cells(demo, 'shortest');
  assert.deepEqual(shortest[0].slice(0, 3), ['a(n) = n + n', '10', '10']);
  // 123 only by listing the four terms: 5 + (5 + 7 + 7 + 9) + (3 + 15) bits.
  assert.equal(await metric(demo, 'compare-bits'), 51);
  await demo.screenshot({ path: path.join(shots, 'program-search.png') });
  // A word in the sequence: a message naming it, and the next sequence runs.
  await type(demo, 'sequence', '1, 2, x');
  await demo.locator('[data-action="train"]').click();
  await page.waitForFunction(() => document.querySelector('[data-demo="program-search"]')?.dataset.status === 'error');
  assert.match(await demo.locator('[data-error]').textContent(), /“x” is not a whole number/);
  await type(demo, 'sequence', '1 4 9 16');
  await trainToDone(page, 'program-search');
  assert.equal(await metric(demo, 'next-term'), 25);
  assert.equal(await metric(demo, 'shortest-bits'), 10);
  assert.match(page.url(), /sequence=1\+4\+9\+16|sequence=1%204%209%2016/);
  await page.close();
});

test('compression-distance: the excerpts fall into their languages, and a pasted text finds its own', async () => {
  const page = await open('prediction.html');
  const demo = await trainToDone(page, 'compression-distance');
  // Chance, with five languages of four excerpts each, is 1 in 5.
  for (const name of ['knn-accuracy-gzip', 'knn-accuracy-brotli', 'knn-accuracy-context']) {
    assert.ok(await metric(demo, name) >= 0.8, name);
  }
  assert.ok(await metric(demo, 'ncd-self') < 0.1);
  assert.ok(await metric(demo, 'ncd-within') < await metric(demo, 'ncd-between'));
  assert.equal(await demo.locator('[data-images="distances"] rect').count(), 21 * 21);
  assert.equal(await demo.locator('[data-cloud="map"] circle').count(), 21);
  const nearest = await cells(demo, 'nearest');
  assert.equal(nearest.at(-1)[1], 'English', 'the default text is English');
  await demo.screenshot({ path: path.join(shots, 'compression-distance.png') });
  // Markup in a pasted text stays text; this one is Italian (written for the test; a single
  // sentence is too short: gzip's and brotli's fixed costs then outweigh what it shares).
  const text = '<img src=x onerror="window.pwned=1">La mattina dopo, quando la nebbia si fu alzata sopra il lago, il vecchio pescatore tornò alla sua barca e guardò a lungo le montagne. Non disse niente a nessuno: sapeva che il tempo sarebbe cambiato prima di sera, e che i suoi figli non lo avrebbero creduto. Così prese le reti, le stese al sole e aspettò, come aveva fatto suo padre e il padre di suo padre.';
  await type(demo, 'text', text);
  await trainToDone(page, 'compression-distance');
  assert.equal((await cells(demo, 'nearest')).at(-1)[1], 'Italian');
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await page.locator('img[src="x"]').count(), 0);
  await page.close();
});

test('mdl-curve: answers at once, and a line is described as a line', async () => {
  const page = await open('prediction.html?curve=line&noise=0.05&points=50');
  const demo = page.locator('[data-demo="mdl-curve"]');
  await page.waitForFunction(() => document.querySelector('[data-demo="mdl-curve"]')?.dataset.status === 'done');
  assert.equal(await demo.locator('[data-action="train"]').count(), 0, 'nothing to train');
  // The points come from 0.8x: degree 1, which a straight line needs and nothing shorter has.
  assert.equal(await metric(demo, 'mdl-degree'), 1);
  const train = (await demo.locator('[data-metric="train-error"]').getAttribute('data-value')).split(',').map(Number);
  assert.equal(train.length, 13, 'degrees 0 to 12');
  for (let d = 1; d < train.length; d += 1) assert.ok(train[d] <= train[d - 1] + 1e-9, `training error rises at ${d}`);
  // A bad value: the default comes back with a notice, and the demo still answers.
  await type(demo, 'max-degree', 'banana');
  assert.ok(await demo.locator('[data-notice]').count() > 0);
  assert.equal(await demo.getAttribute('data-status'), 'done');
  await page.goto(page.url().replace(/\?.*$/, ''));
  await page.waitForFunction(() => document.querySelector('[data-demo="mdl-curve"]')?.dataset.status === 'done');
  const mdl = await metric(demo, 'mdl-degree');
  assert.ok(mdl >= 1 && mdl < 12, `mdl-degree ${mdl} on the default sine`);
  await demo.screenshot({ path: path.join(shots, 'mdl-curve.png') });
  await page.close();
});
