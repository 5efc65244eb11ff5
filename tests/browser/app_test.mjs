// Browser tests of the web app: Debian's Chromium (headless, WebGL2 through SwiftShader) driven by
// playwright-core, against the built site served on localhost.
//   node --test tests/browser/app_test.mjs        (SITE=build/wasm/site by default)
// Expected counts come from the seeds (seed 000: 217,706; seed 004's torchsummary: 883,530; its
// exercise: 295,294) or are derived in the comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { canvasColours, click, clickBox, browserSuite, openApp, settled, until, widget } from './harness.mjs';

const SEED_000 = 'ns1;1x28x28/conv2d(32,5)+relu/maxpool2d(2)/conv2d(32,3)+relu/maxpool2d(2)/flatten/' +
  'linear(256)+relu/linear(10)+softmax';
const SEED_004 = 'ns1;1x28x28/conv2d(16,5,padding=2)/dropout(0.2)/relu/maxpool2d(2)/conv2d(32,5,padding=2)/' +
  'dropout(0.2)/relu/maxpool2d(2)/flatten/linear(512)/dropout(0.2)/relu/linear(128)/dropout(0.2)/relu/linear(10)';

const suite = browserSuite();

test('a seed network in the hash: totals through the JS API, the mirror table, the title', async () => {
  const { page, problems } = await openApp(suite.browser, suite.site.url + '#' + SEED_000);
  const summary = await page.evaluate(() => window.netshape.summary());
  assert.equal(summary.total_params, 217706); // seed 000
  assert.equal(summary.layers.length, 7);
  assert.deepEqual(summary.output_shape, [10]);
  assert.equal(await page.evaluate(() => window.netshape.getText()), SEED_000);
  // Screen readers get the table as text.
  // (The mirror follows once edits pause: kMirrorPauseMs in web/browser_page.js.)
  await until(page, () => document.querySelectorAll('#summary-mirror tr').length === 1 + 7);
  const caption = await page.textContent('#summary-mirror caption');
  assert.match(caption, /217,706 parameters/);
  // The WebAssembly came as the brotli file the build wrote beside it (web/precompress.mjs), which
  // the local server sends to a browser that takes brotli, and it ran.
  const wasm = await page.evaluate(() => {
    const entry = performance.getEntriesByType('resource').find((resource) => resource.name.endsWith('/index.wasm'));
    return { encoded: entry.encodedBodySize, decoded: entry.decodedBodySize };
  });
  const siteDirectory = process.env.SITE || 'build/wasm/site';
  assert.equal(wasm.encoded, readFileSync(join(siteDirectory, 'index.wasm.br')).length);
  assert.equal(wasm.decoded, readFileSync(join(siteDirectory, 'index.wasm')).length);
  assert.deepEqual(problems, []);
  await page.close();
});

