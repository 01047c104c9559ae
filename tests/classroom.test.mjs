// The classroom in the browser: exercises of every kind checked on the page, progress kept and
// cleared, a sandboxed frame without storage, and receipts verified on the teacher's page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setup, site, shots, open, metric, trainToDone, hostServer, watch } from './support.mjs';

setup();

/** Huffman's expected codeword length for these probabilities: the sum of every merged weight. */
function huffmanLength(probabilities) {
  const heap = [...probabilities];
  let total = 0;
  while (heap.length > 1) {
    heap.sort((a, b) => a - b);
    const merged = heap.shift() + heap.shift();
    total += merged;
    heap.push(merged);
  }
  return total;
}

/** Bits per flip of Huffman's code for blocks of k flips of a coin with P(heads) = p. */
function huffmanBitsPerFlip(p, k) {
  const blocks = [];
  for (let block = 0; block < 2 ** k; block += 1) {
    let heads = 0;
    for (let bit = 0; bit < k; bit += 1) heads += (block >> bit) & 1;
    blocks.push(p ** heads * (1 - p) ** (k - heads));
  }
  return huffmanLength(blocks) / k;
}

const h = (p) => -p * Math.log2(p) - (1 - p) * Math.log2(1 - p);
const exercise = (page, id) => page.locator(`[data-exercise="${id}"]`);
const stateOf = (page, id) => exercise(page, id).getAttribute('data-state');

async function check(page, id, answer) {
  const block = exercise(page, id);
  if (answer !== undefined) await block.locator('[data-answer]').fill(answer);
  await block.locator('[data-action="check"]').click();
  return block;
}

test('the expected values of these tests, computed here', () => {
  // Blocks of two flips at p = 0.9: 0.81, 0.09, 0.09, 0.01 give 1.29 bits a block.
  assert.ok(Math.abs(huffmanBitsPerFlip(0.9, 2) - 0.645) < 1e-12);
  // Six flips a block come within 1% of h(0.9); five do not.
  assert.ok(huffmanBitsPerFlip(0.9, 6) < 1.01 * h(0.9));
  assert.ok(huffmanBitsPerFlip(0.9, 5) > 1.01 * h(0.9));
});

