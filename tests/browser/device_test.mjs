// The app where students open course links: a phone (390×844, 3 device pixels per CSS pixel, touch),
// a tablet upright (820×1180, touch), a 1280×800 laptop at 150 % zoom (853×533 CSS pixels), and a
// course page with many embeds. Driven with real touch events (the DevTools protocol's touch
// input, as a phone's screen sends them), the mouse wheel and the keyboard; what the reader sees is
// read back from the UI's own report of each drawn text and whether it is whole (texts()), and
// every state is saved as a screenshot in ARTIFACTS.
//   node --test tests/browser/device_test.mjs        (SITE=build/wasm/site by default)
// Expected values: seed 000's total 217,706; its conv2d_2 is conv2d(32, 3) on [32, 12, 12]:
// (3·3·32 + 1)·32 = 9,248 parameters and 12 − 3 + 1 = 10 rows and columns, [32, 10, 10];
// torchvision's ResNet-18 has 11,689,512 parameters.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { canvasColours, launchDevice, openApp, PHONE, serveSite, settled, TABLET, until, ZOOMED_LAPTOP } from './harness.mjs';

const SEED_000 = 'ns1;1x28x28/conv2d(32,5)+relu/maxpool2d(2)/conv2d(32,3)+relu/maxpool2d(2)/flatten/' +
  'linear(256)+relu/linear(10)+softmax';
const RESNET_18 = readFileSync(resolve('assets/presets/resnet18.ns'), 'utf8').trim();

let site;
const artifacts = resolve(process.env.ARTIFACTS || 'build/browser-tests');

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  site = await serveSite(process.env.SITE || 'build/wasm/site');
});

after(() => site?.server.close());

// The drawn text `wanted`, whole (not cut with "…"), when it is on the screen of `height` CSS px.
async function wholeOnScreen(page, wanted, height) {
  const texts = await page.evaluate(() => window.netshape.texts());
  return texts.find((t) => t.text === wanted && t.whole && t.y >= 0 && t.y + t.h <= height + 0.5) || null;
}

async function textsStartingWith(page, prefix) {
  return (await page.evaluate(() => window.netshape.texts())).filter((t) => t.text.startsWith(prefix));
}

async function widgetAt(page, label) {
  await until(page, (wanted) => window.netshape.widgets().some((w) => w.label === wanted), label);
  const found = await page.evaluate((wanted) => window.netshape.widgets().find((w) => w.label === wanted), label);
  return { x: found.x + found.w / 2, y: found.y + found.h / 2 };
}

// A finger on the screen through the DevTools protocol: the page gets touchstart/move/end as
// from a phone's screen (Playwright's tap is the same for taps; drags need the protocol).
async function finger(page) {
  const cdp = await page.context().newCDPSession(page);
  const send = (type, points) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points });
  return {
    // Down and up 60 ms apart by the events' own times, as a phone stamps a quick tap: on a busy
    // machine the protocol may deliver the lift later than that (it waits for the page to take the
    // touch), which without times the page would rightly read as a long press.
    async tap(x, y) {
      const base = Date.now() / 1000;
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }], timestamp: base });
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [], timestamp: base + 0.06 });
      await settled(page);
    },
    async drag(from, to, { steps = 20, stepMs = 16, release = true } = {}) {
      // The first move goes with the touch (not after its frame): on a page drawing a 3× screen
      // in software a frame can outlast the long press's 500 ms, which a phone's finger does not.
      const started = send('touchStart', [from]);
      await send('touchMove', [{ x: from.x + (to.x - from.x) / steps, y: from.y + (to.y - from.y) / steps }]);
      await started;
      for (let i = 2; i <= steps; i++) {
        await send('touchMove', [{ x: from.x + ((to.x - from.x) * i) / steps, y: from.y + ((to.y - from.y) * i) / steps }]);
        await new Promise((r) => setTimeout(r, stepMs));
      }
      if (release) {
        await new Promise((r) => setTimeout(r, 200)); // held still: no glide
        await send('touchEnd', []);
      }
    },
    // Moves stamped `ms` apart in all (the page is slow to handle each under software
    // rendering; the speed is the finger's, from the events' times), lifted while moving.
    async flick(from, to, ms, steps = 10) {
      const base = Date.now() / 1000;
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [from], timestamp: base });
      for (let i = 1; i <= steps; i++) {
        const at = { x: from.x + ((to.x - from.x) * i) / steps, y: from.y + ((to.y - from.y) * i) / steps };
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at], timestamp: base + (ms * i) / steps / 1000 });
      }
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [], timestamp: base + (ms + 16) / 1000 });
    },
    async press(x, y, ms) {
      await send('touchStart', [{ x, y }]);
      await new Promise((r) => setTimeout(r, ms));
    },
    async lift() {
      await send('touchEnd', []);
    },
  };
}

