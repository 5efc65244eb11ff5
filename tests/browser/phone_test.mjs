// The app on a phone (390×844, 3 device pixels per CSS pixel, touch), driven with the DevTools
// protocol's touch input as a phone's screen sends it: two fingers on the diagram zoom it about
// their midpoint and pan it while the page keeps its scale, two fingers elsewhere are the page's own
// pinch zoom; and a model imported from PyTorch's print(model) typed into Edit > Import a model…,
// its total shown, then copied and downloaded as PyTorch code, with the importers and exporters
// fetched only then (and an import offline saying why it cannot). Screenshots go to ARTIFACTS.
//   node --test tests/browser/phone_test.mjs        (SITE=build/wasm/site by default)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { launchDevice, openApp, PHONE, settled, siteSuite, until, widget } from './harness.mjs';

const UNET = readFileSync(resolve('assets/presets/unet.ns'), 'utf8').trim();
const SEED_000 = 'ns1;1x28x28/conv2d(32,5)+relu/maxpool2d(2)/conv2d(32,3)+relu/maxpool2d(2)/flatten/' +
  'linear(256)+relu/linear(10)+softmax';

const suite = siteSuite();

const shot = (page, name) => page.screenshot({ path: join(suite.artifacts, `phone-${name}.png`), scale: 'css' });

const textBox = (page, wanted) => page.evaluate((title) => window.netshape.texts().find((t) => t.text === title), wanted);
const centre = (box) => ({ x: box.x + box.w / 2, y: box.y + box.h / 2 });

// Fingers through the DevTools protocol: a tap, and two fingers moved together from `from` to
// `to` (pairs of points) in `steps`; the browser sends a touchstart per finger that lands.
async function fingers(page) {
  const cdp = await page.context().newCDPSession(page);
  const send = (type, touchPoints) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints });
  const between = (a, b, t) => ({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t });
  return {
    // Down and up 60 ms apart by the events' own times, as a phone stamps a quick tap (as
    // device_test.mjs's taps: a busy machine may deliver the lift late, which read untimed is a
    // long press).
    async tap(at) {
      const base = Date.now() / 1000;
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at], timestamp: base });
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [], timestamp: base + 0.06 });
      await settled(page);
    },
    async two(from, to, steps = 12) {
      await send('touchStart', [{ ...from[0], id: 0 }]);
      await send('touchStart', [{ ...from[0], id: 0 }, { ...from[1], id: 1 }]);
      for (let i = 1; i <= steps; i++) {
        await send('touchMove', [{ ...between(from[0], to[0], i / steps), id: 0 }, { ...between(from[1], to[1], i / steps), id: 1 }]);
        await new Promise((r) => setTimeout(r, 16));
      }
      await send('touchEnd', []);
      await settled(page);
    },
  };
}