test('exercises of every kind: a wrong answer and a right one get the right feedback', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await open('entropy.html?backend=cpu', { context });
  const kinds = await page.locator('[data-exercise]').evaluateAll((all) => all.map((element) => element.dataset.kind));
  assert.ok(kinds.length >= 4, `${kinds.length} exercises`);
  for (const kind of ['number', 'choice', 'show', 'predict']) assert.ok(kinds.includes(kind), `no ${kind} exercise`);
  assert.ok((await page.locator('[data-exercise]').evaluateAll((all) => all.map((element) => element.dataset.state))).every((state) => state === 'open'));

  // A number: too high, then right with a decimal comma; the hint and the explanation.
  const number = await check(page, 'entropy-huffman-pairs', '0.7');
  assert.equal(await number.getAttribute('data-state'), 'wrong');
  assert.match(await number.locator('[data-feedback]').textContent(), /too high/);
  await number.locator('[data-action="hint"]').click();
  assert.match(await number.locator('[data-hint]').textContent(), /Merge/);
  assert.equal(await number.locator('[data-explanation]').count(), 0);
  await check(page, 'entropy-huffman-pairs', String(huffmanBitsPerFlip(0.9, 2)).replace('.', ','));
  assert.equal(await number.getAttribute('data-state'), 'solved');
  assert.match(await number.locator('[data-explanation]').textContent(), /1\.29 bits per block/);

  // A choice: a wrong option shows its own feedback; the right one solves it.
  const choice = exercise(page, 'entropy-lucky-run');
  assert.equal(await choice.getAttribute('data-kind'), 'choice');
  await choice.locator('[data-answer][value="1"]').check();
  await choice.locator('[data-action="check"]').click();
  assert.equal(await choice.getAttribute('data-state'), 'wrong');
  assert.match(await choice.locator('[data-feedback]').textContent(), /No code beats the entropy on average/);
  await choice.locator('[data-answer][value="0"]').check();
  await choice.locator('[data-action="check"]').click();
  assert.equal(await choice.getAttribute('data-state'), 'solved');
  assert.match(await choice.locator('[data-feedback]').textContent(), /lucky sample/);

  // Make the demo show it: blocks of 5 flips miss the goal, blocks of 6 meet it, on a real run.
  const blocks = page.locator('[data-demo="block-codes"]');
  await blocks.locator('[data-param="k"]').fill('5');
  await blocks.locator('[data-param="k"]').blur();
  await trainToDone(page, 'block-codes');
  assert.equal(await stateOf(page, 'entropy-blocks-within-one-percent'), 'open', 'a failing run leaves an untouched exercise open');
  const show = await check(page, 'entropy-blocks-within-one-percent');
  assert.equal(await show.getAttribute('data-state'), 'wrong');
  assert.match(await show.locator('[data-feedback]').textContent(), /Not yet/);
  await blocks.locator('[data-param="k"]').fill('6');
  await blocks.locator('[data-param="k"]').blur();
  await trainToDone(page, 'block-codes');
  const measured = await metric(blocks, 'huffman-bits-per-flip');
  assert.ok(Math.abs(measured - huffmanBitsPerFlip(0.9, 6)) < 1e-9, `huffman-bits-per-flip ${measured}`);
  await page.waitForFunction(() => document.querySelector('[data-exercise="entropy-blocks-within-one-percent"]').dataset.state === 'solved');

  // Predict, then run: the guess is locked in first; a run with other settings does not count.
  const predict = await check(page, 'entropy-predict-fair-coin', '1');
  assert.match(await predict.locator('[data-feedback]').textContent(), /locked in/);
  assert.ok(await predict.locator('[data-answer]').isDisabled());
  await trainToDone(page, 'coin-flips');
  await page.waitForFunction(() => document.querySelector('[data-exercise="entropy-predict-fair-coin"]').dataset.state === 'wrong');
  assert.match(await predict.locator('[data-feedback]').textContent(), /P\(heads\)/);
  // Its demo link sets P(heads) = 0.5 on the demo, and in the address.
  await predict.locator('a[data-set-demo="coin-flips"]').click();
  const coins = page.locator('[data-demo="coin-flips"]');
  assert.equal(await coins.locator('[data-param="p"]').inputValue(), '0.5');
  assert.match(page.url(), /coin-flips\.p=0\.5/);
  await trainToDone(page, 'coin-flips');
  await page.waitForFunction(() => document.querySelector('[data-exercise="entropy-predict-fair-coin"]').dataset.state === 'solved');
  const adaptive = await metric(coins, 'adaptive-bits-per-flip');
  const said = await predict.locator('[data-feedback]').textContent();
  assert.match(said, /You guessed 1; the run measured 1\.0\d*: close/);
  assert.ok(adaptive > 1 && adaptive < 1.01, `adaptive ${adaptive}`);
  await page.screenshot({ path: path.join(shots, 'exercises.png'), fullPage: true });

  // Progress survives a reload.
  await page.reload();
  await page.locator('main').first().waitFor();
  for (const id of ['entropy-huffman-pairs', 'entropy-lucky-run', 'entropy-blocks-within-one-percent', 'entropy-predict-fair-coin']) {
    assert.equal(await stateOf(page, id), 'solved', `${id} after a reload`);
  }
  assert.equal(await exercise(page, 'entropy-huffman-pairs').locator('[data-answer]').inputValue(), '0,645');
  assert.match(await page.locator('[data-exercise-count]').textContent(), /^4 of \d+ solved/);
  // Start over asks once more, then clears the chapter, for good.
  const startOver = page.locator('[data-action="start-over"]');
  await startOver.click();
  assert.equal(await stateOf(page, 'entropy-huffman-pairs'), 'solved', 'one click does not erase');
  await startOver.click();
  assert.equal(await stateOf(page, 'entropy-huffman-pairs'), 'open');
  assert.equal(await exercise(page, 'entropy-huffman-pairs').locator('[data-answer]').inputValue(), '');
  await page.reload();
  await page.locator('main').first().waitFor();
  const states = await page.locator('[data-exercise]').evaluateAll((all) => all.map((element) => element.dataset.state));
  assert.ok(states.every((state) => state === 'open'), `after Start over and a reload: ${states}`);
  await context.close();
});