// How far the summary table is scrolled, in CSS pixels: from the rows on screen (a row's index
// times the row height, less where it is drawn).
async function tableOffset(page) {
  const names = (await page.evaluate(() => window.netshape.summary())).layers.map((layer) => layer.name);
  const rows = (await page.evaluate(() => window.netshape.widgets()))
    .map((w) => ({ index: names.indexOf(w.label), y: w.y }))
    .filter((row) => row.index >= 0)
    .sort((a, b) => a.index - b.index);
  assert.ok(rows.length >= 2, 'fewer than two rows of the table on screen');
  const rowHeight = (rows.at(-1).y - rows[0].y) / (rows.at(-1).index - rows[0].index);
  return rows[0].index * rowHeight - rows[0].y;
}

for (const [name, device] of [['phone', PHONE], ['tablet', TABLET], ['zoomed laptop', ZOOMED_LAPTOP]]) {
  test(`${name}: the seed's total, conv2d_2's 9,248 and [32, 10, 10] whole on the first screen`, async () => {
    const context = await launchDevice(device);
    try {
      const { page, problems } = await openApp(context, site.url + '#' + SEED_000);
      await settled(page);
      assert.equal(await page.evaluate(() => window.netshape.status().narrow), true);
      const height = device.viewport.height;
      for (const wanted of ['Total params: 217,706', '9,248', '[32, 10, 10]'])
        assert.ok(await wholeOnScreen(page, wanted, height), `${wanted} is not whole on the first screen`);
      // The row's name is its widget's label: whole, not cut to "conv2…".
      const row = (await page.evaluate(() => window.netshape.widgets())).find((w) => w.label === 'conv2d_2');
      assert.ok(row && row.y + row.h <= height, 'the row conv2d_2 is not on the first screen');
      // Nothing drawn runs past the screen's right edge (nothing to scroll sideways for).
      for (const t of await page.evaluate(() => window.netshape.texts()))
        assert.ok(t.x + t.w <= device.viewport.width + 0.5, `"${t.text}" runs past the right edge`);
      await page.screenshot({ path: join(artifacts, `device-${name.replace(' ', '-')}.png`), scale: 'css' });
      assert.deepEqual(problems, []);
    } finally {
      await context.closeBrowser();
    }
  });
}

// The seed network on a phone, its conv2d_2 tapped (which selects it and opens its working).
async function phoneWithConv2d2Tapped(context) {
  const { page, problems } = await openApp(context, site.url + '#' + SEED_000);
  await settled(page);
  const touch = await finger(page);
  const row = await widgetAt(page, 'conv2d_2');
  await touch.tap(row.x, row.y);
  return { page, problems, touch };
}

