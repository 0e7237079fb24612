// End-to-end: the user's own data. A CSV file chosen in the page is shown
// as the lab read it, trains, and trains exactly what the command line
// trains for the page's link with the same file; the link opens again from
// the browser's storage, and where the file is not kept the page asks for
// it and checks it; every bad file is refused with its place and the lab
// goes on; a 10 MB file is read without freezing the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync, ftruncateSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { ENDED, SHOTS, epochOf, linkValue, openLab } from './lab.mjs';

/** Writes `text` (or bytes) to a file under target/e2e and returns its path. */
function file(name, text) {
  const path = `${SHOTS}/${name}`;
  writeFileSync(path, text);
  return path;
}

/** Two interleaved classes in two numeric columns, a text name and a text target. */
function twoClasses(rows = 120) {
  let text = 'name,x1,x2,kind\n';
  for (let i = 0; i < rows; i++) {
    const t = (i / rows) * 6.0;
    const c = i % 2;
    const r = 0.3 + t / 8;
    const x = (c ? -1 : 1) * r * Math.cos(t);
    const y = (c ? -1 : 1) * r * Math.sin(t);
    text += `p${i},${x.toFixed(4)},${y.toFixed(4)},${c ? 'blue' : 'orange'}\n`;
  }
  return text;
}

/** Chooses `path` in the "Your data" panel and waits for what the page makes of this file. */
async function choose(page, path) {
  if (!(await page.$eval('#own-data', (d) => d.open))) await page.click('#own-data summary');
  await page.setInputFiles('#own-file', path);
  const name = path.split('/').at(-1);
  await page.waitForFunction((name) => [...document.querySelectorAll('#own-facts, #own-error')]
    .some((el) => el.textContent.startsWith(name)), name, { timeout: 30_000 });
}

