// Browser tests of the diagram: the seed network, ResNet-50 and the U-Net drawn in both themes
// (screenshots in ARTIFACTS, to look at), a click on a box selecting the same layer the table then
// shows selected, Ctrl+wheel zooming the diagram rather than the page, Share's PNG (decoded, its
// size and theme checked, kept as an artifact), and the blocks style (?diagram=blocks) of LeNet-5
// and AlexNet, and what it says of a design of vectors.
//   node --test tests/browser/diagram_test.mjs        (SITE=build/wasm/site by default)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { browserSuite, canvasColours, click, openApp, pictureColours, settled, until } from './harness.mjs';

// Seed 000 (assets/presets/lasagne_mnist.ns) as link text.
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

// What a download offered: its file name and bytes (kept in ARTIFACTS as `keep`, when given).
async function downloaded(page, menuItem, keep) {
  const offered = page.waitForEvent('download');
  await click(page, 'Share');
  await settled(page); // the menu open, its items where they stay
  await click(page, menuItem);
  const download = await offered;
  const path = keep ? join(suite.artifacts, keep) : await download.path();
  if (keep) await download.saveAs(path);
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

for (const theme of ['light', 'dark']) {
  test(`Share > Download diagram (.png): the SVG's picture at twice its size, ${theme}`, async () => {
    const { page, problems } = await openApp(suite.browser, `${suite.site.url}?view=diagram&theme=${theme}#${SEED_000}`);
    await until(page, () => window.netshape.texts().some((t) => t.text === 'Conv2d conv2d_1'));
    await settled(page);
    // The SVG, which follows its reader's setting: its light background first, the dark one in
    // its prefers-color-scheme rule.
    const svg = (await downloaded(page, 'Download diagram (.svg)')).bytes.toString('utf8');
    const backgrounds = [...svg.matchAll(/\.bg\{fill:(#[0-9a-f]{6})\}/g)].map((m) => m[1]);
    assert.equal(backgrounds.length, 2);
    const png = await downloaded(page, 'Download diagram (.png)', `diagram-download-seed-${theme}.png`);
    assert.equal(png.name, 'network.png');
    // A PNG file: its signature, then the IHDR chunk's width and height (the PNG specification, 5.2, 11.2.2).
    assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const decoded = await pictureColours(page, png.bytes);
    assert.equal(decoded.width, png.bytes.readUInt32BE(16));
    assert.equal(decoded.height, png.bytes.readUInt32BE(20));
    // Twice the SVG's size (its width and height are written with one decimal: 1 px either way).
    const attribute = (name) => Number(svg.match(new RegExp(` ${name}="([0-9.]+)"`))[1]);
    assert.ok(Math.abs(decoded.width - 2 * attribute('width')) <= 1, `width ${decoded.width} for an SVG ${attribute('width')} wide`);
    assert.ok(Math.abs(decoded.height - 2 * attribute('height')) <= 1, `height ${decoded.height} for an SVG ${attribute('height')} high`);
    // Not blank, and in the theme on screen: the SVG's background of that theme.
    assert.ok(decoded.colours > 8, `only ${decoded.colours} colours`);
    assert.equal(decoded.corner, backgrounds[theme === 'light' ? 0 : 1]);
    assert.deepEqual(problems, []);
    await page.close();
  });
}

for (const [name, text, theme] of [['lenet5', preset('lenet5.ns'), 'light'], ['lenet5', preset('lenet5.ns'), 'dark'],
  ['alexnet', preset('alexnet.ns'), 'light']]) {
  test(`the blocks style of ${name}, ${theme}`, async () => {
    const { page, problems } = await openApp(suite.browser, `${suite.site.url}?view=diagram&diagram=blocks&theme=${theme}#${SEED_000}`);
    assert.deepEqual(await page.evaluate((design) => window.netshape.setText(design), text), { ok: true });
    await until(page, () => window.netshape.status().layers !== 7); // the seed's seven are gone
    await settled(page);
    await click(page, 'Fit to view');
    await page.mouse.move(1, 790); // no tooltip over the picture
    await settled(page);
    assert.ok((await canvasColours(page)) > 8, 'the canvas shows a picture');
    await page.screenshot({ path: join(suite.artifacts, `diagram-blocks-${name}-${theme}.png`) });
    // A block for each layer that changes the shape (these networks are chains: every layer is on
    // the main path), none for one that keeps it (a dropout); titled as the graph's boxes are.
    const summary = await page.evaluate(() => window.netshape.summary());
    const titles = (await page.evaluate(() => window.netshape.texts())).map((t) => t.text);
    let blocks = 0;
    for (const layer of summary.layers) {
      const drawn = titles.includes(`${layer.class_name} ${layer.name}`);
      const changes = JSON.stringify(layer.input_shape) !== JSON.stringify(layer.output_shape);
      assert.equal(drawn, changes, `${layer.name}: ${changes ? 'no block' : 'a block'}`);
      blocks += drawn;
    }
    assert.ok(blocks >= 5);
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test('the blocks style says why a design of vectors stays a graph; the switch above the picture changes the style', async () => {
  const { page, problems } = await openApp(suite.browser, `${suite.site.url}?view=diagram&diagram=blocks#ns1;784/linear(256)+relu/linear(10)`);
  await until(page, () => window.netshape.texts().some((t) => t.text.startsWith('Not as blocks: every tensor on the main path is a vector')));
  assert.ok(await box(page, 'Linear linear_1'), 'the graph is drawn');
  await settled(page);
  await page.screenshot({ path: join(suite.artifacts, 'diagram-blocks-unsuited.png') });
  // The seed network: Graph, then Blocks.
  await page.evaluate((text) => window.netshape.setText(text), SEED_000);
  await until(page, () => !window.netshape.texts().some((t) => t.text.startsWith('Not as blocks')));
  await click(page, 'Graph');
  await settled(page);
  const graphBox = await box(page, 'Conv2d conv2d_1');
  await click(page, 'Blocks');
  await settled(page);
  const block = await box(page, 'Conv2d conv2d_1');
  // A graph's box is wider than tall; conv2d_1's block ([32, 24, 24]) is taller than wide.
  assert.ok(graphBox.w > graphBox.h && block.h > block.w, `box ${graphBox.w}×${graphBox.h}, block ${block.w}×${block.h}`);
  await page.screenshot({ path: join(suite.artifacts, 'diagram-blocks-seed.png') });
  assert.deepEqual(problems, []);
  await page.close();
});
