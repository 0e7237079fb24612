// Shared by the end-to-end test files: the release bundle (dist/, built by
// `trunk build --release`) served on 127.0.0.1 and driven in Debian's
// headless Chromium, and the helpers that look at what it drew.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

export const SHOTS = 'target/e2e';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
];

/** The server and browser of a test file, started before its tests and closed after. */
export const lab = { server: null, browser: null };

before(async () => {
  assert.ok(existsSync('dist/index.html'), 'dist/ is missing: run `trunk build --release` first');
  mkdirSync(SHOTS, { recursive: true });
  lab.server = await startServer('dist');
  lab.browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

after(async () => {
  await lab.browser?.close();
  await lab.server?.close();
});

/** Watches a page for console errors, uncaught exceptions and failed requests. */
export function watch(page) {
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e}`));
  // A request cut short by a reload (net::ERR_ABORTED) is the navigation's doing, not a failure.
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  return problems;
}

/**
 * Opens the lab at `query`, collecting console errors and uncaught exceptions.
 * The service worker is blocked: each test sees the page as served, not a
 * cached copy (tests/e2e/offline.test.mjs lets it run).
 */
export async function openLab(query = '', viewport = { width: 1360, height: 900 }, init = null) {
  const page = await lab.browser.newPage({ viewport, deviceScaleFactor: 2, serviceWorkers: 'block' });
  const problems = watch(page);
  if (init) await page.addInitScript(init);
  await page.goto(`${lab.server.url}/${query}`);
  await page.waitForSelector('#status[data-state="ready"]', { timeout: 20_000 });
  return { page, problems };
}

/**
 * Records the page's animation frames, its main-thread tasks over 50 ms and
 * the moments `selector` changes (its text, or the attributes named in
 * `attributes`, below it: a chart update) in `window.__perf`.
 */
export const recordFrames = (page, selector, attributes = null) => page.evaluate(([selector, attributes]) => {
  window.__perf = { longTasks: [], frames: [], updates: [] };
  new MutationObserver(() => window.__perf.updates.push(performance.now())).observe(document.querySelector(selector),
    attributes ? { attributes: true, attributeFilter: attributes, subtree: true } : { subtree: true, childList: true, characterData: true });
  new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__perf.longTasks.push([e.startTime, e.duration])))
    .observe({ type: 'longtask', buffered: false });
  const frame = (t) => { window.__perf.frames.push(t); requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
}, [selector, attributes]);

/**
 * What `recordFrames` saw since `t0` (the page's clock): frames a second,
 * the worst gap between two frames, the longest task that ran after `t0`
 * (the page's start, before it, is not what is measured), updates a second,
 * and the lab's epoch now.
 */
export const frameStats = (page, t0) => page.evaluate((t0) => {
  const done = performance.now();
  const frames = window.__perf.frames.filter((t) => t >= t0 && t <= done);
  const gaps = frames.slice(1).map((t, i) => t - frames[i]);
  const updates = window.__perf.updates.filter((t) => t >= t0).length;
  return { fps: frames.length / ((done - t0) / 1000), worstGap: Math.max(0, ...gaps),
    longest: Math.max(0, ...window.__perf.longTasks.filter(([start, d]) => start + d >= t0).map(([, d]) => d)), updateRate: updates / ((done - t0) / 1000),
    epoch: Number(document.querySelector('#epoch').textContent) };
}, t0);

export const epochOf = (page) => page.$eval('#epoch', (el) => Number(el.textContent));

/**
 * Resolves once the draws a render asked for have run: charts draw in a
 * task after the next animation frame (`after_frame`), so a canvas read
 * right after the DOM changed could see the previous picture. Two frames,
 * each followed by a zero-delay task, come after any draw set before.
 */
export function drawsDone(page) {
  return page.evaluate(() => new Promise((done) => {
    const frameThenTask = (then) => requestAnimationFrame(() => setTimeout(then, 0));
    frameThenTask(() => frameThenTask(done));
  }));
}

/**
 * Counts the canvas's pixels near `rgb` (within `tol` per channel): proof
 * that something of that colour was drawn, not merely that the canvas exists.
 */
export async function countColour(page, selector, rgb, tol = 40) {
  await drawsDone(page);
  return page.$eval(selector, (canvas, [rgb, tol]) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - rgb[0]) <= tol && Math.abs(data[i + 1] - rgb[1]) <= tol
        && Math.abs(data[i + 2] - rgb[2]) <= tol) n++;
    }
    return n;
  }, [rgb, tol]);
}

/** Waits (up to 5 s) until the canvas has more than `min` pixels near `rgb`: charts draw a moment after the data. */
export async function drawnSoon(page, selector, rgb, tol, min) {
  for (let i = 0; i < 50; i++) {
    if (await countColour(page, selector, rgb, tol) > min) return true;
    await page.waitForTimeout(100);
  }
  return false;
}

export const BLUE = [16, 100, 170];
export const ORANGE = [230, 120, 20];

/** Types `value` into a number field and commits it, as leaving the field does. */
export async function setField(page, selector, value) {
  await page.fill(selector, String(value));
  await page.$eval(selector, (el) => el.dispatchEvent(new Event('change', { bubbles: true })));
}

/** The link's value of `key`, or null. */
export const linkValue = (page, key) => new URL(page.url()).searchParams.get(key);

/** The status of a run that ended: finished, stopped early or diverged. */
export const ENDED = ['finished', 'stopped', 'diverged'].map((s) => `#status[data-state="${s}"]`).join(', ');

/**
 * The lesson files, as far as the tests need them: each lesson's id and,
 * per step, its title, set-up and tasks (the check after the last `|`,
 * the `try:` and `wrong:` experiments).
 */
export function lessonFiles() {
  return readdirSync('lessons').filter((f) => f.endsWith('.lesson')).sort().map((file) => {
    const lesson = { id: '', steps: [] };
    for (const line of readFileSync(`lessons/${file}`, 'utf8').split('\n')) {
      const at = line.indexOf(':');
      if (at < 0) continue;
      const [key, value] = [line.slice(0, at), line.slice(at + 1).trim()];
      const step = lesson.steps.at(-1);
      if (key === 'lesson') lesson.id = value;
      if (key === 'step') lesson.steps.push({ title: value, setup: '', tasks: [] });
      if (key === 'setup') step.setup = value;
      if (key === 'task') step.tasks.push({ check: value.slice(value.lastIndexOf('|') + 1).trim(), tries: [], wrong: [] });
      if (key === 'try') step.tasks.at(-1).tries.push(value);
      if (key === 'wrong') step.tasks.at(-1).wrong.push(value);
    }
    return lesson;
  });
}
