// Browser tests of the diagram: the seed network, ResNet-50 and the U-Net drawn in both themes
// (screenshots in ARTIFACTS, to look at), a click on a box selecting the same layer the table then
// shows selected, and Ctrl+wheel zooming the diagram rather than the page.
//   node --test tests/browser/diagram_test.mjs        (SITE=build/wasm/site by default)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { browserSuite, canvasColours, click, openApp, settled, until } from './harness.mjs';

// Seed 000 (assets/presets/lasagne_mnist.json) as link text.
const SEED_000 = 'ns1;1x28x28/conv2d(32,5)+relu/maxpool2d(2)/conv2d(32,3)+relu/maxpool2d(2)/flatten/' +
  'linear(256)+relu/linear(10)+softmax';
const preset = (name) => readFileSync(join('assets/presets', name), 'utf8').trim();

const suite = browserSuite();

// The box whose title (class and name) is `title`, as the page's texts() reports it, or undefined.
const box = (page, title) => page.evaluate((wanted) => window.netshape.texts().find((t) => t.text === wanted), title);

for (const [name, text, first, last] of [
  ['seed', SEED_000, 'Conv2d conv2d_1', 'Linear linear_2'],
  ['resnet50', preset('resnet50.ns'), 'Conv2d conv2d_1', null],
  ['unet', preset('unet.ns'), 'Conv2d conv2d_1', null],
]) {
  for (const theme of ['light', 'dark']) {
    test(`the diagram of ${name}, ${theme}`, async () => {
      const { page, problems } = await openApp(suite.browser, `${suite.site.url}?view=diagram&theme=${theme}#${text}`);
      await until(page, (wanted) => window.netshape.texts().some((t) => t.text === wanted), first);
      await settled(page);
      assert.equal(await page.evaluate(() => window.netshape.status().dark), theme === 'dark');
      assert.ok((await canvasColours(page)) > 8, 'the canvas shows a picture');
      await page.screenshot({ path: join(suite.artifacts, `diagram-${name}-${theme}.png`) });
      await click(page, 'Fit to view');
      await settled(page);
      await page.screenshot({ path: join(suite.artifacts, `diagram-${name}-${theme}-fit.png`) });
      // Fitted, the whole diagram shows: the seed's last box too, with the first.
      assert.ok(await box(page, first), `${first} on screen`);
      if (last) assert.ok(await box(page, last), `${last} on screen`);
      assert.deepEqual(problems, []);
      await page.close();
    });
  }
}

test('a click on a box selects that layer; the table shows the same layer selected', async () => {
  const { page, problems } = await openApp(suite.browser, `${suite.site.url}?view=diagram#${SEED_000}`);
  await until(page, () => window.netshape.texts().some((t) => t.text === 'Conv2d conv2d_2'));
  await settled(page);
  const conv = await box(page, 'Conv2d conv2d_2');
  await page.mouse.click(conv.x + conv.w / 2, conv.y + conv.h / 2);
  await until(page, () => window.netshape.status().selected === 2);
  // Its working beside the diagram: seed 000's (3·3·32 + 1)·32 = 9,248.
  await until(page, () => window.netshape.texts().some((t) => t.text.includes('= 9,248')));
  await settled(page);
  await page.screenshot({ path: join(suite.artifacts, 'diagram-selected.png') });
  await click(page, 'Table');
  await settled(page);
  assert.equal(await page.evaluate(() => window.netshape.status().selected), 2);
  // The working under the table is still conv2d_2's: one selection for the table, diagram and working.
  assert.ok(await page.evaluate(() => window.netshape.texts().some((t) => t.text.includes('= 9,248'))));
  await page.screenshot({ path: join(suite.artifacts, 'diagram-selected-table.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('Ctrl+wheel over the diagram zooms it, not the page', async () => {
  const { page, problems } = await openApp(suite.browser, `${suite.site.url}?view=diagram#${SEED_000}`);
  await until(page, () => window.netshape.texts().some((t) => t.text === 'Conv2d conv2d_1'));
  await settled(page);
  const before = await box(page, 'Conv2d conv2d_1');
  await page.mouse.move(before.x + before.w / 2, before.y + before.h / 2);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -100); // one notch up: zoom in
  await page.keyboard.up('Control');
  await until(page, (width) => {
    const t = window.netshape.texts().find((x) => x.text === 'Conv2d conv2d_1');
    return t && t.w > width * 1.05;
  }, before.w);
  assert.equal(await page.evaluate(() => window.visualViewport.scale), 1);
  assert.deepEqual(problems, []);
  await page.close();
});
