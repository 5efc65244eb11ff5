// What the browser tests and the web benchmark share: the site's server, Debian's Chromium with
// the flags that work headless here, and a page of the app that is ready to use.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { serve } from '../../.ci/serve.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// Headless Chromium as root in a closed network: no sandbox, WebGL2 through SwiftShader, and no
// background networking (which would flood the closed network with refused connections).
export const CHROMIUM_FLAGS = [
  '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-gpu-sandbox',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-quic',
];

export function serveSite(directory) {
  return serve(directory, 0);
}

export async function launchBrowser(userDataDir) {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 800 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  return context;
}

// A test file's site: served before its tests, closed after them (SITE, default
// build/wasm/site; screenshots go to ARTIFACTS, default build/browser-tests). Its tests launch
// their own browsers (devices); browserSuite launches one for all of them.
export function siteSuite() {
  const suite = { site: null, artifacts: resolve(process.env.ARTIFACTS || 'build/browser-tests') };
  before(async () => {
    mkdirSync(suite.artifacts, { recursive: true });
    suite.site = await serveSite(process.env.SITE || 'build/wasm/site');
  });
  after(() => suite.site?.server.close());
  return suite;
}

// A test file's site and desktop browser, launched before its tests and closed after them.
export function browserSuite() {
  const suite = siteSuite();
  suite.browser = null;
  before(async () => {
    suite.browser = await launchBrowser(mkdtempSync(join(tmpdir(), 'netshape-chromium-')));
  });
  after(async () => {
    await suite.browser?.close();
  });
  return suite;
}

// Opens `url` and waits for the first frame. `problems` collects page errors and console errors
// (a test expects it empty).
// `init`, when given, runs in the page before any of its scripts (page.addInitScript).
export async function openApp(context, url, init) {
  const page = await context.newPage();
  if (init) await page.addInitScript(init);
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  await until(page, () => window.netshape !== undefined);
  await page.evaluate(() => window.netshape.ready);
  return { page, problems };
}

// Polls `predicate(arg)` in the page until it is true. (Playwright's waitForFunction evaluates
// strings in the page, which the app's Content Security Policy rightly refuses.)
export async function until(page, predicate, arg, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await page.evaluate(predicate, arg)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${predicate.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

// The centre of the widget labelled `label`, once it is on screen.
export async function widget(page, label) {
  await until(page, (wanted) => window.netshape.widgets().some((w) => w.label === wanted), label);
  const found = await page.evaluate((wanted) => window.netshape.widgets().find((w) => w.label === wanted), label);
  return { x: found.x + found.w / 2, y: found.y + found.h / 2 };
}

export async function click(page, label) {
  const at = await widget(page, label);
  await page.mouse.click(at.x, at.y);
}

// Clicks a text box until it has the keyboard (ImGui acts on a click in its next frame).
export async function clickBox(page, label) {
  for (let attempt = 0; attempt < 10; attempt++) {
    await click(page, label);
    try {
      await until(page, (wanted) => window.netshape.status().active_widget === wanted, label, 1000);
      return;
    } catch { /* once more */ }
  }
  throw new Error(`the box ${label} did not take the keyboard`);
}

// Runs `body`; when it fails, the page's screenshot goes to ARTIFACTS as NAME-failure.png.
export async function screenshotOnFailure(page, name, body) {
  try {
    await body();
  } catch (error) {
    await page.screenshot({ path: join(resolve(process.env.ARTIFACTS || 'build/browser-tests'), `${name}-failure.png`) });
    throw error;
  }
}

// Until the app has drawn what followed the last input and gone idle.
export async function settled(page) {
  // The main loop pauses once the frames an event asked for are drawn (web/browser_main.cpp).
  await until(page, () => window.netshape.status().loop_running === false);
}

// A browser context that is a device: a phone's or tablet's viewport, pixel ratio and touch screen
// (isMobile: the page is laid out as a phone lays it out, with its meta viewport).
export async function launchDevice(device) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  const context = await browser.newContext(device);
  context.closeBrowser = () => browser.close();
  return context;
}

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
export const TABLET = { viewport: { width: 820, height: 1180 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
// A 1280×800 laptop at 150 % zoom: Chromium lays the page out in 853×533 CSS pixels, 1.5 device
// pixels each, as it does for zoom.
export const ZOOMED_LAPTOP = { viewport: { width: 853, height: 533 }, deviceScaleFactor: 1.5 };

// How many colours the app's canvas shows (a blank one has one or two): read in the same task that
// draws a frame, since a WebGL canvas's buffer is cleared once it is shown. `target`: a page or a
// frame.
export async function canvasColours(target) {
  return (await pictureColours(target)).colours;
}

// What a picture shows: how many colours a sample of its pixels has, its size, and its top-left
// pixel as #rrggbb. The picture: a PNG file's bytes (`png`, a Buffer), decoded by the browser, or
// else the app's canvas.
export async function pictureColours(target, png) {
  return target.evaluate(async (base64) => {
    let source = document.getElementById('canvas');
    if (base64) source = await createImageBitmap(new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))]));
    else window.netshape.benchmarkFrames(1); // and drawn into the copy below in the same task
    const copy = document.createElement('canvas');
    copy.width = source.width;
    copy.height = source.height;
    const context = copy.getContext('2d');
    context.drawImage(source, 0, 0);
    const pixels = context.getImageData(0, 0, copy.width, copy.height).data;
    const seen = new Set();
    for (let i = 0; i < pixels.length; i += 4 * 97) seen.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
    const corner = '#' + [0, 1, 2].map((k) => pixels[k].toString(16).padStart(2, '0')).join('');
    return { colours: seen.size, width: copy.width, height: copy.height, corner };
  }, png ? png.toString('base64') : null);
}
