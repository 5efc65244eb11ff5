// The editor the way people use it, in Debian's Chromium (headless, WebGL2 through SwiftShader):
// real mouse, wheel and keyboard through playwright-core, widgets found by their labels
// (window.netshape.widgets(), from ImGui's own item reports) instead of fixed positions.
//   node --test tests/browser/editor_test.mjs        (SITE=build/wasm/site by default)
// Expected counts: LeNet-5's well-known 61,706; torchvision's VGG-16 and ResNet-50; the others
// derived in the comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { click, clickBox, browserSuite, openApp, screenshotOnFailure, settled, until, widget } from './harness.mjs';

const PRESETS = resolve('assets/presets');
const LENET5 = "ns1;1x32x32/conv(6,5)+tanh/avgpool(2)/conv(16,5)+tanh/avgpool(2)/flatten/" +
  'linear(120)+tanh/linear(84)+tanh/linear(10)';

const suite = browserSuite();

const summary = (page) => page.evaluate(() => window.netshape.summary());

test('typing into the name box renames a layer that others read; they still read it', async () => {
  // linear 8→4: 36; linear 4→4: 20; add of both: 0; linear 4→3: 15. Total 71.
  const { page, problems } = await openApp(suite.browser, suite.site.url + '#ns1;8/linear(4)/linear(4)/add(@-2,@-1)/linear(3)');
  await screenshotOnFailure(page, 'rename', async () => {
    await click(page, 'linear_1'); // its summary row
    await until(page, () => window.netshape.status().selected === 0);
    await clickBox(page, '##name');
    await page.keyboard.type('first');
    await until(page, () => window.netshape.summary().layers[0].name === 'first');
    const named = await summary(page);
    assert.equal(named.total_params, 71);
    assert.deepEqual(named.layers[2].inputs, ['first', 'linear_2']); // not the second linear twice
    // The link says the same graph.
    const link = await page.evaluate(() => window.netshape.getText());
    const again = await openApp(suite.browser, suite.site.url + '#' + link);
    assert.deepEqual((await summary(again.page)).layers[2].inputs, ['first', 'linear_2']);
    await again.page.close();
    // Every field box of a layer takes typing: the last linear's out_features 3 → 30:
    // 4·30 + 30 = 150 instead of 15.
    // (Its default name is linear_1 now that the first linear has a name of its own.)
    await click(page, (await summary(page)).layers[3].name);
    await until(page, () => window.netshape.status().selected === 3);
    await clickBox(page, '##out_features');
    await page.keyboard.press('End');
    await page.keyboard.type('0');
    await until(page, () => window.netshape.summary().total_params === 36 + 20 + 150);
    await clickBox(page, '##in_features');
    await page.keyboard.type('x');
    await until(page, () => window.netshape.status().field_error.includes("'x' is not"));
    assert.equal((await summary(page)).total_params, 206); // refused, never applied
  });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a layer told to read itself is refused at its inputs box', async () => {
  const { page, problems } = await openApp(suite.browser, suite.site.url + '#ns1;8/linear(4)/linear(4)/add(@-2,@-1)');
  await click(page, 'add_1');
  await until(page, () => window.netshape.status().selected === 2);
  await clickBox(page, '##inputs');
  await page.keyboard.press('End');
  await page.keyboard.type(',add_1');
  await until(page, () => window.netshape.status().field_error.includes('cannot read itself'));
  assert.ok(!(await summary(page)).layers[2].inputs.includes('add_1'));
  assert.deepEqual(problems, []);
  await page.close();
});

// The first summary row on screen, by the rows' labels.
async function firstVisibleRow(page) {
  return page.evaluate(() => {
    const labels = new Set(window.netshape.widgets().map((w) => w.label));
    return window.netshape.summary().layers.findIndex((layer) => labels.has(layer.name));
  });
}

async function firstVisibleListRow(page) {
  return page.evaluate(() => {
    const numbers = window.netshape.widgets().map((w) => /^(\d+) {2}/.exec(w.label)).filter(Boolean).map((m) => +m[1]);
    return Math.min(...numbers);
  });
}