test('setText takes JSON or link text; a bad one changes nothing and says where', async () => {
  const { page, problems } = await openApp(suite.browser, suite.site.url + '#' + SEED_000);
  // JSON is read by the tools module, fetched now: the answer is a Promise. Seed 004's exercise,
  // 295,294 parameters (the seed document).
  const json = readFileSync(resolve('assets/examples/seed_004_fc_exercise.json'), 'utf8');
  const fromJson = await page.evaluate(async (text) => {
    const answer = window.netshape.setText(text);
    return { promise: answer instanceof Promise, result: await answer, total: window.netshape.summary().total_params };
  }, json);
  assert.deepEqual(fromJson, { promise: true, result: { ok: true }, total: 295294 });
  // Link text is read in the page's own module, and answered at once.
  const good = await page.evaluate((text) => window.netshape.setText(text), SEED_004);
  assert.equal(good.ok, true);
  assert.equal(await page.evaluate(() => window.netshape.summary().total_params), 883530); // seed 004
  // The address bar follows the design (replaceState, after the next frame).
  await until(page, (text) => location.hash === '#' + text, SEED_004);

  const bad = await page.evaluate(() => window.netshape.setText('ns1;1x28x28/conv2(32,5)'));
  assert.equal(bad.ok, false);
  assert.match(bad.error.message, /conv2/);
  // Malformed JSON: the comma missing after "linear", on the third line.
  const broken = await page.evaluate(() =>
    window.netshape.setText('{"input": [10],\n "layers": [\n  {"type": "linear" "out_features": 4}]}'));
  assert.equal(broken.ok, false);
  assert.equal(broken.error.line, 3);
  // 6 MB of a broken JSON array: more than the WebAssembly stack holds, an error all the same.
  const huge = await page.evaluate(() => window.netshape.setText('{"input": [1], "layers": [' + '1,'.repeat(3000000)));
  assert.equal(huge.ok, false);
  assert.equal(await page.evaluate(() => window.netshape.summary().total_params), 883530);
  // Past the 16 MiB input limit (README, Limits): refused with the limit, and WebAssembly memory
  // does not grow to hold it.
  const over = await page.evaluate(() => {
    const before = Module.HEAP8.buffer.byteLength;
    const result = window.netshape.setText('ns1;4/relu' + ' '.repeat(16 * 1024 * 1024));
    return { result, grown: Module.HEAP8.buffer.byteLength - before };
  });
  assert.equal(over.result.ok, false);
  assert.match(over.result.error.message, /more than 16,777,216 bytes/);
  assert.equal(over.grown, 0);
  // And a design that breaks a limit inside: 100,001 layers.
  const tooMany = await page.evaluate(() => window.netshape.setText('ns1;4' + '/relu'.repeat(100001)));
  assert.match(tooMany.error.message, /more than 100,000 layers, the limit/);
  assert.equal(await page.evaluate(() => window.netshape.summary().total_params), 883530);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a design saved with Share > Download design (.json) opens again through Edit > Import a model…', async () => {
  const { page, problems } = await openApp(suite.browser, suite.site.url + '#' + SEED_000);
  const offered = page.waitForEvent('download');
  await click(page, 'Share');
  await settled(page);
  await click(page, 'Download design (.json)');
  const download = await offered;
  const path = join(suite.artifacts, 'app-saved-design.json');
  await download.saveAs(path);
  const saved = readFileSync(path, 'utf8');
  assert.equal(JSON.parse(saved).layers.length, 7);
  // Another design meanwhile, then the saved one pasted into the import dialog.
  assert.deepEqual(await page.evaluate(() => window.netshape.setText('ns1;4/linear(2)')), { ok: true });
  await click(page, 'Edit');
  await settled(page);
  await click(page, 'Import a model...');
  await clickBox(page, '##print(model)');
  // Pasted, as a person on a computer would (the page's paste event hands the text to ImGui).
  await page.evaluate((text) => navigator.clipboard.writeText(text), saved);
  await page.keyboard.press('Control+v');
  await settled(page);
  await click(page, 'Import');
  // Seed 000 has no title: "Imported: 7 layers, 217,706 parameters."
  await until(page, () => window.netshape.texts().some((t) => t.text.startsWith('Imported: 7 layers, 217,706 parameters')));
  await page.screenshot({ path: join(suite.artifacts, 'app-saved-design-imported.png') });
  await page.keyboard.press('Escape');
  // The same design as before: seed 000's 217,706, and the same link text.
  await until(page, (text) => window.netshape.getText() === text, SEED_000);
  assert.equal(await page.evaluate(() => window.netshape.summary().total_params), 217706);
  assert.deepEqual(problems, []);
  await page.close();
});