test('phone: two fingers on the diagram zoom it about their midpoint and pan it; elsewhere they zoom the page', async () => {
  const context = await launchDevice(PHONE);
  try {
    const { page, problems } = await openApp(context, `${suite.site.url}?view=diagram#${UNET}`);
    await until(page, () => window.netshape.texts().some((t) => t.text === 'Conv2d conv2d_1'));
    await settled(page);
    assert.equal(await page.evaluate(() => window.netshape.status().narrow), true);
    const touch = await fingers(page);
    const before = await textBox(page, 'Conv2d conv2d_1');
    const c = centre(before);
    await shot(page, 'diagram-before-pinch');

    // Fingers 30 px either side of the box's centre spread to 60 px: the picture doubles about
    // their midpoint, so the box is twice as wide and its centre stays between the fingers.
    await touch.two([{ x: c.x - 30, y: c.y }, { x: c.x + 30, y: c.y }], [{ x: c.x - 60, y: c.y }, { x: c.x + 60, y: c.y }]);
    const zoomed = await textBox(page, 'Conv2d conv2d_1');
    assert.ok(zoomed, 'the box left the screen');
    assert.ok(Math.abs(zoomed.w / before.w - 2) < 0.1, `the box went from ${before.w} to ${zoomed.w} px wide`);
    assert.ok(Math.abs(centre(zoomed).x - c.x) < 4 && Math.abs(centre(zoomed).y - c.y) < 4,
      `the box's centre moved from (${c.x}, ${c.y}) to (${centre(zoomed).x}, ${centre(zoomed).y})`);
    assert.equal(await page.evaluate(() => window.visualViewport.scale), 1, 'the page zoomed too');
    await shot(page, 'diagram-pinched');

    // Both fingers 120 px up, as far apart as before, over a box further down (conv2d_1 would
    // leave the screen): the picture goes up with them, no zoom. Its bottom edge is compared: its
    // top may be cut by the pane's, and texts() gives what shows.
    const lower = await textBox(page, 'Conv2d conv2d_2');
    assert.ok(lower, 'conv2d_2 is not on the screen');
    const l = centre(lower);
    await touch.two([{ x: l.x - 60, y: l.y + 60 }, { x: l.x + 60, y: l.y + 60 }], [{ x: l.x - 60, y: l.y - 60 }, { x: l.x + 60, y: l.y - 60 }]);
    const panned = await textBox(page, 'Conv2d conv2d_2');
    assert.ok(panned, 'conv2d_2 left the screen');
    assert.ok(Math.abs(panned.w - lower.w) < 1, 'a two-finger drag zoomed');
    const bottom = (box) => box.y + box.h;
    assert.ok(Math.abs(bottom(panned) - (bottom(lower) - 120)) < 4, `a 120 px drag moved the box ${bottom(lower) - bottom(panned)} px`);
    assert.equal(await page.evaluate(() => window.visualViewport.scale), 1, 'the page zoomed');
    await shot(page, 'diagram-panned');

    // On the tab bar, above the diagram, the same spread is the page's pinch zoom.
    const tabs = await widget(page, 'Summary');
    await touch.two([{ x: 150, y: tabs.y }, { x: 240, y: tabs.y }], [{ x: 90, y: tabs.y }, { x: 300, y: tabs.y }]);
    await until(page, () => window.visualViewport.scale > 1.2);
    await shot(page, 'page-pinched');
    assert.deepEqual(problems, []);
  } finally {
    await context.closeBrowser();
  }
});

// LeNet-5 as Dive into Deep Learning builds it (§7.6), with ReLU, as PyTorch 1.13 prints it.
// On 1×28×28: conv 5×5 padded by 2 keeps 28 → [6, 28, 28]; pooled 14; conv 5×5 → 14 − 5 + 1 = 10,
// [16, 10, 10]; pooled 5; 16·5·5 = 400 values. Parameters: (5·5·1 + 1)·6 = 156,
// (5·5·6 + 1)·16 = 2,416, (400 + 1)·120 = 48,120, (120 + 1)·84 = 10,164, (84 + 1)·10 = 850:
// 61,706 in all.
const LENET_PRINT = `Sequential(
  (0): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))
  (1): ReLU()
  (2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
  (3): Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))
  (4): ReLU()
  (5): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
  (6): Flatten(start_dim=1, end_dim=-1)
  (7): Linear(in_features=400, out_features=120, bias=True)
  (8): ReLU()
  (9): Linear(in_features=120, out_features=84, bias=True)
  (10): ReLU()
  (11): Linear(in_features=84, out_features=10, bias=True)
)`;

// Taps `at` until `done(arg)` holds in the page, as harness.mjs's clickBox clicks (a page drawing
// a 3× screen in software on a busy machine now and then misses one).
async function tapUntil(page, touch, at, done, arg) {
  for (let attempt = 0; attempt < 5; attempt++) {
    await touch.tap(at);
    try {
      await until(page, done, arg, 5000);
      return;
    } catch { /* once more */ }
  }
  throw new Error(`a tap at (${at.x}, ${at.y}) did not do it: ${done.toString()}`);
}

const hasWidget = (label) => window.netshape.widgets().some((w) => w.label === label);

// Taps the menu `menu`, then its item `item`.
async function menuItem(page, touch, menu, item) {
  await tapUntil(page, touch, await widget(page, menu), hasWidget, item);
  await touch.tap(await widget(page, item));
}