test('phone: a tap selects and opens the working (no tooltip left), a drag scrolls and glides, a long press shows the working', async () => {
  const context = await launchDevice(PHONE);
  try {
    const { page, problems, touch } = await phoneWithConv2d2Tapped(context);
    assert.equal(await page.evaluate(() => window.netshape.status().selected), 2);
    // The Working tab shows conv2d_2's working once: a hover tooltip left over it would draw the
    // same lines a second time.
    const weights = await textsStartingWith(page, 'weights:');
    assert.equal(weights.length, 1);
    // (3·3·32 + 1)·32, its result on a line of its own, separated as the table writes it.
    assert.ok((await textsStartingWith(page, 'params = (k_h·k_w·C_in + 1 bias)·C_out')).some((t) => t.whole));
    assert.ok((await textsStartingWith(page, '= 9,248')).some((t) => t.whole));
    await page.screenshot({ path: join(artifacts, 'phone-tap-working.png'), scale: 'css' });

    // A long press on a row in the Summary tab shows what hover shows, and selects nothing.
    const summaryTab = await widgetAt(page, 'Summary');
    await touch.tap(summaryTab.x, summaryTab.y);
    const linear = await widgetAt(page, 'linear_1');
    await touch.press(linear.x, linear.y, 700);
    // Its weights line, in the tooltip (the Working tab is not shown).
    await until(page, () => window.netshape.texts().some((t) => t.text.startsWith('weights: weight [256, 800]')));
    await page.screenshot({ path: join(artifacts, 'phone-long-press.png'), scale: 'css' });
    await touch.lift();
    await settled(page);
    assert.equal(await page.evaluate(() => window.netshape.status().selected), 2);
    assert.deepEqual(problems, []);

    // ResNet-18's long table: a slow drag moves it with the finger, a flick keeps it gliding.
    await page.evaluate((text) => window.netshape.setText(text), RESNET_18);
    await settled(page);
    const before = await tableOffset(page);
    await touch.drag({ x: 200, y: 700 }, { x: 200, y: 500 }); // 200 px up, then held still before lifting
    await settled(page);
    const dragged = await tableOffset(page);
    // The content followed the finger: 200 px, less the 8 px a finger may wander in a tap.
    assert.ok(Math.abs(dragged - before - 192) <= 12, `a 200 px drag moved the table ${dragged - before} px`);
    // A flick: 300 px in 160 ms (the events' own times, as a phone stamps them) and lifted while
    // moving. The table glides on: v ≈ 1.9 px/ms falling as e^(−t/325 ms) adds about 600 px.
    await touch.flick({ x: 200, y: 750 }, { x: 200, y: 450 }, 160);
    await settled(page);
    const flicked = await tableOffset(page);
    assert.ok(flicked - dragged > 300 + 200, `a 300 px flick moved the table ${flicked - dragged} px`);
    await page.screenshot({ path: join(artifacts, 'phone-after-drag.png'), scale: 'css' });
    assert.deepEqual(problems, []);
  } finally {
    await context.closeBrowser();
  }
});

test('phone: a tap in a text box focuses a real text field, and its text (IME, autocorrect off) edits the design', async () => {
  const context = await launchDevice(PHONE);
  try {
    const { page, problems, touch } = await phoneWithConv2d2Tapped(context);
    const editorTab = await widgetAt(page, 'Editor');
    await touch.tap(editorTab.x, editorTab.y);
    const box = await widgetAt(page, '##name');
    await touch.tap(box.x, box.y);
    await until(page, () => window.netshape.status().typing);
    const field = await page.evaluate(() => {
      const active = document.activeElement;
      return { id: active.id, tag: active.tagName, autocorrect: active.getAttribute('autocorrect') };
    });
    assert.deepEqual(field, { id: 'text-input', tag: 'TEXTAREA', autocorrect: 'off' });
    await page.screenshot({ path: join(artifacts, 'phone-keyboard-field.png'), scale: 'css' });
    // A phone keyboard's text arrives as input events without key codes.
    // The box selects its text when it takes the keyboard (as the desktop's does): typing replaces it.
    await page.keyboard.insertText('conv_b');
    await until(page, () => window.netshape.summary().layers[2].name === 'conv_b');
    assert.deepEqual(problems, []);
  } finally {
    await context.closeBrowser();
  }
});

// A course page of the site's origin (its 404 page, emptied), with `html` as its body.
async function coursePage(context, html) {
  const page = await context.newPage();
  await page.goto(site.url + 'course-page-for-embeds');
  await page.evaluate((body) => {
    document.body.innerHTML = body;
    document.body.style.margin = '0';
  }, html);
  return page;
}

function embedFrame(page, index) {
  return page.frames().find((f) => f.url().includes(`embed&n=${index}#`));
}