test('edits with real mouse and keyboard input follow into the hash and the summary; Ctrl+Z undoes', async () => {
  const { page, problems } = await openApp(suite.browser, suite.site.url + '#' + SEED_000);
  // Nothing selected: Down selects the first layer; Delete removes it (the 5x5 conv).
  await page.mouse.click(640, 400); // into the canvas (the summary's empty area), for focus
  await page.keyboard.press('ArrowDown');
  await until(page, () => window.netshape.status().selected === 0);
  await page.keyboard.press('Delete');
  // Without the first conv: pool [1, 14, 14]; conv 3x3 (3·3·1 + 1)·32 = 320 → [32, 12, 12];
  // pool [32, 6, 6]; flatten 1,152; linear 1,152·256 + 256 = 295,168; linear (256 + 1)·10 = 2,570.
  const withoutConv = 320 + 295168 + 2570;
  await until(page, (total) => window.netshape.summary().total_params === total, withoutConv);
  await until(page, () => location.hash.startsWith('#ns1;1x28x28/maxpool2d(2)/conv2d(32,3)'));

  // A click on the second row of the layer list selects it (the list is in the left pane).
  const row = layerListRow(1);
  await page.mouse.click(row.x, row.y);
  await until(page, () => window.netshape.status().selected === 1);

  await page.keyboard.press('Control+z');
  await until(page, () => window.netshape.summary().total_params === 217706);
  await until(page, (text) => location.hash === '#' + text, SEED_000);
  await page.keyboard.press('Control+Shift+z');
  await until(page, (total) => window.netshape.summary().total_params === total, withoutConv);
  assert.deepEqual(problems, []);
  await page.close();
});

test('building a network with the palette and the field boxes', async () => {
  const { page, problems } = await openApp(suite.browser, suite.site.url + '#ns1;1x28x28/flatten');
  const text = () => page.evaluate(() => window.netshape.getText());
  // Select the one layer, then "+ Add layer", search "Dense" (Keras's name finds linear), Enter.
  await click(page, 'flatten_1'); // its summary row
  await until(page, () => window.netshape.status().selected === 0);
  await click(page, '+ Add layer');
  await until(page, () => window.netshape.status().typing); // the palette's search box has the keyboard
  await page.keyboard.type('Dense');
  await page.keyboard.press('ArrowDown'); // past the last match: stays on linear
  await page.keyboard.press('Enter');
  await until(page, () => window.netshape.getText() === 'ns1;1x28x28/flatten/linear').catch(async (error) => {
    await page.screenshot({ path: join(suite.artifacts, 'palette-failure.png') });
    throw error;
  });
  // The new linear layer is selected; its first field, out_features, is required.
  assert.equal((await page.evaluate(() => window.netshape.summary())).layers[1].status, 'error');
  await click(page, '##out_features');
  await until(page, () => window.netshape.status().active_widget === '##out_features');
  await page.keyboard.type('10');
  // 28·28 = 784 inputs: 784·10 + 10 = 7,850 parameters.
  await until(page, () => window.netshape.summary().total_params === 7850);
  assert.equal(await text(), 'ns1;1x28x28/flatten/linear(10)');
  // One undo step for the typing, one for the insertion. A click outside the box gives the
  // keyboard back to the app (Ctrl+Z in a box undoes its own text, as in any text field).
  await page.mouse.click(640, 300);
  await until(page, () => !window.netshape.status().typing);
  await page.keyboard.press('Control+z');
  await until(page, () => window.netshape.getText() === 'ns1;1x28x28/flatten/linear');
  await page.keyboard.press('Control+z');
  await until(page, () => window.netshape.getText() === 'ns1;1x28x28/flatten');
  // The palette by keyboard: "conv2d" matches conv2d, conv_transpose2d (Keras's Conv2DTranspose),
  // depthwise_conv2d and separable_conv2d, in the catalog's order; Down, Down, Up is the second.
  await click(page, '+ Add layer');
  await until(page, () => window.netshape.status().typing);
  await page.keyboard.type('conv2d');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await until(page, () => window.netshape.getText() === 'ns1;1x28x28/flatten/conv_transpose2d').catch(async (error) => {
    await page.screenshot({ path: join(suite.artifacts, 'palette-failure.png') });
    throw error;
  });
  assert.deepEqual(problems, []);
  await page.close();
});

