// Chapter 6 (`claims`): its demos in the embed view (as a blog would show them), on the CPU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open, trainToDone, metric } from './support.mjs';

setup();

/** A list metric's numbers (`data-value`, comma-separated). */
const list = async (demo, name) => (await demo.locator(`[data-metric="${name}"]`).getAttribute('data-value')).split(',').map(Number);

test('information-plane: with tanh the last layer compresses on the binned plane, with relu no layer does', async () => {
  const page = await open('embed.html?demo=information-plane&backend=cpu', { width: 700 });
  const demo = await trainToDone(page, 'information-plane');
  // Natively, seeds 1 to 4: the third layer's binned I(X;T) ends 1.44 ± 0.34 bits below its
  // peak with tanh, in every seed by over half a bit, and every layer within 0.04 bits of its
  // peak with relu.
  const tanh = await list(demo, 'binned-input-fall');
  assert.equal(tanh.length, 3, 'one number per hidden layer of 32-16-8');
  assert.ok(tanh[2] >= 1.0, `tanh: ${tanh}`);
  assert.ok(await metric(demo, 'layers-compressed') >= 1);
  assert.equal(await metric(demo, 'runs-finished'), 4);
  assert.equal((await list(demo, 'compressed-runs'))[2], 4);
  assert.ok((await list(demo, 'binned-input-fall-spread'))[2] > 0);
  assert.ok(await metric(demo, 'test-accuracy') > 0.9);
  // No estimate of I(X;T) passes log₂ 600, X being uniform over 600 digits.
  for (const bits of [...await list(demo, 'binned-input'), ...await list(demo, 'noisy-input')]) assert.ok(bits >= 0 && bits <= Math.log2(600) + 1e-6, bits);
  // Each plane: one trail per layer, one dot per estimate (40, and one before training).
  const trails = demo.locator('figure.plot').first().locator('[data-trail]');
  assert.deepEqual(await trails.evaluateAll((groups) => groups.map((group) => group.dataset.trail)), ['layer 1', 'layer 2', 'layer 3']);
  assert.equal(await trails.nth(2).locator('circle').count(), 41);
  assert.match(await demo.locator('[data-caption="information-plane"]').textContent(), /over 4 seeds: .*layer 3 \d\.\d\d ± \d\.\d\d bits, half a bit or more in 4 of 4\b.*In the run drawn \(seed 4\), layer 3 peaked at step \d+ and then fell \d\.\d\d bits/);
  // The credit under the demo links to the demo on its chapter's page.
  const credit = new URL(await page.locator('.embed-credit a').getAttribute('href'), page.url()).href;
  assert.match(credit, /\/claims\.html\b/);
  assert.ok((await page.request.get(credit)).ok(), credit);

  await demo.locator('select[data-param="activation"]').selectOption('relu');
  assert.match(page.url(), /[?&]activation=relu\b/);
  await trainToDone(page, 'information-plane');
  const relu = await list(demo, 'binned-input-fall');
  assert.ok(relu.every((fall) => fall < 0.5), `relu: ${relu}`);
  assert.equal(await metric(demo, 'layers-compressed'), 0);
  assert.ok(await metric(demo, 'test-accuracy') > 0.9);
  assert.doesNotMatch(await demo.locator('[data-caption="information-plane"]').textContent(), /fell/);
  await page.close();
});

