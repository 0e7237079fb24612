// End-to-end benchmark (reported, not asserted: issue 16's goals are
// measured, not timed in a test): what the first view downloads and how long
// until its first chart, on localhost and through an emulated "Fast 3G" link
// (Chrome DevTools' preset: 562.5 ms of latency a request, 1.44 Mbit/s down),
// the bundle served as a host with precompressed files serves it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lab, openLab, watch } from './lab.mjs';
import { startServer } from './server.mjs';

/** The first chart: the first frame after the lab says it is ready (the data view drawn). */
const MARK = () => {
  new MutationObserver((_, observer) => {
    if (document.querySelector('#status[data-state="ready"]')) {
      observer.disconnect();
      requestAnimationFrame(() => { window.__firstChart = performance.now(); });
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
};

async function firstView(link) {
  const sent = new Map();
  const times = new Map(); // path → [asked, done] of its first response
  const server = await startServer('dist', {
    link,
    sent: (path, bytes, asked, done) => {
      sent.set(path, (sent.get(path) ?? 0) + bytes);
      if (!times.has(path)) times.set(path, [asked, done]);
    },
  });
  const context = await lab.browser.newContext({ serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    const problems = watch(page);
    await page.addInitScript(MARK);
    await page.goto(`${server.url}/?v=1`);
    await page.waitForFunction(() => window.__firstChart !== undefined, null, { timeout: 120_000 });
    const ms = await page.evaluate(() => window.__firstChart);
    assert.deepEqual(problems, []);
    const bytes = [...sent.values()].reduce((a, b) => a + b, 0);
    // The icon is fetched whenever the browser gets to it, before or after the first chart.
    const needed = [...sent].filter(([path]) => !path.includes('favicon')).reduce((a, [, b]) => a + b, 0);
    return { ms, bytes, needed, files: [...sent.keys()].length, times };
  } finally {
    await context.close();
    await server.close();
  }
}

test('the first view: its download and its first chart, on localhost and on Fast 3G', async () => {
  const local = await firstView(null);
  const slow = await firstView({ latencyMs: 562.5, bytesPerSecond: 180_000 });
  console.log(`# first view: ${(local.bytes / 1024).toFixed(0)} KB in ${local.files} files (Brotli where accepted); ` +
    `first chart after ${local.ms.toFixed(0)} ms on localhost, ${(slow.ms / 1000).toFixed(2)} s on Fast 3G`);
  assert.ok(local.needed > 0 && slow.needed === local.needed, 'the same files both ways');
});

/**
 * Serves the bundle counting the bytes sent of each file, opens a page in
 * a fresh context, runs `body(page, url, study)` — `url` the server's,
 * `study()` the study worker's files sent so far as `[path, bytes]` — and
 * checks nothing else went wrong.
 */
async function countingStudy(body) {
  const sent = new Map();
  const server = await startServer('dist', { sent: (path, bytes) => sent.set(path, (sent.get(path) ?? 0) + bytes) });
  const context = await lab.browser.newContext({ serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    const problems = watch(page);
    await body(page, server.url, () => [...sent].filter(([path]) => /\/study(_bg\.wasm|\.js)$/.test(path)));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.close();
  }
}

test("the study worker's code downloads when the search lab opens, not with the first view", async () => {
  await countingStudy(async (page, url, study) => {
    await page.addInitScript(MARK);
    await page.goto(`${url}/?v=1&ep=5`);
    await page.waitForFunction(() => window.__firstChart !== undefined, null, { timeout: 20_000 });
    await page.click('#step');
    await page.waitForFunction(() => Number(document.querySelector('#epoch').textContent) === 1);
    assert.deepEqual(study(), [], 'the first view and a trained epoch download none of it');
    await page.click('#open-search');
    await page.click('#search-run');
    await page.waitForSelector('#search-status[data-phase="done"]', { timeout: 60_000 });
    const files = study();
    assert.deepEqual(files.map(([path]) => path.replace(/^.*\//, '')).sort(), ['study.js', 'study_bg.wasm']);
    const trials = await page.$$eval('#trials tbody tr', (r) => r.length);
    assert.ok(trials > 0, 'the search, coordinated by the study worker, ran its trials');
    console.log(`# the study worker: ${(files.reduce((a, [, b]) => a + b, 0) / 1024).toFixed(0)} KB, downloaded when the search lab opened (${trials} trials run)`);
  });
});

test("a figure's buttons start the study worker's download when pointed at, before the press", async () => {
  await countingStudy(async (page, url, study) => {
    await page.goto(`${url}/?v=1&ep=5`);
    await page.waitForSelector('#status[data-state="ready"]');
    const module = () => study().filter(([path]) => path.endsWith('_bg.wasm')).length;
    await page.hover('#loss-svg');
    await page.waitForTimeout(300);
    assert.equal(module(), 0, 'not while there is nothing to draw (the buttons are disabled)');
    await page.click('#step');
    await page.waitForSelector('#loss-svg:not([disabled])');
    await page.mouse.move(0, 0);
    await page.hover('#loss-svg');
    const t0 = Date.now();
    while (module() === 0 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50));
    assert.equal(module(), 1, 'pointing at the pressable buttons downloads the worker that draws the figure');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#loss-svg')]);
    assert.equal(download.suggestedFilename(), 'hyperlab-loss.svg');
  });
});

test('on a slow link the worker downloads while the page module does, its module while its glue does', async () => {
  const { times } = await firstView({ latencyMs: 562.5, bytesPerSecond: 180_000 });
  const find = (pattern) => {
    const hits = [...times].filter(([path]) => pattern.test(path));
    assert.equal(hits.length, 1, `one response for ${pattern}, got ${hits.map(([p]) => p)}`);
    return hits[0][1];
  };
  const [, pageModuleDone] = find(/\/app-[^/]*_bg\.wasm$/);
  const [loaderAsked] = find(/\/worker_loader\.js$/);
  const [, glueDone] = find(/\/worker\.js$/);
  const [moduleAsked] = find(/\/worker_bg\.wasm$/);
  const t0 = Math.min(...[...times.values()].map(([asked]) => asked));
  console.log(`# slow link: the worker's loader asked for at ${(loaderAsked - t0).toFixed(0)} ms, the page's module ` +
    `done at ${(pageModuleDone - t0).toFixed(0)} ms; the worker's module asked for at ${(moduleAsked - t0).toFixed(0)} ms, ` +
    `its glue done at ${(glueDone - t0).toFixed(0)} ms`);
  assert.ok(loaderAsked < pageModuleDone, 'the worker starts before the page module has arrived');
  assert.ok(moduleAsked < glueDone, "the worker's module is asked for before its glue has arrived");
});

test('on a slow link the page says at once that the lab is loading, and the line goes when the lab is there', async () => {
  const server = await startServer('dist', { link: { latencyMs: 562.5, bytesPerSecond: 180_000 } });
  const context = await lab.browser.newContext({ serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${server.url}/?v=1`, { waitUntil: 'commit' });
    await page.waitForSelector('#boot', { state: 'visible' });
    assert.match(await page.textContent('#boot'), /Loading the lab/);
    assert.equal(await page.$('#status'), null, 'the loading line shows before the lab has started');
    const paint = await page.evaluate(() => new Promise((ok) => new PerformanceObserver((l, o) => {
      const fcp = l.getEntries().find((e) => e.name === 'first-contentful-paint');
      if (fcp) { o.disconnect(); ok(fcp.startTime); }
    }).observe({ type: 'paint', buffered: true })));
    await page.waitForSelector('#status[data-state="ready"]', { timeout: 120_000 });
    const ready = await page.evaluate(() => performance.now());
    assert.equal(await page.$('#boot'), null, 'the loading line is gone once the lab is there');
    console.log(`# slow link: first paint (the loading line) at ${(paint / 1000).toFixed(2)} s, the lab ready at ${(ready / 1000).toFixed(2)} s`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.close();
  }
});

test("the page's start shows the lab part by part: the header, then the controls, the data view, the loss panel, the network view", async () => {
  // Each part's first appearance, numbered by the DOM changes' batch it came in
  // (a MutationObserver's callback: one per render that changed the page).
  const { page, problems } = await openLab('?data=spiral', undefined, () => {
    const parts = { header: 'header.top', controls: '.panel.controls', data: '.data-panel canvas', loss: '.loss-panel canvas', network: '#network' };
    window.__parts = {};
    let batch = 0;
    new MutationObserver(() => {
      batch += 1;
      for (const [name, selector] of Object.entries(parts)) {
        if (!(name in window.__parts) && document.querySelector(selector)) window.__parts[name] = batch;
      }
    }).observe(document, { subtree: true, childList: true });
  });
  await page.waitForSelector('#network');
  const seen = await page.evaluate(() => window.__parts);
  const order = ['header', 'controls', 'data', 'loss', 'network'];
  assert.deepEqual(Object.keys(seen).sort(), [...order].sort(), `every part seen: ${JSON.stringify(seen)}`);
  for (let i = 1; i < order.length; i++) {
    assert.ok(seen[order[i - 1]] < seen[order[i]], `${order[i - 1]} before ${order[i]}, in a render of its own: ${JSON.stringify(seen)}`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});