test('typing and pasting in the text pane edit the design', async () => {
  const { page, problems } = await openApp(suite.browser, suite.site.url + '#ns1;10/linear(4)');
  // ImGui acts on a click in its next frame: click the "Text" tab, then into the text box, until
  // the box has the keyboard.
  for (let attempt = 0; attempt < 10 && !(await page.evaluate(() => window.netshape.status().typing)); attempt++) {
    await click(page, 'Text');
    await page.waitForTimeout(100 * (attempt + 1));
    await click(page, '##text');
    await page.waitForTimeout(100 * (attempt + 1));
  }
  assert.equal(await page.evaluate(() => window.netshape.status().typing), true);
  await page.keyboard.press('Control+End');
  await page.keyboard.type('/linear(5)');
  // linear 10→4: 44; linear 4→5: 4·5 + 5 = 25.
  await until(page, () => window.netshape.summary().total_params === 44 + 25);
  // Paste (the page's paste event hands the text to ImGui): relu adds no parameters.
  await page.evaluate(() => navigator.clipboard.writeText('/relu'));
  await page.keyboard.press('Control+v');
  await until(page, () => window.netshape.getText() === 'ns1;10/linear(4)/linear(5)/relu');
  await page.keyboard.type('(');
  await until(page, () => window.netshape.status().text_error !== null);
  assert.equal(await page.evaluate(() => window.netshape.summary().total_params), 69); // the design stays
  assert.deepEqual(problems, []);
  await page.close();
});