test('the wheel scrolls the summary and the layer list the way the page would, both ways', async () => {
  const resnet50 = readFileSync(join(PRESETS, 'resnet50.ns'), 'utf8').trim();
  const { page, problems } = await openApp(suite.browser, suite.site.url + '#' + resnet50);
  await screenshotOnFailure(page, 'wheel', async () => {
    assert.equal(await firstVisibleRow(page), 0);
    const row = await widget(page, (await summary(page)).layers[3].name);
    await page.mouse.move(row.x, row.y);
    // Chrome's notch: 100 CSS px down. A row is about 21 px: 4 to 5 rows, not the whole table.
    await page.mouse.wheel(0, 100);
    await settled(page);
    const down = await firstVisibleRow(page);
    assert.ok(down >= 3 && down <= 6, `one notch moved the summary to row ${down}`);
    await page.mouse.wheel(0, -100);
    await until(page, () => {
      const labels = new Set(window.netshape.widgets().map((w) => w.label));
      return labels.has(window.netshape.summary().layers[0].name);
    });

    // The layer list in the left pane.
    assert.equal(await firstVisibleListRow(page), 1);
    const listRow = await widget(page, '3  ' + (await page.evaluate(() => window.netshape.widgets().find((w) => w.label.startsWith('3  ')).label.slice(3))));
    await page.mouse.move(listRow.x, listRow.y);
    await page.mouse.wheel(0, 100);
    await settled(page);
    await until(page, () => {
      const numbers = window.netshape.widgets().map((w) => /^(\d+) {2}/.exec(w.label)).filter(Boolean).map((m) => +m[1]);
      return Math.min(...numbers) > 1;
    });
    const listDown = await firstVisibleListRow(page);
    assert.ok(listDown >= 4 && listDown <= 7, `one notch moved the layer list to row ${listDown}`);
    await page.mouse.wheel(0, -100);
    await until(page, () => window.netshape.widgets().some((w) => w.label.startsWith('1  ')));
  });
  assert.deepEqual(problems, []);
  await page.close();
});

// In the page: each count column's width as drawn, and the width of its widest count in the
// interface's font.
function columnChecks() {
  const layers = window.netshape.summary().layers;
  const widths = window.netshape.status().summary_widths;
  return ['params', 'trainable_params', 'non_trainable_params', 'macs'].map((key, i) => {
    const widest = Math.max(...layers.map((layer) => window.netshape.measureText((layer[key] ?? 0).toLocaleString('en-US'))));
    return { key, widest, width: widths[3 + i] };
  });
}

