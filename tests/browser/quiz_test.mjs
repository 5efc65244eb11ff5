// Exercises in the browser: ?quiz=shape,params over the page's own design (seed 000's Lasagne MNIST
// network, assets/presets/lasagne_mnist.ns, which the page opens without a hash), answers typed
// with the real keyboard (and a phone's touch) into the canvas's boxes, read back from the UI's
// report of what it draws (texts(), widgets()). Screenshots go to ARTIFACTS.
//   node --test tests/browser/quiz_test.mjs        (SITE=build/wasm/site by default)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { browserSuite, click, clickBox, launchDevice, openApp, PHONE, screenshotOnFailure, settled, until, widget }
  from './harness.mjs';

// Seed 000 from its formulas (PyTorch's Conv2d: H_out = ⌊(H_in + 2·p − k)/s⌋ + 1; params =
// (k·k·C_in + 1)·C_out; Linear: (in + 1)·out):
const side1 = 28 - 5 + 1;          // conv2d1: 24
const side2 = side1 / 2 - 3 + 1;   // maxpool1 halves it to 12; conv2d2: 10
const CONV2_SHAPE = `[32, ${side2}, ${side2}]`;
const CONV2_PARAMS = (3 * 3 * 32 + 1) * 32;                // 9,248
const CONV2_NO_BIAS = 3 * 3 * 32 * 32;                     // 9,216: the bias left out
const DENSE_PARAMS = (32 * (side2 / 2) * (side2 / 2) + 1) * 256; // 205,056
const TOTAL = (5 * 5 * 1 + 1) * 32 + CONV2_PARAMS + DENSE_PARAMS + (256 + 1) * 10; // 217,706 (seed 000)
const grouped = (n) => n.toLocaleString('en-US');

const suite = browserSuite();

const texts = (page) => page.evaluate(() => window.netshape.texts());
async function hasText(page, wanted) {
  return (await texts(page)).some((t) => t.text === wanted);
}
// Waits until a drawn text starts with `prefix` and returns it.
async function textStarting(page, prefix) {
  await until(page, (p) => window.netshape.texts().some((t) => t.text.startsWith(p)), prefix);
  return (await texts(page)).find((t) => t.text.startsWith(prefix)).text;
}

// Selects what the box holds and types `answer` over it, with the keyboard.
async function answer(page, box, text) {
  await clickBox(page, box);
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
  await settled(page);
}

test('an exercise: values hidden, answers checked as typed, a hint per slip, show working, nothing in the link', async () => {
  const { page, problems } = await openApp(suite.browser, suite.site.url + '?quiz=shape,params');
  await screenshotOnFailure(page, 'quiz-desktop', async () => {
    await until(page, () => window.netshape.texts().some((t) => t.text === '0 of 14 right')); // 7 layers × 2
    // No value a student is asked for shows: not in the canvas, not in the screen-reader table.
    const shown = (await texts(page)).map((t) => t.text).join('\n');
    for (const value of [grouped(CONV2_PARAMS), CONV2_SHAPE, grouped(TOTAL), grouped(DENSE_PARAMS)])
      assert.ok(!shown.includes(value), `${value} is drawn`);
    await until(page, () => document.querySelectorAll('#summary-mirror tr').length === 1 + 7);
    const mirror = await page.textContent('#summary-mirror');
    for (const value of [grouped(CONV2_PARAMS), CONV2_SHAPE, grouped(TOTAL)]) assert.ok(!mirror.includes(value), `${value} in the mirror`);

    // The bias left out.
    await answer(page, '##params:conv2d2', String(CONV2_NO_BIAS));
    const biasHint = await textStarting(page, 'conv2d2 params: ');
    assert.match(biasHint, /^conv2d2 params: bias left out/);
    assert.ok(!biasHint.includes(grouped(CONV2_PARAMS)), 'the hint gives the answer away');
    assert.ok(await hasText(page, '✗'));
    await answer(page, '##params:conv2d2', grouped(CONV2_PARAMS)); // "9,248", as people write it
    await until(page, () => window.netshape.texts().some((t) => t.text === '1 of 14 right'));
    assert.ok(await hasText(page, '✓'));
    // Right: the mirror may read it now.
    await until(page, (v) => document.getElementById('summary-mirror').textContent.includes(v), grouped(CONV2_PARAMS));

    // Shapes: one short along each side (the formula's + 1 forgotten), one too many (the kernel
    // taken away whole), channels last (Keras's order for a PyTorch design). Each names a slip
    // (not the nudge kept for numbers no slip explains) and none says the right size.
    for (const [wrong, slip] of [[`[32, ${side2 - 1}, ${side2 - 1}]`, /^conv2d2 shape: (?!Not yet)\S/],
                                 [`[32, ${side2 + 1}, ${side2 + 1}]`, /^conv2d2 shape: (?!Not yet)\S/],
                                 [`${side2}x${side2}x32`, /^conv2d2 shape: channels last/]]) {
      await answer(page, '##shape:conv2d2', wrong);
      const hint = await textStarting(page, 'conv2d2 shape: ');
      assert.match(hint, slip, wrong);
      assert.ok(!/(^|[^0-9])10([^0-9]|$)/.test(hint.slice('conv2d2 shape: '.length)), `${hint} says the answer`);
    }
    await answer(page, '##shape:conv2d2', 'ten by ten');
    assert.match(await textStarting(page, 'conv2d2 shape: '), /Write a shape, like 32x10x10/);
    await page.screenshot({ path: join(suite.artifacts, 'quiz-desktop-hint.png') });

    // Show working: the right value in the cell, the working in its pane (it starts from
    // maxpool1's [32, 12, 12], which is shown too).
    await click(page, 'Show working##conv2d2:shape');
    await until(page, () => window.netshape.texts().some((t) => t.text === '1 of 14 right, 2 shown'));
    assert.ok(await hasText(page, CONV2_SHAPE));
    // The working ends each formula on a line of its own: H_out = … = 10, params = … = 9,248.
    await until(page, (side) => window.netshape.texts().some((t) => t.text === `= ${side}`), side2);
    await until(page, () => window.netshape.texts().some((t) => t.text.includes('(3·3·32 + 1)·32')));
    await answer(page, '##params:dense', String(DENSE_PARAMS));
    await until(page, () => window.netshape.texts().some((t) => t.text === '2 of 14 right, 2 shown'));
    await page.screenshot({ path: join(suite.artifacts, 'quiz-desktop-working.png') });

    // The answers stayed in the page: the address is the exercise's as it was opened.
    const address = await page.evaluate(() => location.href);
    assert.ok(address.startsWith(suite.site.url + '?quiz=shape,params#ns1;'), address);
    for (const typed of [String(CONV2_NO_BIAS), String(DENSE_PARAMS), 'ten by ten'])
      assert.ok(!decodeURIComponent(address).includes(typed), `${typed} in ${address}`);
  });
  assert.deepEqual(problems, []);
  await page.close();
});

