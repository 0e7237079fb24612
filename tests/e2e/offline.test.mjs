// End-to-end: the lab after one visit needs no network. The service worker
// caches the bundle and the data files; offline, a reload opens the lab and
// it trains the spiral and a bundled data set, and runs a search (its study
// worker first loaded offline). A new version waits for the
// next visit. The manifest and its icons make the lab installable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { ENDED, epochOf, lab, watch } from './lab.mjs';
import { startServer } from './server.mjs';

/** Writes a file of a new build on the host, with its precompressed copies (as the build does). */
function publish(root, name, text) {
  writeFileSync(join(root, name), text);
  writeFileSync(join(root, `${name}.br`), brotliCompressSync(text));
  writeFileSync(join(root, `${name}.gz`), gzipSync(text));
}

/** A page in a fresh context whose service worker runs, at `url`. */
async function visit(context, url) {
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(url);
  await page.waitForSelector('#status[data-state="ready"]', { timeout: 20_000 });
  return { page, problems };
}

async function trainToEnd(page, epochs) {
  await page.selectOption('#pace', { label: 'Maximum' });
  await page.click('#train');
  await page.waitForSelector(ENDED, { timeout: 60_000 });
  assert.equal(await epochOf(page), epochs);
}

test('after one visit the lab opens, trains and searches offline: the spiral, a bundled data set, a search', async () => {
  // Served from a subfolder, as from any static host.
  const root = mkdtempSync(join(tmpdir(), 'hyperlab-offline-'));
  cpSync('dist', join(root, 'course', 'lab'), { recursive: true });
  const server = await startServer(root);
  const context = await lab.browser.newContext({ viewport: { width: 1360, height: 900 } });
  try {
    const base = `${server.url}/course/lab/`;
    const { page, problems } = await visit(context, `${base}?v=1&ep=30`);
    await page.waitForSelector('html[data-offline="ready"]', { timeout: 30_000 });
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const cache = await caches.open(names[0]);
      return { names, urls: (await cache.keys()).map((r) => new URL(r.url).pathname) };
    });
    assert.equal(cached.names.length, 1, 'one cache for this lab');
    const files = ['/course/lab/', '/course/lab/worker_bg.wasm', '/course/lab/worker_loader.js', '/course/lab/study_bg.wasm',
      '/course/lab/study.js', '/course/lab/data/iris.csv'];
    for (const file of files) {
      assert.ok(cached.urls.includes(file), `${file} is cached: ${cached.urls}`);
    }
    assert.ok(cached.urls.some((u) => /\/app-[0-9a-f]+_bg\.wasm$/.test(u)), 'the page module is cached');

    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('#status[data-state="ready"]', { timeout: 20_000 });
    assert.equal(await page.evaluate(() => navigator.onLine), false, 'the browser is offline');
    await trainToEnd(page, 30);
    // A bundled set: the worker's fetch of data/iris.csv is answered from the cache.
    await page.goto(`${base}?v=1&data=iris&ep=20`);
    await page.waitForSelector('#status[data-state="ready"]', { timeout: 20_000 });
    await trainToEnd(page, 20);
    // A search: the study worker, never started while online, loads from the cache.
    await page.goto(`${base}?v=1&ep=5&search=random&trials=4&space=lr:log:0.01:1`);
    await page.waitForSelector('#status[data-state="ready"]', { timeout: 20_000 });
    await page.click('#search-run');
    await page.waitForSelector('#search-status[data-phase="done"]', { timeout: 30_000 });
    assert.equal(await page.$$eval('#trials tbody tr', (r) => r.length), 4);
    await page.screenshot({ path: 'target/e2e/offline.png' });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('a new version waits for the next visit: the open lab keeps running the one it started with', async () => {
  const root = mkdtempSync(join(tmpdir(), 'hyperlab-update-'));
  cpSync('dist', root, { recursive: true });
  const server = await startServer(root);
  const context = await lab.browser.newContext();
  try {
    const first = await visit(context, `${server.url}/?v=1&ep=20`);
    await first.page.waitForSelector('html[data-offline="ready"]', { timeout: 30_000 });
    // The second visit is the first the service worker serves.
    await first.page.reload();
    await first.page.waitForSelector('#status[data-state="ready"]');
    assert.ok(await first.page.evaluate(() => Boolean(navigator.serviceWorker.controller)), 'the lab is served by its worker');
    // A new build on the host: another page and another service worker.
    const index = readFileSync(join(root, 'index.html'), 'utf8');
    publish(root, 'index.html', index.replace('<body>', '<body data-build="next">'));
    const sw = readFileSync(join(root, 'sw.js'), 'utf8');
    publish(root, 'sw.js', sw.replace(/const VERSION = '[0-9a-f]+'/, "const VERSION = 'next'"));
    const waiting = await first.page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration.update();
      for (let i = 0; i < 100 && !registration.waiting; i++) await new Promise((ok) => setTimeout(ok, 100));
      return Boolean(registration.waiting);
    });
    assert.ok(waiting, 'the new version is installed and waits');
    // Mid-lesson: the open tab still runs the old version, and a reload of it too.
    await first.page.reload();
    await first.page.waitForSelector('#status[data-state="ready"]');
    assert.equal(await first.page.getAttribute('body', 'data-build'), null, 'the open lab keeps its version');
    await trainToEnd(first.page, 20);
    assert.deepEqual(first.problems, []);
    await first.page.close();
    // The next visit gets the new one.
    let build = null;
    for (let i = 0; i < 20 && build !== 'next'; i++) {
      const next = await visit(context, `${server.url}/?v=1&ep=20`);
      build = await next.page.getAttribute('body', 'data-build');
      await next.page.close();
    }
    assert.equal(build, 'next', 'the next visit runs the new version');
  } finally {
    await context.close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('the lab is installable: its manifest names it, its start page and its icons, at their sizes', async () => {
  const context = await lab.browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(`${lab.server.url}/`);
  const href = await page.$eval('link[rel="manifest"]', (l) => l.href);
  const manifest = await page.evaluate(async (url) => (await fetch(url)).json(), href);
  assert.equal(manifest.short_name, 'HyperLab');
  assert.equal(manifest.start_url, './', 'relative: the lab installs from any folder');
  assert.equal(manifest.display, 'standalone');
  for (const icon of manifest.icons.filter((i) => i.type === 'image/png')) {
    const size = await page.evaluate(async (url) => {
      const bitmap = await createImageBitmap(await (await fetch(url)).blob());
      return `${bitmap.width}x${bitmap.height}`;
    }, new URL(icon.src, href).href);
    assert.equal(size, icon.sizes, icon.src);
  }
  assert.ok(manifest.icons.some((i) => i.sizes === '512x512'), 'a 512 px icon, as installing asks');
  await context.close();
});

test('the bundle carries each file precompressed beside it for the host, and the service worker caches the files alone', async () => {
  const files = readdirSync('dist').filter((f) => /\.(wasm|js|css|html)$/.test(f));
  assert.ok(files.some((f) => f.endsWith('_bg.wasm')) && files.includes('index.html'), files.join(' '));
  for (const f of files) {
    const bytes = readFileSync(join('dist', f));
    assert.ok(brotliDecompressSync(readFileSync(join('dist', `${f}.br`))).equals(bytes), `${f}.br`);
    assert.ok(gunzipSync(readFileSync(join('dist', `${f}.gz`))).equals(bytes), `${f}.gz`);
  }
  const sw = readFileSync('dist/sw.js', 'utf8');
  assert.ok(sw.includes('_bg.wasm') && !/\.(br|gz)['"]/.test(sw), 'the cached list names no compressed copy');
});
