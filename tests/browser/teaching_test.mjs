// Browser tests of the teaching aids: "Copy working" clicked with the real mouse and read back
// from the clipboard, the screen-reader mirror holding each row's working, and the glossary opened
// from a total's label. Expected values: seed 000's worked example, derived in the comments.
//   node --test tests/browser/teaching_test.mjs        (SITE=build/wasm/site by default)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { browserSuite, click, openApp, settled, until } from './harness.mjs';

const SEED_000 = 'ns1;1x28x28/conv2d(32,5)+relu/maxpool2d(2)/conv2d(32,3)+relu/maxpool2d(2)/flatten/' +
  'linear(256)+relu/linear(10)+softmax';
// conv2d_2 is conv2d(32, 3) on the pooled [32, 12, 12] (28 − 5 + 1 = 24, halved): 12 − 3 + 1 = 10,
// so [32, 10, 10], and (3·3·32 + 1)·32 = 9,248 parameters (weight [32, 32, 3, 3], bias [32]).
const CONV2D_2 = 'Layer: conv2d_2\nType: Conv2d + relu\nOutput shape: [32, 10, 10]\n' +
  'Params: 9,248 (trainable 9,248, non-trainable 0)\nWorking:\n  [32, 12, 12] -> [32, 10, 10]\n' +
  '  weights: weight [32, 32, 3, 3] + bias [32]\n';

const suite = browserSuite();

test('Copy working, clicked, puts the selected layer\'s working on the clipboard as text', async () => {
  const { page, problems } = await openApp(suite.browser, suite.site.url + '#' + SEED_000);
  await page.evaluate(() => navigator.clipboard.writeText('')); // nothing left from another test
  await click(page, 'conv2d_2');
  await until(page, () => window.netshape.status().selected === 2);
  await settled(page);
  await click(page, 'Copy working');
  await until(page, async () => (await navigator.clipboard.readText()).startsWith('Layer: '));
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.ok(copied.startsWith(CONV2D_2), copied);
  assert.ok(copied.includes('\n  params = (k_h·k_w·C_in + 1 bias)·C_out\n         = (3·3·32 + 1)·32\n         = 9,248\n'), copied);
  await settled(page);
  await page.screenshot({ path: join(suite.artifacts, 'copy-working.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the screen-reader mirror holds each row\'s working in a details element', async () => {
  const { page, problems } = await openApp(suite.browser, suite.site.url + '#' + SEED_000);
  await until(page, () => document.querySelectorAll('#summary-mirror details').length === 7);
  const conv = await page.evaluate(() => {
    const details = [...document.querySelectorAll('#summary-mirror details')][2];
    return { summary: details.querySelector('summary').textContent, working: details.querySelector('pre').textContent };
  });
  assert.equal(conv.summary, 'Working of conv2d_2');
  assert.ok(conv.working.startsWith('[32, 12, 12] -> [32, 10, 10]\nweights: weight [32, 32, 3, 3] + bias [32]\n'),
    conv.working);
  assert.ok(conv.working.includes('= (3·3·32 + 1)·32') && conv.working.includes('= 9,248'), conv.working);
  // It is in the row of its layer, after the counts.
  const row = await page.evaluate(() => [...document.querySelectorAll('#summary-mirror tr')][3].textContent);
  assert.ok(row.startsWith('conv2d_2Conv2d + relu[32, 10, 10]9,248'), row);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a total\'s label opens the glossary at its entry; Help > Glossary opens it too', async () => {
  const { page, problems } = await openApp(suite.browser, suite.site.url + '#' + SEED_000);
  const labels = () => page.evaluate(() => window.netshape.widgets().map((w) => w.label));
  assert.ok(!(await labels()).includes('MACs and FLOPs'));
  await click(page, '##glossary Total MACs');
  await until(page, () => window.netshape.widgets().some((w) => w.label === 'MACs and FLOPs'));
  await settled(page);
  const texts = await page.evaluate(() => window.netshape.texts().map((t) => t.text));
  assert.ok(texts.some((t) => t.startsWith('A MAC (multiply-accumulate) is one product added to a sum')), texts.join('\n'));
  await page.screenshot({ path: join(suite.artifacts, 'glossary-macs.png') });
  await page.keyboard.press('Escape');
  await until(page, () => !window.netshape.widgets().some((w) => w.label === 'MACs and FLOPs'));

  await click(page, 'Help');
  await until(page, () => window.netshape.status().popups_open === 1);
  await settled(page); // a menu is laid out in its second frame: its items' places are known then
  await click(page, 'Glossary');
  await until(page, () => window.netshape.widgets().some((w) => w.label === 'Parameters'));
  await settled(page);
  await page.screenshot({ path: join(suite.artifacts, 'glossary-help.png') });
  assert.deepEqual(problems, []);
  await page.close();
});