test('Share > Exercise builds a link that opens the exercise', async () => {
  const { page, problems } = await openApp(suite.browser, suite.site.url);
  await click(page, 'Share');
  await settled(page);
  await click(page, 'Exercise...');
  await settled(page);
  // Each click is drawn before the next: ImGui sees where the mouse is one frame after it moves.
  for (const label of ['output shapes', 'the layers ticked', '3  conv2d2 (Conv2d) + relu##exercise']) {
    await click(page, label); // "output shapes" unticked: parameter counts only
    await settled(page);
  }
  await page.screenshot({ path: join(suite.artifacts, 'quiz-exercise-dialog.png') });
  await click(page, 'Copy link##exercise');
  await until(page, async () => (await navigator.clipboard.readText()).includes('?quiz='));
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(link, suite.site.url + '?quiz=params&layers=3#' + await page.evaluate(() => window.netshape.getText()));
  await page.close();

  const opened = await openApp(suite.browser, link);
  await until(opened.page, () => window.netshape.texts().some((t) => t.text === '0 of 1 right'));
  await widget(opened.page, '##params:conv2d2');
  assert.deepEqual([...problems, ...opened.problems], []);
  await opened.page.close();
});

test('an exercise on a phone (390×844): the boxes fit, a tap and the keyboard answer', async () => {
  const context = await launchDevice(PHONE);
  try {
    const { page, problems } = await openApp(context, suite.site.url + '?quiz=shape,params&layers=3,6');
    await screenshotOnFailure(page, 'quiz-phone', async () => {
      await until(page, () => window.netshape.texts().some((t) => t.text === '0 of 4 right'));
      for (const box of ['##shape:conv2d2', '##params:conv2d2', '##shape:dense', '##params:dense']) {
        const found = await page.evaluate((label) => window.netshape.widgets().find((w) => w.label === label), box);
        assert.ok(found && found.x >= 0 && found.x + found.w <= 390.5, `${box} on the screen`);
      }
      const type = async (box, text) => {
        const at = await widget(page, box);
        await page.touchscreen.tap(at.x, at.y);
        await until(page, (label) => window.netshape.status().active_widget === label, box);
        await page.keyboard.type(text);
        await settled(page);
      };
      await type('##params:conv2d2', String(CONV2_NO_BIAS));
      assert.match(await textStarting(page, 'conv2d2 params: '), /^conv2d2 params: bias left out/);
      await type('##params:dense', String(DENSE_PARAMS));
      await type('##shape:dense', '256');
      await until(page, () => window.netshape.texts().some((t) => t.text === '2 of 4 right'));
      for (const t of await texts(page)) assert.ok(t.x + t.w <= 390.5, `${t.text} runs off the screen`);
      await page.screenshot({ path: join(suite.artifacts, 'quiz-phone.png'), scale: 'css' });
      // Show working on a phone opens the Working tab.
      const at = await widget(page, 'Show working##conv2d2:params');
      await page.touchscreen.tap(at.x, at.y);
      await settled(page);
      await until(page, () => window.netshape.texts().some((t) => t.text.includes('(3·3·32 + 1)·32')));
      await page.screenshot({ path: join(suite.artifacts, 'quiz-phone-working.png'), scale: 'css' });
    });
    assert.deepEqual(problems, []);
  } finally {
    await context.closeBrowser();
  }
});