test('a CSV chosen in the page is shown as read, trains, and gives the command line\'s numbers for its link', async () => {
  const good = file('two classes.csv', twoClasses());
  const { page, problems } = await openLab('?v=1&ep=25&lr=0.03&opt=adam&hidden=8');
  await choose(page, good);
  assert.equal(await page.textContent('#own-facts'), 'two classes.csv: 120 rows, 4 columns, comma-separated, with a header.');
  const heads = await page.$$eval('#own-table th', (ths) => ths.map((th) => th.textContent));
  assert.deepEqual(heads, ['nametext, 120 values', 'x1numbers', 'x2numbers', 'kindtext, 2 values']);
  assert.equal(await page.$$eval('#own-table tbody tr', (rows) => rows.length), 6, 'the first rows are shown');
  assert.equal(await page.$eval('#own-target', (s) => s.value), '3', 'the last column is the target at first');
  // The text name is no feature: said with its line and column, until it is left out.
  assert.match(await page.textContent('#own-problem'), /line 2, column 1: .*`p0`/);
  await page.uncheck('#own-use-1');
  // The data set is made a task or two after the choice; the line waits for it.
  await page.waitForSelector('#own-result[aria-busy="false"]');
  assert.equal(await page.textContent('#own-result'),
    'Classification into 2 classes (blue, orange): 120 examples of 2 features.');
  await page.screenshot({ path: `${SHOTS}/own-data-preview.png`, fullPage: false });
  await page.click('#own-use');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('data') === 'own', null, { timeout: 5000 });
  assert.equal(linkValue(page, 'target'), 'kind');
  assert.equal(linkValue(page, 'ignore'), 'name');
  assert.equal(linkValue(page, 'fname'), 'two classes.csv');
  assert.match(linkValue(page, 'file'), /^[0-9a-f]{16}$/);
  assert.equal(await page.$eval('#data', (s) => s.value), 'own');
  await page.selectOption('#pace', { label: 'Maximum' });
  await page.click('#train');
  await page.waitForSelector(ENDED, { timeout: 60_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
  const fromPage = readFileSync(await download.path(), 'utf8');
  const fromCli = execFileSync('target/debug/hyperlab', ['run', '--data-file', good, new URL(page.url()).search]).toString();
  assert.ok(fromCli.split('\n').length > 25, fromCli);
  assert.equal(fromPage, fromCli, 'the page and the command line train the same numbers on the same file');

  // Every tool trains on it: the four regimes, the range test, and a search
  // whose trials equal `hyperlab search` with the file.
  await page.click('#four-regimes');
  await page.waitForFunction(() => document.querySelectorAll('.regime-card[data-regime]:not([data-regime="pending"])').length === 4, null, { timeout: 60_000 });
  await page.click('#close-regimes');
  await page.click('#find-lr');
  await page.waitForSelector('.use-lr', { timeout: 30_000 });
  await page.click('#close-lr-finder');
  await page.click('#open-search');
  await page.click('#search-run');
  await page.waitForSelector('#search-status[data-phase="done"]', { timeout: 60_000 });
  await page.waitForSelector('#download-trials', { timeout: 20_000 });
  const [trials] = await Promise.all([page.waitForEvent('download'), page.click('#download-trials')]);
  const cliTrials = execFileSync('target/debug/hyperlab', ['search', '--data-file', good, new URL(page.url()).search]).toString();
  assert.equal(readFileSync(await trials.path(), 'utf8'), cliTrials, 'the search\'s trials on the file, page and command line');
  // Reloaded with the search open, the search this browser kept comes back once its data do.
  await page.reload();
  await page.waitForSelector('#search-status[data-phase="done"]', { timeout: 20_000 });
  assert.match(await page.textContent('#search-status'), /kept by this browser/);
  const [again] = await Promise.all([page.waitForEvent('download'), page.click('#download-trials')]);
  assert.equal(readFileSync(await again.path(), 'utf8'), cliTrials, 'the kept search\'s trials, after a reload');
  await page.click('#close-search');

  // Reloaded, the link finds its data in this browser's storage.
  const link = page.url();
  await page.reload();
  await page.waitForSelector('#status[data-state="ready"]', { timeout: 20_000 });
  await page.waitForFunction(() => document.querySelector('#data')?.value === 'own', null, { timeout: 10_000 });
  assert.equal(await page.$('#wanted-file'), null);
  assert.equal(page.url(), link, 'the link is kept');
  assert.deepEqual(problems, []);
  await page.close();

  // Elsewhere (a browser without the file) the link asks for it, and checks what is given.
  const other = await openLab(new URL(link).search);
  await other.page.waitForSelector('#wanted-file', { timeout: 10_000 });
  assert.match(await other.page.textContent('#wanted-file'), /This link uses a data file you do not have: load it\..*two classes\.csv.*target column kind, leaving out name/);
  assert.equal(other.page.url(), link, 'the link waits for its data, unchanged');
  await other.page.screenshot({ path: `${SHOTS}/own-data-wanted.png` });
  const edited = file('edited.csv', twoClasses().replace(/\np0,[^,]*,/, '\np0,0.5,'));
  await other.page.setInputFiles('#wanted-input', edited);
  await other.page.waitForSelector('#wanted-problem', { timeout: 10_000 });
  assert.match(await other.page.textContent('#wanted-problem'), /not the link's/);
  await other.page.setInputFiles('#wanted-input', good);
  await other.page.waitForSelector('#wanted-file', { state: 'detached', timeout: 10_000 });
  assert.equal(await other.page.$eval('#data', (s) => s.value), 'own');
  assert.equal(other.page.url(), link);
  assert.deepEqual(other.problems, []);
  await other.page.close();
});

test('each bad file is refused with a precise message, and the lab still trains', async () => {
  const big = `${SHOTS}/fifty.csv`;
  const fd = openSync(big, 'w');
  ftruncateSync(fd, 50 * 1024 * 1024);
  closeSync(fd);
  const wide = Array.from({ length: 10_001 }, (_, i) => `c${i}`).join(',') + '\n';
  // Refused while read (#own-error), or read and refused as data (#own-problem).
  const cases = [
    [file('empty.csv', ''), '#own-error', /the file is empty/],
    [file('one column.csv', 'x\n' + Array.from({ length: 30 }, (_, i) => i).join('\n') + '\n'), '#own-error', /line 1: one column: a table needs features and a target/],
    [file('nan.csv', 'a,b,y\n' + '1,2,0\n'.repeat(5) + '1,NaN,1\n' + '2,3,1\n'.repeat(10)), '#own-error', /line 7, column 2: `NaN` is not a number/],
    [file('text.csv', 'a,b,y\n' + '1,2,0\n'.repeat(5) + '1,two,1\n' + '2,3,1\n'.repeat(10)), '#own-problem', /line 7, column 2: column `b` holds text \(`two`\)/],
    [file('quote.csv', 'a,b,y\n1,2,0\n"3,4,1\n5,6,0\n'), '#own-error', /line 3.*a quote opened/],
    [file('binary.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2, 3])), '#own-error', /not text \(it holds a zero byte\)/],
    [file('wide.csv', wide), '#own-error', /more than 1000 columns/],
    [file('rows.csv', 'a,y\n' + '1,0\n'.repeat(1_000_001)), '#own-error', /more than 200000 rows/],
    [big, '#own-error', /the file has 52\.4 MB; the lab reads files up to 20 MB/],
  ];
  const { page, problems } = await openLab('?v=1&ep=5');
  for (const [path, where, says] of cases) {
    await choose(page, path);
    await page.waitForSelector(where, { timeout: 5000 });
    assert.match(await page.textContent(where), says, path);
    if (where === '#own-problem') assert.equal(await page.$('#own-use'), null, `${path}: nothing to use`);
  }
  // A byte-order mark is no data: the file reads as without it.
  await choose(page, file('bom.csv', '\ufeffa,b,y\n' + '1,2,0\n2,1,1\n'.repeat(8)));
  assert.match(await page.textContent('#own-facts'), /16 rows, 3 columns, comma-separated, with a header/);
  // The lab goes on, on its own data.
  assert.equal(linkValue(page, 'data'), null);
  await page.click('#train');
  await page.waitForFunction(() => Number(document.querySelector('#epoch')?.textContent) >= 2, null, { timeout: 20_000 });
  assert.ok(await epochOf(page) >= 2);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a search on the user\'s data sends it to each worker once, not with every trial', async () => {
  const rows = 4000;
  const path = file('four thousand.csv', twoClasses(rows));
  const { page, problems } = await openLab('?v=1&ep=3&hidden=4&search=random&trials=16', undefined, () => {
    // The size of every message the page posts to a worker.
    window.__sent = [];
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (data, ...rest) {
      window.__sent.push(data?.byteLength ?? 0);
      return post.call(this, data, ...rest);
    };
  });
  await choose(page, path);
  await page.uncheck('#own-use-1');
  await page.click('#own-use');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('data') === 'own', null, { timeout: 5000 });
  await page.evaluate(() => { window.__sent.length = 0; });
  await page.click('#search-run');
  await page.waitForSelector('#search-status[data-phase="done"]', { timeout: 60_000 });
  assert.equal(await page.$$eval('#trials tbody tr', (r) => r.length), 16);
  const sent = await page.evaluate(() => window.__sent);
  const workers = await page.evaluate(() => Math.min(8, Math.max(1, navigator.hardwareConcurrency)));
  // The numbers alone: 4 000 examples of two features and a target, as f32.
  const dataBytes = rows * 3 * 4;
  const carrying = sent.filter((b) => b >= dataBytes).length;
  const total = sent.reduce((a, b) => a + b, 0);
  console.log(`# search of 16 trials on ${rows} rows: ${sent.length} messages to workers, ${carrying} carrying the data, ${(total / 1024).toFixed(0)} KB in all (${workers} pool workers)`);
  // The study's start, each pool worker once, the best trial's test: not per trial.
  assert.ok(carrying <= workers + 2, `${carrying} messages carried the data: ${sent.join(', ')}`);
  assert.ok(total < (workers + 3) * dataBytes, `${total} bytes sent`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a 10 MB file is read in slices: the page stays responsive (no task over 200 ms)', async () => {
  let text = 'a,b,c,d,e,y\n';
  const row = (i) => `${(i % 997) / 997},${(i % 991) / 991},${(i % 983) / 983},${(i % 977) / 977},${(i % 971) / 971},${i % 3}\n`;
  const rows = [];
  for (let i = 0; i < 190_000; i++) rows.push(row(i));
  text += rows.join('');
  const path = file('ten.csv', text);
  assert.ok(text.length > 9_500_000, `${text.length} bytes`);
  const { page, problems } = await openLab('?v=1&ep=5', undefined, () => {
    window.__longTasks = [];
    new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__longTasks.push(e.duration)))
      .observe({ type: 'longtask', buffered: false });
    // The DOM changes' batch (one per render) in which the file's table and the line on its data set first came.
    window.__seen = {};
    let batch = 0;
    new MutationObserver(() => {
      batch += 1;
      for (const id of ['own-table', 'own-result']) {
        if (!(id in window.__seen) && document.getElementById(id)) window.__seen[id] = batch;
      }
    }).observe(document, { subtree: true, childList: true });
  });
  await page.evaluate(() => { window.__longTasks.length = 0; });
  await choose(page, path);
  assert.match(await page.textContent('#own-facts'), /190000 rows, 6 columns/);
  await page.waitForSelector('#own-result');
  assert.match(await page.textContent('#own-result'), /Classification into 3 classes .*190000 examples of 5 features/);
  const longest = await page.evaluate(() => Math.max(0, ...window.__longTasks));
  console.log(`# 10 MB file: longest main-thread task ${longest.toFixed(0)} ms`);
  assert.ok(longest < 200, `a main-thread task of ${longest} ms while the file was read`);
  // The table shows first; its data set is made in later tasks, not in the render that shows it.
  const seen = await page.evaluate(() => window.__seen);
  assert.ok(seen['own-table'] < seen['own-result'], `the table before the line on its data: ${JSON.stringify(seen)}`);
  // A choice changed: the last line stays, greyed, its button off, until the new choice's data set is made.
  // (The line's state at each render after the click, until the data set is made.)
  const states = await page.evaluate(() => new Promise((done) => {
    const seen = [];
    const line = document.querySelector('#own-result');
    new MutationObserver((_, observer) => {
      seen.push([line.getAttribute('aria-busy'), document.querySelector('#own-use').disabled]);
      if (line.getAttribute('aria-busy') === 'false') { observer.disconnect(); done(seen); }
    }).observe(line, { attributes: true, attributeFilter: ['aria-busy'] });
    document.querySelector('#own-use-2').click();
  }));
  assert.deepEqual(states, [['true', true], ['false', false]], 'the line waits for the new choice');
  assert.match(await page.textContent('#own-result'), /190000 examples of 4 features/);
  assert.equal(await page.isDisabled('#own-use'), false);
  assert.deepEqual(problems, []);
  await page.close();
});

/** Where the plane's point (x, y) is on the page: the view shows [−1.3, 1.3]². */
async function onView(page, x, y) {
  const box = await page.$eval('#boundary', (c) => { const r = c.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
  return [box.x + ((x + 1.3) / 2.6) * box.w, box.y + ((1.3 - y) / 2.6) * box.h];
}

test('a scripted user draws twenty points of two classes, trains, and the boundary separates them; the link reopens them', async () => {
  const { page, problems } = await openLab('?v=1&ep=150&lr=0.03&opt=adam&hidden=6');
  await page.click('#draw-start');
  assert.match(await page.textContent('#draw-status'), /^200 points: \d+ of class 0, \d+ of class 1\. Add or erase a point/,
    'starts from the data shown (an even half of the spiral), not yet the experiment\'s data');
  assert.equal(linkValue(page, 'data'), null);
  await page.click('#draw-clear');
  assert.match(await page.textContent('#draw-status'), /^0 points.*Not yet data/);
  // Ten clicks of class 0 on the left, ten of class 1 on the right.
  await page.click('#draw-class-0');
  for (let i = 0; i < 10; i++) await page.mouse.click(...await onView(page, -0.9 + 0.04 * i, -0.8 + 0.17 * i));
  assert.match(await page.textContent('#draw-status'), /Not yet data: class 1 has 0 points/);
  await page.click('#draw-class-1');
  for (let i = 0; i < 10; i++) await page.mouse.click(...await onView(page, 0.5 + 0.04 * i, -0.8 + 0.17 * i));
  assert.match(await page.textContent('#draw-status'), /^20 points: 10 of class 0, 10 of class 1\. This is the experiment's data/);
  await page.waitForFunction(() => new URL(location.href).searchParams.get('data') === 'drawn', null, { timeout: 5000 });
  const pts = linkValue(page, 'pts');
  assert.equal(pts.length, Math.ceil((20 * 32) / 6), '4 bytes a point');
  // A drag paints several points; the eraser takes them away again.
  await page.mouse.move(...await onView(page, 0.6, 1.0));
  await page.mouse.down();
  for (let i = 1; i <= 5; i++) await page.mouse.move(...await onView(page, 0.6 + 0.1 * i, 1.0));
  await page.mouse.up();
  const painted = Number((await page.textContent('#draw-status')).match(/^(\d+) points/)[1]);
  assert.ok(painted >= 24, `a drag of 0.5 paints points about 0.08 apart: ${painted}`);
  await page.click('#draw-erase');
  await page.mouse.move(...await onView(page, 0.55, 1.0));
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(...await onView(page, 0.55 + 0.07 * i, 1.0));
  await page.mouse.up();
  assert.match(await page.textContent('#draw-status'), /^20 points/);
  await page.waitForFunction((pts) => new URL(location.href).searchParams.get('pts') === pts, pts, { timeout: 5000 });
  await page.screenshot({ path: `${SHOTS}/drawn.png` });
  await page.click('#draw-done');
  await page.selectOption('#pace', { label: 'Maximum' });
  await page.click('#train');
  await page.waitForSelector(ENDED, { timeout: 60_000 });
  const csv = execFileSync('target/debug/hyperlab', ['run', new URL(page.url()).search]).toString();
  const last = csv.trim().split('\n').filter((l) => !l.startsWith('#')).at(-1).split(',');
  const header = csv.split('\n')[0].split(',');
  assert.equal(Number(last[header.indexOf('train_accuracy')]), 1, 'every drawn training point on its side');
  assert.equal(await page.$eval('#epoch', (e) => e.textContent), '150');
  await page.screenshot({ path: `${SHOTS}/drawn-trained.png` });
  // The link reopens the same points.
  const other = await openLab(new URL(page.url()).search);
  assert.equal(linkValue(other.page, 'pts'), pts);
  await other.page.click('#draw-start');
  assert.match(await other.page.textContent('#draw-status'), /^20 points: 10 of class 0, 10 of class 1/);
  assert.deepEqual([...problems, ...other.problems], []);
  await other.page.close();
  await page.close();
});

test('a small data set travels in its link when asked: opened anywhere, it trains without the file', async () => {
  const good = file('carried.csv', twoClasses(80));
  const { page, problems } = await openLab('?v=1&ep=20&lr=0.03&opt=adam&hidden=6');
  await choose(page, good);
  await page.uncheck('#own-use-1');
  await page.click('#own-use');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('data') === 'own', null, { timeout: 5000 });
  assert.equal(linkValue(page, 'csvz'), null, 'a link names the data by default');
  await page.click('#own-carry');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('csvz') !== null, null, { timeout: 5000 });
  assert.equal(await page.getAttribute('#own-carry', 'aria-pressed'), 'true');
  assert.equal(await page.$eval('#own-use', (b) => b.disabled), true, 'the same data, carried: nothing to use again');
  // Deflated (zlib's raw inflate reads it) in URL-safe base64.
  const carried = inflateRawSync(Buffer.from(linkValue(page, 'csvz'), 'base64url')).toString();
  assert.match(carried, /^x1,x2,kind\n0\.3,0,orange\n/);
  assert.ok(linkValue(page, 'csvz').length * 3 < carried.length * 2, 'the link carries the data in two thirds of their text or less');
  assert.equal(linkValue(page, 'ignore'), null, 'the carried data have no column to leave out');
  const link = page.url();
  await page.close();
  // A browser that never saw the file: no question, the data are in the link.
  const other = await openLab(new URL(link).search);
  await other.page.waitForFunction(() => document.querySelector('#data')?.value === 'own', null, { timeout: 10_000 });
  assert.equal(await other.page.$('#wanted-file'), null);
  await other.page.selectOption('#pace', { label: 'Maximum' });
  await other.page.click('#train');
  await other.page.waitForSelector(ENDED, { timeout: 60_000 });
  const [download] = await Promise.all([other.page.waitForEvent('download'), other.page.click('#download-csv')]);
  const fromPage = readFileSync(await download.path(), 'utf8');
  const fromCli = execFileSync('target/debug/hyperlab', ['run', new URL(other.page.url()).search]).toString();
  assert.equal(fromPage, fromCli, 'the command line reads the data from the link too');
  assert.equal(other.page.url(), link);
  assert.deepEqual([...problems, ...other.problems], []);
  await other.page.close();
});

test('a drawn regression: values clicked along a line train to the line', async () => {
  const { page, problems } = await openLab('?v=1&data=sine&ep=300&lr=0.05&opt=adam&hidden=none');
  await page.click('#draw-start');
  assert.match(await page.textContent('#draw-status'), /points: x an input, y its target \(a regression\)/, 'the sine\'s points to start from');
  await page.click('#draw-clear');
  await page.click('#draw-value');
  for (let i = 0; i < 10; i++) {
    const x = -1 + (2 * i) / 9;
    await page.mouse.click(...await onView(page, x, 0.5 * x - 0.2));
  }
  assert.match(await page.textContent('#draw-status'), /^10 points: x an input, y its target \(a regression\)\. This is the experiment's data/);
  await page.waitForFunction(() => new URL(location.href).searchParams.get('data') === 'drawn', null, { timeout: 5000 });
  // At five values the batch size was cut to their training set (at most 4); it grows back with the drawing.
  await page.waitForFunction(() => Number(new URL(location.href).searchParams.get('bs') ?? 10) > 4, null, { timeout: 5000 })
    .catch(() => assert.fail(`the batch size stayed at ${linkValue(page, 'bs')}`));
  await page.click('#draw-done');
  await page.selectOption('#pace', { label: 'Maximum' });
  await page.click('#train');
  await page.waitForSelector(ENDED, { timeout: 60_000 });
  const csv = execFileSync('target/debug/hyperlab', ['run', new URL(page.url()).search]).toString();
  const header = csv.split('\n')[0].split(',');
  const last = csv.trim().split('\n').filter((l) => !l.startsWith('#')).at(-1).split(',');
  assert.ok(Number(last[header.indexOf('val_r2')]) > 0.9, `R² ${last[header.indexOf('val_r2')]}`);
  await page.screenshot({ path: `${SHOTS}/drawn-regression.png` });
  assert.deepEqual(problems, []);
  await page.close();
});

test('data of more than two inputs: the confusion matrix names the user\'s classes', async () => {
  let text = 'a,b,c,level\n';
  for (let i = 0; i < 90; i++) text += `${i % 9},${(i * 7) % 11},${(i * 5) % 13},${['low', 'mid', 'high'][i % 3]}\n`;
  const { page, problems } = await openLab('?v=1&ep=15&lr=0.03&opt=adam&hidden=8');
  await choose(page, file('levels.csv', text));
  await page.click('#own-use');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('data') === 'own', null, { timeout: 5000 });
  await page.selectOption('#pace', { label: 'Maximum' });
  await page.click('#train');
  await page.waitForSelector(ENDED, { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('#confusion caption')?.textContent.startsWith('Validation set'));
  const across = await page.$$eval('#confusion thead th', (ths) => ths.slice(1).map((th) => th.textContent));
  const down = await page.$$eval('#confusion tbody th', (ths) => ths.map((th) => th.textContent));
  assert.deepEqual([...across].sort(), ['high', 'low', 'mid']);
  assert.deepEqual(down, across, 'true classes down in the order of the predictions across');
  assert.deepEqual(problems, []);
  await page.close();
});