test('in a sandboxed frame without storage, answers are still checked, with a notice', async () => {
  const html = `<!doctype html><body><iframe sandbox="allow-scripts" src="${site.base}entropy.html" style="width:700px;height:900px"></iframe></body>`;
  const { host, address } = await hostServer(html);
  try {
    const page = watch(await site.browser.newPage({ viewport: { width: 760, height: 960 } }), 'sandboxed');
    await page.goto(address);
    const frame = page.frameLocator('iframe');
    await frame.locator('[data-storage-notice]').waitFor();
    assert.match(await frame.locator('[data-storage-notice]').textContent(), /keeps nothing/);
    const number = frame.locator('[data-exercise="entropy-huffman-pairs"]');
    await number.locator('[data-answer]').fill('0.5');
    await number.locator('[data-action="check"]').click();
    assert.equal(await number.getAttribute('data-state'), 'wrong');
    await number.locator('[data-answer]').fill('0.645');
    await number.locator('[data-action="check"]').click();
    assert.equal(await number.getAttribute('data-state'), 'solved');
    await page.close();
  } finally {
    host.close();
  }
});

test('a receipt loads in the teacher\'s view: verdicts recomputed, runs re-run, an edited one caught, CSV out', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
  const page = await open('entropy.html?backend=cpu&block-codes.k=6', { context });
  await check(page, 'entropy-huffman-pairs', '0.645');
  await trainToDone(page, 'block-codes');
  await page.waitForFunction(() => document.querySelector('[data-exercise="entropy-blocks-within-one-percent"]').dataset.state === 'solved');
  await page.locator('[data-student-name]').fill('Ada');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action="receipt"]').click()]);
  assert.match(download.suggestedFilename(), /^occam-receipt-chapter-1-.*-ada\.json$/);
  const receipt = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  assert.equal(receipt.format, 'occam-receipt');
  assert.equal(receipt.version, 1);
  assert.equal(receipt.name, 'Ada');
  const show = receipt.answers.find((answer) => answer.exercise === 'entropy-blocks-within-one-percent');
  assert.equal(show.answer.kind, 'show');
  assert.equal(show.answer.run.params.k, '6');
  assert.equal(show.answer.run.backend, 'cpu');
  assert.ok(Math.abs(show.answer.run.metrics['huffman-bits-per-flip'] - huffmanBitsPerFlip(0.9, 6)) < 1e-9);
  await page.close();

  // Bob edited a measured number (still meeting the goal); Carol typed a wrong answer into the
  // file. Neither file carries a verdict to trust.
  const files = path.join(shots, 'receipts');
  fs.mkdirSync(files, { recursive: true });
  const write = (name, edit) => {
    const copy = structuredClone(receipt);
    edit(copy);
    const file = path.join(files, `${name}.json`);
    fs.writeFileSync(file, JSON.stringify(copy));
    return file;
  };
  const ada = write('ada', () => {});
  const bob = write('bob', (copy) => {
    copy.name = 'Bob';
    const run = copy.answers.find((answer) => answer.exercise === 'entropy-blocks-within-one-percent').answer.run;
    run.metrics['huffman-bits-per-flip'] *= 1.001;
  });
  const carol = write('carol', (copy) => {
    copy.name = 'Carol';
    copy.answers.find((answer) => answer.exercise === 'entropy-huffman-pairs').answer.typed = '0.9';
  });
  const notReceipt = path.join(files, 'notes.json');
  fs.writeFileSync(notReceipt, '{"hello": 1}');

  const teacher = await open('teacher.html', { context });
  assert.match(await teacher.locator('[data-not-an-exam]').textContent(), /not an exam/);
  await teacher.locator('input[type=file][data-receipts]').setInputFiles([ada, bob, carol, notReceipt]);
  await teacher.locator('[data-student]').nth(2).waitFor();
  assert.deepEqual(await teacher.locator('[data-student]').evaluateAll((rows) => rows.map((row) => row.dataset.student)), ['Ada', 'Bob', 'Carol']);
  assert.match(await teacher.locator('[data-notice]').textContent(), /notes\.json: not an occam receipt/);
  const cell = (student, id) => teacher.locator(`[data-student="${student}"] [data-verdict="${id}"]`);
  assert.equal(await cell('Ada', 'entropy-huffman-pairs').getAttribute('data-state'), 'solved');
  assert.equal(await cell('Carol', 'entropy-huffman-pairs').getAttribute('data-state'), 'wrong');
  assert.equal(await cell('Bob', 'entropy-blocks-within-one-percent').getAttribute('data-state'), 'solved');
  assert.equal(await cell('Ada', 'entropy-lucky-run').getAttribute('data-state'), 'open');

  await teacher.locator('[data-action="verify"]').click();
  await teacher.waitForFunction(() => document.querySelectorAll('[data-verdict][data-verified]').length === 3, null, { timeout: 120_000 });
  assert.equal(await cell('Ada', 'entropy-blocks-within-one-percent').getAttribute('data-verified'), 'true');
  assert.equal(await cell('Carol', 'entropy-blocks-within-one-percent').getAttribute('data-verified'), 'true');
  assert.equal(await cell('Bob', 'entropy-blocks-within-one-percent').getAttribute('data-verified'), 'false');
  assert.equal(await cell('Ada', 'entropy-huffman-pairs').getAttribute('data-verified'), null, 'a number has no run to verify');
  await teacher.screenshot({ path: path.join(shots, 'teacher.png'), fullPage: true });

  const [csvDownload] = await Promise.all([teacher.waitForEvent('download'), teacher.locator('[data-action="csv"]').click()]);
  const csv = fs.readFileSync(await csvDownload.path(), 'utf8').trim().split('\n');
  assert.equal(csv.length, 1 + 3, 'a header and a row per student');
  assert.match(csv[0], /^student,file,created,solved,/);
  assert.match(csv[2], /^Bob,bob\.json,.*solved not verified/);
  await context.close();
});