test('layer-rates: with cross-entropy the class rate falls layer after layer; MCR² raises the last layer\'s ΔR and keeps its classes spread', async () => {
  const page = await open('embed.html?demo=layer-rates&backend=cpu', { width: 700 });
  const demo = await trainToDone(page, 'layer-rates');
  // Natively, seeds 1 to 4: R_c fell from layer to layer in all four cross-entropy runs; the
  // last layer's ΔR was 4.65 nats with MCR² and 2.20 with cross-entropy; its within- over
  // between-class scatter 0.87 and 0.24.
  assert.equal(await metric(demo, 'deeper-lower-cross-entropy'), 4);
  const [ce, mcr2] = [await list(demo, 'delta-rate-cross-entropy'), await list(demo, 'delta-rate-mcr2')];
  assert.equal(ce.length, 3);
  assert.ok(mcr2[2] > ce[2] + 1, `ΔR: ${mcr2} against ${ce}`);
  assert.ok(await metric(demo, 'collapse-cross-entropy') < 0.5 * await metric(demo, 'collapse-mcr2'));
  // R − R_c = ΔR in every layer, as the rates are defined, to the digits shown.
  const [rate, classRate] = [await list(demo, 'rate-mcr2'), await list(demo, 'class-rate-mcr2')];
  rate.forEach((r, layer) => assert.ok(Math.abs(r - classRate[layer] - mcr2[layer]) < 0.02, `layer ${layer + 1}`));
  assert.match(await demo.locator('[data-caption="layer-rates"]').textContent(), /^Over 4 seeds, the last layer's Rc ended at \d+\.\d\d ± \d+\.\d\d nats/);
  await page.close();
});

test('mdl-selection: the prequential code is far shorter than the two-part code, which picks the smallest network, and Occam\'s bound says nothing', async () => {
  const page = await open('embed.html?demo=mdl-selection&backend=cpu', { width: 700 });
  const demo = await trainToDone(page, 'mdl-selection');
  const [twoPart, prequential, model, bits] = [await list(demo, 'two-part-bits'), await list(demo, 'prequential-bits'), await list(demo, 'model-bits'), await list(demo, 'bits-per-number')];
  assert.equal(twoPart.length, 6);
  // The first part by hand: (64 + 1)·w + (w + 1)·10 numbers at b bits, four 32-bit scales, 4 bits
  // for b (both means over the seeds, and the first part linear in b).
  [2, 4, 8, 16, 32, 64].forEach((width, index) => assert.ok(Math.abs(model[index] - ((65 * width + (width + 1) * 10) * bits[index] + 4 * 32 + 4)) < 1e-6, `width ${width}`));
  // 300 labels with no model: 300 log₂ 10 bits (shown to whole bits).
  assert.ok(Math.abs(await metric(demo, 'uniform-bits') - 300 * Math.log2(10)) < 0.5);
  // Natively, seeds 1 to 4: prequential 283 bits against two-part 5,267 at width 32 on average;
  // every two-part code above the uniform code's 997 bits, so the two-part code picks width 2.
  prequential.forEach((bits, index) => assert.ok(bits < twoPart[index], `width ${index}: ${bits} against ${twoPart[index]}`));
  assert.equal(await metric(demo, 'two-part-pick'), 2);
  assert.ok((await list(demo, 'occam-bound')).every((bound) => bound > 1));
  // Spreads over the four seeds, one per width (measured: test accuracy 0.007 to 0.052).
  const spreads = await list(demo, 'test-accuracy-spread');
  assert.equal(spreads.length, 6);
  assert.ok(spreads.every((spread) => spread > 0 && spread < 0.1), `${spreads}`);
  assert.equal(await metric(demo, 'runs-finished'), 4);
  assert.match(await demo.locator('[data-caption="mdl-selection"]').textContent(), /^Averaged over 4 seeds, the two-part code is shortest at width 2, the prequential code at width \d+; the best test accuracy is at width \d+\.$/);
  await page.close();
});

test('compression-regularizer: a class-rate term lowers R_c and R together, and cross-entropy alone stays best', async () => {
  const page = await open('embed.html?demo=compression-regularizer&backend=cpu', { width: 700 });
  const demo = await trainToDone(page, 'compression-regularizer');
  const [accuracy, classRate, rate] = [await list(demo, 'test-accuracy'), await list(demo, 'class-rate'), await list(demo, 'rate')];
  assert.equal(accuracy.length, 5, 'one number per λ: 0, 0.03, 0.1, 0.3, 1');
  // Natively, seeds 1 to 3: accuracy 0.915 at λ = 0 down to 0.37 at λ = 1; R_c 4.8 → 2.2 and
  // R 8.0 → 2.5 nats.
  assert.equal(await metric(demo, 'best-weight'), 0);
  assert.ok(accuracy[4] < accuracy[0] - 0.3, `${accuracy}`);
  assert.ok(classRate.every((value, index) => index === 0 || value < classRate[index - 1]), `${classRate}`);
  assert.ok(rate[4] < 0.5 * rate[0], `${rate}`);
  assert.equal(await demo.locator('[data-caption="compression-regularizer"]').textContent(), 'Test accuracy: no weight of the compression term beat cross-entropy alone.');
  await page.close();
});

test('scaling: bigger keeps paying on held-out text while the two-part total picks a middle width', async () => {
  const page = await open('embed.html?demo=scaling&backend=cpu', { width: 700 });
  const demo = await trainToDone(page, 'scaling');
  const [heldOut, spread, parameters, twoPart] = [
    await list(demo, 'held-out-bits-per-char'),
    await list(demo, 'held-out-spread'),
    await list(demo, 'parameters'),
    await list(demo, 'two-part-bits'),
  ];
  // Chapter 1's network on 74 characters: 75 embeddings of 16, (8·16 + 1)·h into the hidden
  // layer, (h + 1)·74 out.
  assert.deepEqual(parameters, [2, 4, 8, 16, 32, 64, 128].map((h) => 75 * 16 + 129 * h + (h + 1) * 74));
  // Natively, seeds 1 and 2: 3.89 bits per character at width 2 down to 2.78 at 128, every
  // doubling by more than the two widths' spreads; the two-part total is shortest at 16.
  for (let index = 1; index < heldOut.length; index += 1) {
    assert.ok(heldOut[index - 1] - heldOut[index] > spread[index - 1] + spread[index], `${heldOut} ± ${spread}`);
  }
  assert.ok(heldOut.every((bits) => bits < Math.log2(74)), `${heldOut}`);
  assert.equal(await metric(demo, 'held-out-pick'), 128);
  const pick = await metric(demo, 'two-part-pick');
  assert.ok(pick >= 8 && pick <= 32, `${pick}: ${twoPart}`);
  assert.equal(twoPart.indexOf(Math.min(...twoPart)), Math.log2(pick) - 1);
  assert.match(await demo.locator('[data-caption="scaling"]').textContent(), /the last doubling of the width still saved 0\.\d{3} bits per character .*Pride and Prejudice/);
  // Both plots have logarithmic axes: powers of ten and their multiples label them.
  assert.equal(await demo.locator('figure.plot').count(), 2);
  assert.match(await demo.locator('figure.plot').first().textContent(), /10⁴/);
  await page.close();
});