test('VGG-16 and ResNet-50 show every digit of every count', async () => {
  for (const [file, total] of [['vgg16.ns', 138357544], ['resnet50.ns', 25557032]]) { // torchvision
    const { page, problems } = await openApp(suite.browser, suite.site.url);
    const result = await page.evaluate((text) => window.netshape.setText(text), readFileSync(join(PRESETS, file), 'utf8'));
    assert.equal(result.ok, true);
    assert.equal((await summary(page)).total_params, total);
    // The columns as drawn for this design (from the frame after setText on): every count fits.
    let check = [];
    for (let attempt = 0; attempt < 100; attempt++) {
      check = await page.evaluate(columnChecks);
      if (check.every(({ widest, width }) => width >= widest)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const { key, widest, width } of check) assert.ok(width >= widest, `${file} ${key}: column ${width} px < ${widest} px`);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('PyTorch → Keras → PyTorch converts LeNet-5: 61,706 parameters and every layer valid', async () => {
  const { page, problems } = await openApp(suite.browser, suite.site.url + '#' + LENET5);
  const valid = () => page.evaluate(() => window.netshape.summary().layers.every((layer) => layer.status === 'ok'));
  await screenshotOnFailure(page, 'convention', async () => {
    for (const [choice, convention, shape] of [['Keras', 'keras', [32, 32, 1]], ['PyTorch', 'pytorch', [1, 32, 32]]]) {
      await click(page, '##convention');
      await until(page, () => window.netshape.status().popups_open === 1);
      await click(page, choice);
      await until(page, (wanted) => window.netshape.summary().convention === wanted, convention);
      const result = await summary(page);
      assert.deepEqual(result.input_shape, shape);
      assert.equal(result.total_params, 61706);
      assert.ok(await valid());
    }
  });
  assert.deepEqual(problems, []);
  await page.close();
});

test('New, then LeNet-5 from the palette with the keyboard only, in under 20 actions', async () => {
  const { page, problems } = await openApp(suite.browser, suite.site.url);
  let actions = 0;
  const press = async (keys) => { await page.keyboard.press(keys); actions++; };
  const type = async (text) => { await page.keyboard.type(text); actions++; };
  await screenshotOnFailure(page, 'keyboard-lenet', async () => {
    await page.mouse.click(900, 760); // the page gets the keyboard (not counted: any page needs it)
    await settled(page); // the click is over for the app too (a person's keys come after)
    await press('Control+Alt+KeyN');
    await until(page, () => window.netshape.status().layers === 0 && window.netshape.status().typing);
    assert.ok(!(await summary(page)).name); // no title
    await type('1x32x32');
    await press('Enter');
    await until(page, () => !window.netshape.status().typing);
    await press('a'); // "+ Add layer"
    await until(page, () => window.netshape.status().typing);
    await type('conv(6,5)+tanh/avgpool(2)/conv(16,5)+tanh/avgpool(2)');
    await press('Enter');
    await until(page, () => window.netshape.status().layers === 4 && !window.netshape.status().typing);
    await press('a');
    await until(page, () => window.netshape.status().typing);
    await type('flatten/linear(120)+tanh/linear(84)+tanh/linear(10)');
    await press('Enter');
    await until(page, () => window.netshape.summary().total_params === 61706);
    // The palette's box lets go of the keyboard the frame after (a person sees it close).
    await until(page, () => !window.netshape.status().typing);
    assert.equal(await page.evaluate(() => window.netshape.getText()), LENET5);
    assert.ok(actions <= 20, `${actions} actions`);
    // New is one undo step: the design before it comes back.
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await until(page, () => window.netshape.summary().total_params === 217706); // seed 000, the page's default
  });
  assert.deepEqual(problems, []);
  await page.close();
});

test('?embed, ?embed&edit and ?embed&editor report a height that settles within a second', async () => {
  const page = await suite.browser.newPage({ viewport: { width: 900, height: 700 } });
  await page.goto(suite.site.url + 'missing-page-for-a-parent');
  for (const query of ['?embed', '?embed&edit', '?embed&editor']) {
    const result = await page.evaluate(async (src) => {
      document.body.innerHTML = '';
      const seen = [];
      const frame = document.createElement('iframe');
      frame.style.cssText = 'width:800px;height:420px;border:0;display:block';
      // What the embed code's script does: the frame takes the height its content reports.
      window.onmessage = (event) => {
        if (event.source === frame.contentWindow && event.data && event.data.type === 'netshape:height') {
          seen.push({ at: performance.now(), height: event.data.height });
          frame.style.height = event.data.height + 'px';
        }
      };
      frame.src = src;
      document.body.appendChild(frame);
      for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 2500));
      return { seen, height: frame.getBoundingClientRect().height };
    }, suite.site.url + query + "#ns1;1x28x28/conv2d(32,5)+relu/maxpool2d(2)/flatten/linear(10)");
    assert.ok(result.seen.length > 0, `${query}: no height message`);
    const first = result.seen[0].at;
    const last = result.seen.at(-1);
    assert.ok(last.at - first < 1000, `${query}: heights still changing after ${last.at - first} ms: ${JSON.stringify(result.seen)}`);
    assert.ok(last.height > 150 && last.height < 1500, `${query}: height ${last.height}`);
    assert.equal(Math.round(result.height), Math.round(last.height));
  }
  await page.close();
});

test('the menus are reachable from the keyboard: Alt, Right, Space opens Edit, Space takes New design', async () => {
  const { page, problems } = await openApp(suite.browser, suite.site.url);
  await page.mouse.click(900, 760); // the page gets the keyboard
  await settled(page); // the click is over for the app too (a person's Alt comes after)
  await page.keyboard.press('Alt');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Space');
  await until(page, () => window.netshape.status().popups_open === 1);
  await page.keyboard.press('Space');
  await until(page, () => window.netshape.status().layers === 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the wheel scrolls the text pane down and back', async () => {
  const resnet50 = readFileSync(join(PRESETS, 'resnet50.ns'), 'utf8').trim();
  const { page, problems } = await openApp(suite.browser, suite.site.url + '#' + resnet50);
  await click(page, 'Text');
  const box = await page.evaluate(async () => {
    for (let i = 0; i < 100; i++) {
      const found = window.netshape.widgets().find((w) => w.label === '##text');
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return null;
  });
  assert.ok(box, 'no text pane');
  const clip = { x: box.x + 2, y: box.y + 2, width: box.w - 20, height: box.h - 20 };
  await page.mouse.move(box.x + box.w / 2, box.y + box.h / 2);
  await settled(page);
  const before = await page.screenshot({ clip });
  await page.mouse.wheel(0, 100);
  await settled(page);
  const scrolled = await page.screenshot({ clip });
  assert.ok(!before.equals(scrolled), 'the wheel did not move the text');
  await page.mouse.wheel(0, -100);
  await settled(page);
  const back = await page.screenshot({ clip });
  assert.ok(before.equals(back), 'the wheel back did not bring the same lines');
  assert.deepEqual(problems, []);
  await page.close();
});