test('an assignment made on the teacher\'s page opens its exercises, in order, with the fixed values', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1100, height: 900 } });
  const assign = await open('assign.html', { context });
  await assign.locator('[data-assignment-title]').fill('Week 1: codes');
  await assign.locator('[data-pick="entropy-blocks-within-one-percent"]').check();
  await assign.locator('[data-pick="entropy-huffman-pairs"]').check();
  // A value the demo would not take is said so, and left out of the link.
  await assign.locator('[data-fix="block-codes.k"]').fill('abc');
  assert.match(await assign.locator('.fixes').textContent(), /not a whole number/);
  assert.doesNotMatch(await assign.locator('[data-assignment-link]').inputValue(), /fix\./);
  await assign.locator('[data-fix="block-codes.k"]').fill('6');
  const link = await assign.locator('[data-assignment-link]').inputValue();
  assert.ok(link.startsWith(site.base + 'assignment.html?'), link);
  const query = new URL(link).searchParams;
  assert.equal(query.get('title'), 'Week 1: codes');
  // In the notebook's order, whatever the order they were picked in.
  assert.equal(query.get('ex'), 'entropy-huffman-pairs,entropy-blocks-within-one-percent');
  assert.equal(query.get('fix.block-codes.k'), '6');
  assert.ok(await assign.locator('[data-qr] svg').count() === 1, 'a QR code');
  await assign.screenshot({ path: path.join(shots, 'assign.png'), fullPage: true });

  const page = await open(link.slice(site.base.length), { context, width: 390, height: 844 });
  assert.equal(await page.locator('h1').textContent(), 'Week 1: codes');
  assert.deepEqual(await page.locator('[data-exercise]').evaluateAll((all) => all.map((element) => element.dataset.exercise)),
    ['entropy-huffman-pairs', 'entropy-blocks-within-one-percent']);
  assert.deepEqual(await page.locator('[data-demo]').evaluateAll((all) => all.map((element) => element.dataset.demo)), ['block-codes']);
  const k = page.locator('[data-demo="block-codes"] [data-param="k"]');
  assert.equal(await k.inputValue(), '6');
  assert.ok(await k.isDisabled(), 'a fixed value cannot be changed');
  await trainToDone(page, 'block-codes');
  await page.waitForFunction(() => document.querySelector('[data-exercise="entropy-blocks-within-one-percent"]').dataset.state === 'solved');
  assert.match(await page.locator('[data-exercise-count]').textContent(), /^1 of 2 solved/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page scrolls sideways at 390 px (${width})`);
  await page.screenshot({ path: path.join(shots, 'assignment-390.png'), fullPage: true });
  // An old or mistyped id is named, and the rest still work.
  const stale = await open('assignment.html?title=Old&ex=entropy-no-such,entropy-huffman-pairs', { context });
  assert.match(await stale.locator('[data-notice]').textContent(), /entropy-no-such/);
  assert.equal(await stale.locator('[data-exercise]').count(), 1);
  await context.close();
});
