// End-to-end benchmark (reported, not asserted: issue 16's goals are
// measured, not timed in a test): what the first view downloads and how long
// until its first chart, on localhost and through an emulated "Fast 3G" link
// (Chrome DevTools' preset: 562.5 ms of latency a request, 1.44 Mbit/s down),
// the bundle served as a host with precompressed files serves it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lab, watch } from './lab.mjs';
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
  const server = await startServer('dist', { link, sent: (path, bytes) => sent.set(path, (sent.get(path) ?? 0) + bytes) });
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
    return { ms, bytes, files: [...sent.keys()].length };
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
  assert.ok(local.bytes > 0 && slow.bytes === local.bytes, 'the same files both ways');
});