test('"Copy link" copies a link that opens the same design elsewhere; "Copy embed code" an iframe', async () => {
  const { page, problems } = await openApp(suite.browser, suite.site.url + '#' + SEED_004);
  const popups = (count) => until(page, (n) => window.netshape.status().popups_open === n, count);
  // The Share menu in the menu bar, then its first item (found by their labels).
  await click(page, 'Share');
  await popups(1);
  await click(page, 'Copy link');
  await until(page, async () => (await navigator.clipboard.readText()).includes('#ns1;'));
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(link, suite.site.url + '#' + SEED_004);

  const elsewhere = await openApp(suite.browser, link);
  assert.equal(await elsewhere.page.evaluate(() => window.netshape.summary().total_params), 883530);
  await elsewhere.page.close();

  // Share > Embed in a page…: "edit its text", then the dialog's own Copy embed code.
  await click(page, 'Share');
  await popups(1);
  await click(page, 'Embed in a page...');
  await settled(page); // the dialog has appeared
  await click(page, 'edit its text');
  await until(page, () => window.netshape.widgets().some((w) => w.label === 'Copy embed code##dialog'));
  await settled(page);
  await click(page, 'Copy embed code##dialog');
  await until(page, async () => (await navigator.clipboard.readText()).startsWith('<iframe'));
  const code = await page.evaluate(() => navigator.clipboard.readText());
  // The theme on screen travels with it (the reader's system setting is a choice in the dialog).
  assert.ok(code.startsWith(`<iframe src="${suite.site.url}?embed&amp;edit&amp;theme=`), code);
  assert.match(code, /netshape:height/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('back and forward load the design of each history entry', async () => {
  const { page, problems } = await openApp(suite.browser, suite.site.url + '#' + SEED_000);
  await page.evaluate((text) => { location.hash = text; }, SEED_004); // a person's navigation
  await until(page, () => window.netshape.summary().total_params === 883530);
  await page.goBack();
  await until(page, () => window.netshape.summary().total_params === 217706);
  await page.goForward();
  await until(page, () => window.netshape.summary().total_params === 883530);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a broken hash shows its error, keeps the design, and never becomes HTML', async () => {
  const { page, problems } = await openApp(suite.browser, suite.site.url + '#' + SEED_000);
  const hostile = 'ns1;1x28x28/conv2d(32,5)/<img src=x onerror="window.pwned=1">';
  await page.evaluate((text) => { location.hash = encodeURIComponent(text); }, hostile);
  await until(page, () => window.netshape.status().hash_error !== null);
  assert.equal(await page.evaluate(() => window.netshape.summary().total_params), 217706);
  assert.equal(await page.locator('img:not(#snapshot)').count(), 0); // (the page's own: an embed's last frame)
  assert.equal(await page.evaluate(() => window.pwned), undefined);

  // Opened directly, a broken link shows the default design and the error.
  const fresh = await openApp(suite.browser, suite.site.url + '#ns1;1x28x28/conv2(32,5)');
  const status = await fresh.page.evaluate(() => window.netshape.status());
  assert.match(status.hash_error, /conv2/);
  assert.equal(await fresh.page.evaluate(() => window.netshape.summary().total_params), 217706); // the default, seed 000
  assert.deepEqual(problems, []);
  assert.deepEqual(fresh.problems, []);
  await page.close();
  await fresh.page.close();
});

test('a link with 100,000 layers (the most a link may hold) opens and stays editable', async () => {
  const { page, problems } = await openApp(suite.browser, suite.site.url + '#ns1;10/100*(1000*(linear(10)))');
  assert.equal(await page.evaluate(() => window.netshape.status().layers), 100000);
  // The screen-reader table stops at 2,000 rows and says how many more there are.
  await until(page, () => document.querySelectorAll('#summary-mirror tr').length === 1 + 2000 + 1);
  await page.mouse.move(640, 300);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Delete');
  await until(page, () => window.netshape.status().layers === 99999, undefined, 60000);
  assert.deepEqual(problems, []);
  await page.close();
});

test('embed mode in an iframe reports its height to the parent page', async () => {
  const page = await suite.browser.newPage({ viewport: { width: 900, height: 700 } });
  await page.goto(suite.site.url + 'missing-page-for-a-parent'); // any page of the same origin
  const heights = await page.evaluate(async (src) => {
    document.body.innerHTML = '';
    const seen = [];
    window.addEventListener('message', (event) => {
      if (event.data && event.data.type === 'netshape:height') seen.push(event.data.height);
    });
    const frame = document.createElement('iframe');
    frame.src = src;
    frame.style.width = '800px';
    frame.style.height = '300px';
    document.body.appendChild(frame);
    for (let i = 0; i < 200 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const api = frame.contentWindow.netshape;
    return { seen, embed: api.status().embed, total: api.summary().total_params };
  }, suite.site.url + '?embed&hide=macs#' + SEED_000);
  assert.equal(heights.embed, true);
  assert.equal(heights.total, 217706);
  assert.ok(heights.seen.length > 0, 'no height message');
  // Title row, 1 input + 7 layer rows and the totals: more than 200 and less than 1,000 CSS pixels.
  assert.ok(heights.seen.at(-1) > 200 && heights.seen.at(-1) < 1000, `height ${heights.seen.at(-1)}`);
  await page.close();
});

test('the canvas follows the pixel ratio (HiDPI), and again when it changes', async () => {
  const { page, problems } = await openApp(suite.browser, suite.site.url + '#' + SEED_000);
  const size = () => page.evaluate(() => {
    const canvas = document.getElementById('canvas');
    return { width: canvas.width, css: canvas.getBoundingClientRect().width, ratio: window.netshape.status().pixel_ratio };
  });
  assert.deepEqual(await size(), { width: 1280, css: 1280, ratio: 1 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 800, deviceScaleFactor: 2, mobile: false });
  // The emulation changes devicePixelRatio without any event (no resize, no media query change,
  // no ResizeObserver), where a real zoom fires resize and a move to another screen the media
  // query. The app reads the ratio on every frame it draws, so any wake-up finds it: a mouse move.
  await page.mouse.move(200, 200);
  await until(page, () => window.netshape.status().pixel_ratio === 2);
  assert.deepEqual(await size(), { width: 2560, css: 1280, ratio: 2 }); // canvas pixels = CSS size × ratio
  assert.equal(await page.evaluate(() => window.netshape.summary().total_params), 217706);
  await cdp.send('Emulation.clearDeviceMetricsOverride');
  assert.deepEqual(problems, []);
  await page.close();
});

test('an idle page asks for no animation frames at all', async () => {
  // Counts requestAnimationFrame calls and the callbacks that run, not only the frames drawn: a
  // main loop that draws nothing but still runs every frame costs a laptop's battery.
  const { page, problems } = await openApp(suite.browser, suite.site.url + '#' + SEED_000, () => {
    const original = window.requestAnimationFrame.bind(window);
    window.animationFrames = { requested: 0, run: 0 };
    window.requestAnimationFrame = (callback) => {
      window.animationFrames.requested++;
      return original((time) => { window.animationFrames.run++; callback(time); });
    };
  });
  await until(page, () => window.netshape.status().loop_running === false); // the frames after loading
  const frames = await page.evaluate(() => window.netshape.status().frames_drawn);
  const idle = await page.evaluate(() => ({ ...window.animationFrames }));
  await page.waitForTimeout(1000);
  assert.deepEqual(await page.evaluate(() => window.animationFrames), idle);
  assert.equal(await page.evaluate(() => window.netshape.status().frames_drawn), frames);
  await page.mouse.move(300, 300); // input wakes it, and it goes idle again after
  await until(page, (before) => window.netshape.status().frames_drawn > before, frames);
  await until(page, () => window.netshape.status().loop_running === false);
  const again = await page.evaluate(() => ({ ...window.animationFrames }));
  assert.ok(again.run > idle.run);
  await page.waitForTimeout(500);
  assert.deepEqual(await page.evaluate(() => window.animationFrames), again);
  // A hash change wakes it too, and the design follows.
  await page.evaluate(() => { location.hash = 'ns1;4/linear(3)'; });
  await until(page, () => window.netshape.summary().total_params === 15); // (4 + 1)·3
  assert.deepEqual(problems, []);
  await page.close();
});

test('the embed view\'s "Open in netshape" opens the full editor with the design', async () => {
  const { page, problems } = await openApp(suite.browser, suite.site.url + '?embed&theme=light#' + SEED_000);
  await page.evaluate(() => { window.open = (url) => { window.openedUrl = url; return null; }; });
  await click(page, 'Open in netshape'); // at the right end of the title row
  await until(page, () => window.openedUrl !== undefined);
  assert.equal(await page.evaluate(() => window.openedUrl), suite.site.url + '?theme=light#' + SEED_000);
  assert.deepEqual(problems, []);
  await page.close();
});

test('in an iframe, a click gives the embed the keyboard (embed&edit)', async () => {
  const page = await suite.browser.newPage({ viewport: { width: 900, height: 700 } });
  await page.goto(suite.site.url + 'missing-page-for-a-parent');
  await page.evaluate((src) => {
    document.body.innerHTML = '';
    document.body.style.margin = '0';
    const frame = document.createElement('iframe');
    frame.src = src;
    frame.style.cssText = 'width:800px;height:500px;border:0;display:block';
    document.body.appendChild(frame);
    window.theFrame = frame;
  }, suite.site.url + '?embed&edit#ns1;10/linear(4)');
  const frame = () => page.frames().find((f) => f.url().includes('embed'));
  await until(page, () => window.theFrame.contentWindow.netshape !== undefined);
  await frame().evaluate(() => window.netshape.ready);
  // The text box sits under the title row; click into it until it has the keyboard.
  for (let attempt = 0; attempt < 10 && !(await frame().evaluate(() => window.netshape.status().typing)); attempt++) {
    await page.mouse.click(200, 60);
    await page.waitForTimeout(100 * (attempt + 1));
  }
  await page.keyboard.press('Control+End');
  await page.keyboard.type('/relu');
  await until(frame(), () => window.netshape.getText() === 'ns1;10/linear(4)/relu');
  await page.close();
});

test('the canvas shows the interface (a screenshot that is not blank)', async () => {
  const { page, problems } = await openApp(suite.browser, suite.site.url + '#' + SEED_000);
  await page.screenshot({ path: join(suite.artifacts, 'app.png') });
  const colours = await canvasColours(page);
  assert.ok(colours > 20, `only ${colours} colours on the canvas`);
  assert.deepEqual(problems, []);
  await page.close();
});

// Where row `index` of the layer list is, in CSS pixels, on the default layout at 1280x800: the
// list starts under the "+ Add layer" button in the left pane, one text line (21 px) per row.
function layerListRow(index) {
  return { x: 120, y: 190 + 21 * index };
}