test('a course page with 20 embeds: every frame shows its design when scrolled to, also after all the others', async () => {
  const context = await launchDevice({ viewport: { width: 1000, height: 800 } });
  try {
    // linear(k) on 10 values: 10·k weights + k biases = 11·k parameters.
    const frames = Array.from({ length: 20 }, (_, i) =>
      `<p>Exercise ${i + 1}</p><iframe src="${site.url}?embed&n=${i}#ns1;10/linear(${i + 1})" ` +
      'style="width:100%;height:300px;border:0;display:block"></iframe>').join('\n');
    const page = await coursePage(context, frames);
    const problems = [];
    page.on('pageerror', (error) => problems.push(error.message));
    const visit = async (index) => {
      await page.evaluate((i) => document.querySelectorAll('iframe')[i].scrollIntoView({ block: 'center' }), index);
      await until(page, (i) => document.querySelectorAll('iframe')[i].contentWindow.netshape !== undefined, index, 30000);
      const frame = embedFrame(page, index);
      await frame.evaluate(() => window.netshape.ready);
      await until(frame, () => !window.netshape.status().gl_lost, undefined, 20000);
      await until(frame, (total) => window.netshape.texts().some((t) => t.text === total && t.whole),
        `Total params: ${11 * (index + 1)}`);
      assert.ok(await canvasColours(frame) > 10, `embed ${index + 1} is blank after scrolling to it`);
    };
    for (let i = 0; i < 20; i++) await visit(i);
    await page.screenshot({ path: join(artifacts, 'course-page-last-embeds.png') });
    // Back to the first: more contexts than a page may keep were made since it was last seen.
    for (const i of [0, 1, 10]) await visit(i);
    await page.screenshot({ path: join(artifacts, 'course-page-first-embeds.png') });
    // Off-screen frames gave theirs back: fewer than Chromium's 16 are live.
    const live = [];
    for (let i = 0; i < 20; i++) {
      const frame = embedFrame(page, i);
      if (frame && !(await frame.evaluate(() => window.netshape.status().gl_lost))) live.push(i);
    }
    assert.ok(live.length <= 16, `${live.length} live WebGL contexts`);
    assert.deepEqual(problems, []);
  } finally {
    await context.closeBrowser();
  }
});

test('a read-only embed: the wheel scrolls the course page; without the script its totals still show', async () => {
  const context = await launchDevice({ viewport: { width: 1000, height: 700 } });
  try {
    // The embed code as a platform that strips scripts leaves it: the iframe at its 420 px.
    const page = await coursePage(context,
      '<p style="height:200px">Before</p>' +
      `<iframe src="${site.url}?embed&n=0#${encodeURI(RESNET_18)}" style="width:100%;height:420px;border:0;display:block"></iframe>` +
      `<p style="height:200px">Between</p><iframe src="${site.url}?embed&n=1#ns1;10/linear(4)" ` +
      'style="width:100%;height:420px;border:0;display:block"></iframe><p style="height:1500px">After</p>');
    await until(page, () => document.querySelectorAll('iframe')[0].contentWindow.netshape !== undefined, undefined, 30000);
    await embedFrame(page, 0).evaluate(() => window.netshape.ready);
    const resnet = embedFrame(page, 0);
    await settled(resnet);
    const total = await wholeOnScreen(resnet, 'Total params: 11,689,512', 420);
    assert.ok(total, 'ResNet-18\'s total is not whole inside the 420 px frame');
    await page.screenshot({ path: join(artifacts, 'embed-without-script.png') });

    // The small design fits its frame: nothing in it scrolls, so the wheel is the page's.
    // (An embed starts once it is in view.)
    await page.evaluate(() => document.querySelectorAll('iframe')[1].scrollIntoView({ block: 'start' }));
    await until(page, () => document.querySelectorAll('iframe')[1].contentWindow.netshape !== undefined, undefined, 30000);
    const small = embedFrame(page, 1);
    await small.evaluate(() => window.netshape.ready);
    await settled(small);
    const start = await page.evaluate(() => window.scrollY);
    await page.mouse.move(500, 200); // over the second embed's table
    await page.mouse.wheel(0, 300);
    await until(page, (from) => window.scrollY > from + 100, start);
    await page.screenshot({ path: join(artifacts, 'embed-wheel-scrolled-page.png') });
  } finally {
    await context.closeBrowser();
  }
});