test('phone: a print(model) pasted into Edit > Import a model… becomes the design, with its total; Share gives its PyTorch code', async () => {
  const context = await launchDevice(PHONE);
  try {
    // The importers and exporters are a second module, fetched when a person first wants them.
    const fetched = [];
    context.on('request', (request) => fetched.push(new URL(request.url()).pathname.split('/').pop()));
    const { page, problems } = await openApp(context, `${suite.site.url}#${SEED_000}`);
    await settled(page);
    // index.wasm once: the page's preload of it is the response the glue compiles, not a second download.
    assert.equal(fetched.filter((name) => name === 'index.wasm').length, 1, fetched.join(', '));
    assert.deepEqual(fetched.filter((name) => name.startsWith('tools.')), [], 'a first visit fetches no tools');
    const touch = await fingers(page);
    await menuItem(page, touch, 'Edit', 'Import a model...');
    // The repr, as a phone keyboard's paste arrives: text input events, line breaks and all.
    await tapUntil(page, touch, await widget(page, '##print(model)'), () => window.netshape.status().typing);
    await page.keyboard.insertText(LENET_PRINT);
    // The sample's shape, in place of the box's 3x224x224.
    // The item holds the box and its label to the right: the tap goes into the box's left end.
    const shapeItem = await page.evaluate(() => window.netshape.widgets().find((w) => w.label === 'Input shape (one sample)##import'));
    await tapUntil(page, touch, { x: shapeItem.x + 20, y: shapeItem.y + shapeItem.h / 2 },
      () => window.netshape.status().active_widget === 'Input shape (one sample)##import');
    await page.keyboard.press('End');
    for (let i = 0; i < 12; i++) await page.keyboard.press('Backspace');
    await page.keyboard.insertText('1x28x28');
    await settled(page);
    await shot(page, 'import-typed');
    await touch.tap(await widget(page, 'Import'));
    await until(page, () => window.netshape.texts().some((t) => t.text.startsWith('Imported ') && t.text.includes('61,706 parameters')));
    assert.ok(fetched.includes('tools.js') && fetched.includes('tools.wasm'), fetched.join(', '));
    await shot(page, 'import-done');
    // The dialog closes with Escape (a phone's keyboard has one; its close box is ImGui's own).
    await page.keyboard.press('Escape');
    await until(page, () => !window.netshape.widgets().some((w) => w.label === 'Import'));
    await settled(page);
    assert.equal(await page.evaluate(() => window.netshape.status().layers), 12);
    await until(page, () => window.netshape.texts().some((t) => t.text === 'Total params: 61,706' && t.whole));
    await shot(page, 'imported-summary');

    // Share > Copy as PyTorch code: on the clipboard; Download PyTorch code (.py): the same code
    // as a file, kept. Both hold the imported modules.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.site.url });
    await menuItem(page, touch, 'Share', 'Copy as PyTorch code');
    await until(page, () => navigator.clipboard.readText().then((text) => text.includes('nn.Linear(84, 10)')));
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    await shot(page, 'code-copied');
    const offered = page.waitForEvent('download');
    await menuItem(page, touch, 'Share', 'Download PyTorch code (.py)');
    const download = await offered;
    const path = join(suite.artifacts, 'phone-imported-model.py');
    await download.saveAs(path);
    const code = readFileSync(path, 'utf8');
    assert.equal(code, copied);
    for (const module of ['nn.Conv2d(1, 6', 'nn.Conv2d(6, 16', 'nn.Linear(400, 120)', 'nn.Linear(120, 84)', 'nn.Linear(84, 10)'])
      assert.ok(code.includes(module), `${module} is not in the code`);
    assert.deepEqual(problems, []);
  } finally {
    await context.closeBrowser();
  }
});

test('phone: with the page offline when Import is first used, the dialog says the tools did not load and the design stays', async () => {
  const context = await launchDevice(PHONE);
  try {
    await context.route(/tools\.(js|wasm)$/, (route) => route.abort('internetdisconnected'));
    const { page } = await openApp(context, `${suite.site.url}#${SEED_000}`);
    await settled(page);
    const touch = await fingers(page);
    await menuItem(page, touch, 'Edit', 'Import a model...');
    await touch.tap(await widget(page, 'Import'));
    await until(page, () => window.netshape.texts().some((t) => t.text.includes('the import and export tools did not load')));
    await shot(page, 'import-offline');
    // Seed 000 still: 217,706 parameters.
    assert.equal(await page.evaluate(() => window.netshape.summary().total_params), 217706);
  } finally {
    await context.closeBrowser();
  }
});
