// End-to-end: no link, saved lab or fault breaks the lab (issue 10). The
// links that broke it open, say what they ignored and keep the rest; a
// worker that panics or runs out of memory is replaced and the next Train
// works; a large network's epoch is paused mid-way; the page talks to no
// one but its own origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BLUE, countColour, drawnSoon, epochOf, lab, openLab, watch } from './lab.mjs';
import { startServer } from './server.mjs';

/**
 * Keeps every worker the page starts in `window.__workers` (the main worker
 * first), to inject faults, and their names in `window.__names` ("study" for
 * the study worker).
 */
const keepWorkers = () => {
  const Base = window.Worker;
  window.__workers = [];
  window.__names = [];
  window.Worker = class extends Base {
    constructor(...args) {
      super(...args);
      window.__workers.push(this);
      window.__names.push(args[1]?.name ?? '');
    }
  };
};

/** The worker's own report of an injected fault: expected, not a problem of the page. */
const injected = (p) => /fault injected|unreachable|hyperlab worker/.test(p);

test('the links that broke the lab open, name what they ignored and keep the rest', async () => {
  // 1. A search over a billion hidden layers: refused before Run, naming the limit (it panicked rendering).
  {
    const { page, problems } = await openLab('?v=1&search=random&space=layers:int:1000000000:1000000000,lr:log:0.001:1');
    await page.waitForSelector('#search-problem');
    assert.match(await page.textContent('#search-problem'), /`layers` ranges over 1000000000\.\.=1000000000, outside the lab's 0\.\.=8/);
    assert.ok(await page.$eval('#search-run', (b) => b.disabled), 'Run is refused');
    assert.deepEqual(problems, []);
    await page.close();
  }
  // 2. Warm restarts whose cycle wrapped on 32 bits: the page opened frozen. Now the plan is drawn at once.
  {
    const { page, problems } = await openLab('?v=1&sched=restarts&t0=65536&tmult=65536&ep=100000');
    assert.ok(await drawnSoon(page, '#lr-chart', [150, 150, 150], 40, 50), 'the planned rate is drawn');
    await page.click('#step');
    await page.waitForFunction(() => Number(document.querySelector('#epoch').textContent) === 1);
    assert.deepEqual(problems, []);
    await page.close();
  }
  // 3. One-cycle peaking at step 0: a NaN rate, "diverged at epoch 1". Now it trains to its end.
  {
    const { page, problems } = await openLab('?v=1&sched=onecycle&total=10&pct=0.1&ep=60');
    await page.selectOption('#pace', { label: 'Maximum' });
    await page.click('#train');
    await page.waitForSelector('#status[data-state="finished"]', { timeout: 30_000 });
    assert.equal(await epochOf(page), 60);
    assert.deepEqual(problems, []);
    await page.close();
  }
  // 4. A training set too small for the default batch: 32 notices and the link's lr and seed lost. Now one notice.
  {
    const { page, problems } = await openLab('?v=1&n=10&val=0.85&lr=0.3&seed=9');
    const notices = await page.$$eval('#notices li', (li) => li.map((l) => l.textContent));
    assert.equal(notices.length, 1, notices.join(' | '));
    assert.match(notices[0], /^`bs`: .*using 2, the whole training set/);
    assert.equal(await page.textContent('#seed'), '9');
    assert.equal(await page.$eval('#lr', (s) => s.value), '0.3');
    assert.match(page.url(), /lr=0\.3/);
    assert.deepEqual(problems, []);
    await page.close();
  }
  // 5. A grid of 32^7 = 2^35 points: 0 trials in the page (20 on the command line). Now 20.
  {
    const axes = Array.from({ length: 7 }, (_, i) => ['lr:log:0.001:1', 'drop:real:0:0.5', 'wd:log:0.00001:0.01',
      'l1:log:0.00001:0.01', 'noise:real:0:0.2', 'val:real:0.1:0.4', 'b1:real:0.8:0.99'][i] + ':32');
    const { page, problems } = await openLab(`?v=1&ep=20&opt=adam&search=grid&trials=20&space=${axes.join(',')}`);
    assert.match(await page.textContent('#grid-size'), /34359738368 points/);
    await page.click('#search-run');
    await page.waitForSelector('#search-status[data-phase="done"]', { timeout: 60_000 });
    assert.equal((await page.$$('#trials tbody tr')).length, 20);
    assert.deepEqual(problems, []);
    await page.close();
  }
  // 6. A comparison whose every trial fails: −∞ and NaN curves could not be read back ("unreadable worker message").
  {
    const { page, problems } = await openLab('?v=1&ep=20&lr=0.1&search=random&trials=3&space=lr:log:50:100&compare=grid,random&repeats=2');
    await page.click('#compare-run');
    await page.waitForSelector('#comparison[data-done="true"]', { timeout: 60_000 });
    assert.notEqual(await page.getAttribute('#status', 'data-state'), 'failed');
    assert.match(await page.textContent('#comparison-status'), /After the last trial/);
    assert.deepEqual(problems, []);
    await page.close();
  }
  // 7. The race from the link's start, for the link's steps (the page ignored x0, y0 and rsteps).
  {
    const { page, problems } = await openLab('?surf=ravine&x0=2&y0=1.5&rsteps=40');
    await page.click('#race-optimizers');
    await page.waitForFunction(() => document.querySelector('.race-step')?.textContent === 'step 40 / 40', null, { timeout: 20_000 });
    assert.equal(await page.$eval('#surface', (s) => s.value), 'ravine');
    // Another surface keeps the steps and starts from its own point; the link follows.
    await page.selectOption('#surface', 'rosenbrock');
    await page.waitForFunction(() => location.search.includes('surf=rosenbrock') && !location.search.includes('x0='));
    assert.match(page.url(), /rsteps=40/);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('a damaged saved lab and a damaged kept search are named, not silently dropped', async () => {
  const context = await lab.browser.newContext({ serviceWorkers: 'block' });
  await context.addInitScript(() => {
    if (sessionStorage.getItem('seeded')) return;
    sessionStorage.setItem('seeded', '1');
    localStorage.setItem('hyperlab.lab.v1', 'lr=abc&seed=5&sched=restarts&t0=0&search=random&trials=4&runs=lr%3D-1~zz%3D1');
    localStorage.setItem('hyperlab.search.v2', '{"source": "not what the page writes"}');
  });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(`${lab.server.url}/`);
  await page.waitForSelector('#status[data-state="ready"]');
  const notices = await page.$$eval('#notices li', (li) => li.map((l) => l.textContent));
  const text = notices.join(' | ');
  for (const expected of [/in the lab this browser saved: `lr`/, /in the lab this browser saved: `t0`/,
    /`runs\[1\]\.lr`/, /`runs\[2\]\.zz`/, /The search this browser kept could not be read/]) {
    assert.match(text, expected);
  }
  assert.equal(await page.textContent('#seed'), '5', 'the good fields of the saved lab are kept');
  assert.equal(await page.evaluate(() => localStorage.getItem('hyperlab.search.v2')), null, 'the damaged search is dropped');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a training worker that cannot download says so, and the next one trains', async () => {
  // The first worker (started by index.html before the page's module loads) fails to fetch its glue.
  let refused = 0;
  const server = await startServer('dist', { refuse: (path) => path.endsWith('/worker.js') && refused++ === 0 });
  const page = await lab.browser.newPage({ viewport: { width: 1360, height: 900 }, serviceWorkers: 'block' });
  try {
    const problems = watch(page);
    await page.goto(`${server.url}/?ep=20`);
    await page.waitForSelector('#worker-crash');
    assert.match(await page.textContent('#worker-crash'), /could not load.*check your connection/);
    await page.waitForSelector('#status[data-state="ready"]');
    assert.equal(refused, 2, 'the glue was asked for twice: the failed worker, then its replacement');
    await page.click('#train');
    await page.waitForSelector('#status[data-state="finished"]', { timeout: 30_000 });
    assert.deepEqual(problems.filter((p) => !/worker\.js|503|importScripts|NetworkError/.test(p)), []);
  } finally {
    await page.close();
    await server.close();
  }
});

test('a training worker whose module cannot download says so, and the next one trains', async () => {
  let refused = 0;
  const server = await startServer('dist', { refuse: (path) => path.endsWith('/worker_bg.wasm') && refused++ === 0 });
  const page = await lab.browser.newPage({ viewport: { width: 1360, height: 900 }, serviceWorkers: 'block' });
  try {
    await page.goto(`${server.url}/?ep=20`);
    await page.waitForSelector('#worker-crash');
    assert.match(await page.textContent('#worker-crash'), /could not load.*check your connection/);
    await page.waitForSelector('#status[data-state="ready"]');
    await page.click('#train');
    await page.waitForSelector('#status[data-state="finished"]', { timeout: 30_000 });
  } finally {
    await page.close();
    await server.close();
  }
});

/**
 * Opens the lab at `query` on a server that refuses the study worker's
 * module the first time it is asked for, runs `body` on the page, and checks
 * nothing else went wrong.
 */
async function withStudyRefusedOnce(query, body) {
  let refused = 0;
  const server = await startServer('dist', { refuse: (path) => path.endsWith('/study_bg.wasm') && refused++ === 0 });
  const page = await lab.browser.newPage({ viewport: { width: 1360, height: 900 }, serviceWorkers: 'block' });
  const problems = watch(page);
  try {
    await page.goto(`${server.url}/${query}`);
    await page.waitForSelector('#status[data-state="ready"]');
    await body(page);
    assert.equal(await page.$('#worker-crash'), null, 'the training worker is not concerned');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await server.close();
  }
}

test("an export whose worker cannot download says so, and the next export is written", async () => {
  await withStudyRefusedOnce('?v=1&ep=20', async (page) => {
    await page.click('#download-pytorch');
    await page.waitForSelector('.downloads .error', { timeout: 20_000 });
    assert.match(await page.textContent('.downloads .error'), /the search's worker stopped \(its code could not load.*check your connection/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-pytorch')]);
    assert.equal(download.suggestedFilename(), 'hyperlab_experiment.py');
    assert.equal(await page.$('.downloads .error'), null, 'the message goes with the export that worked');
  });
});

test("a figure whose worker cannot download says so, and the next figure is saved", async () => {
  // The study worker draws the figures (plotters is not in the page's module).
  await withStudyRefusedOnce('?v=1&ep=20', async (page) => {
    await page.selectOption('#pace', { label: 'Maximum' });
    await page.click('#train');
    await page.waitForSelector('#status[data-state="finished"]', { timeout: 30_000 });
    await page.click('#loss-svg');
    const error = '.figure-buttons:has(#loss-svg) .error';
    await page.waitForSelector(error, { timeout: 20_000 });
    assert.match(await page.textContent(error), /could not draw hyperlab-loss\.svg: the worker drawing it stopped \(its code could not load.*check your connection/);
    assert.equal(await page.$eval('#loss-svg', (b) => b.disabled), false, 'the buttons are pressable again');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#loss-svg')]);
    assert.equal(download.suggestedFilename(), 'hyperlab-loss.svg');
    assert.equal(await page.$(error), null, 'the message goes with the figure that was saved');
  });
});

test('a page whose module cannot download says so instead of staying blank', async () => {
  const server = await startServer('dist', { refuse: (path) => /_bg\.wasm$/.test(path) && !path.includes('worker') });
  const page = await lab.browser.newPage({ viewport: { width: 1360, height: 900 }, serviceWorkers: 'block' });
  try {
    await page.goto(`${server.url}/?ep=20`);
    await page.waitForSelector('#boot.failed');
    assert.match(await page.textContent('#boot'), /could not load .*Check your connection and reload/);
    assert.equal(await page.$('#status'), null, 'no lab started');
  } finally {
    await page.close();
    await server.close();
  }
});

test('a worker that panics mid-run or runs out of memory is replaced, says why, and the next Train works', async () => {
  for (const [fault, says] of [['panic', /fault injected by a test/], ['oom', /ran out of memory/]]) {
    const { page, problems } = await openLab('?ep=5000', undefined, keepWorkers);
    await page.click('#train');
    await page.waitForFunction(() => Number(document.querySelector('#epoch').textContent) >= 20);
    await page.evaluate((f) => window.__workers[0].postMessage(`hyperlab:fault:${f}`), fault);
    await page.waitForSelector('#worker-crash');
    assert.match(await page.textContent('#worker-crash'), says);
    // A fresh worker: the lab is ready again, and trains.
    await page.waitForSelector('#status[data-state="ready"]');
    assert.equal(await page.evaluate(() => window.__workers.length), 2, 'one fresh worker was started');
    await page.click('#train');
    await page.waitForFunction(() => Number(document.querySelector('#epoch').textContent) >= 30);
    await page.click('#train');
    await page.waitForSelector('#status[data-worker-paused="true"]');
    await page.click('#dismiss-crash');
    assert.equal(await page.$('#worker-crash'), null);
    assert.deepEqual(problems.filter((p) => !injected(p)), []);
    await page.close();
  }
});

test('a pool worker that panics during a search fails its trials, is replaced, and the search ends', async () => {
  const { page, problems } = await openLab('?ep=3000&search=random&trials=24&space=lr:log:0.01:1', undefined, keepWorkers);
  await page.waitForFunction(() => window.__workers.length >= 3, null, { timeout: 20_000 });
  const before = await page.evaluate(() => window.__workers.length);
  await page.click('#search-run');
  await page.waitForFunction(() => document.querySelectorAll('#trials tbody tr').length >= 4, null, { timeout: 30_000 });
  await page.evaluate(() => window.__workers[1].postMessage('hyperlab:fault:panic'));
  await page.waitForSelector('#search-status[data-phase="done"]', { timeout: 90_000 });
  const status = await page.$$eval('#trials tbody tr', (r) => r.map((x) => x.cells[x.cells.length - 2].textContent));
  assert.equal(status.length, 24, 'every trial of the budget ends');
  const failed = status.filter((s) => s.startsWith('failed'));
  assert.ok(failed.length >= 1 && failed.length <= 2, `the crashed worker's queued trials fail: ${status.join(' | ')}`);
  assert.ok(failed.every((s) => /the worker training it stopped: [\s\S]*fault injected/.test(s)), failed.join(" | "));
  assert.equal(await page.evaluate(() => window.__workers.length), before + 1, 'a fresh pool worker took its place');
  assert.deepEqual(problems.filter((p) => !injected(p)), []);
  await page.close();
});

test("a study worker that panics mid-search fails the search, the lab's run trains on, and the next search runs", async () => {
  const { page, problems } = await openLab('?ep=3000&search=random&trials=8&space=lr:log:0.01:1', undefined, keepWorkers);
  await page.click('#train');
  await page.waitForFunction(() => Number(document.querySelector('#epoch').textContent) >= 5);
  await page.waitForFunction(() => window.__names.includes('study'), null, { timeout: 20_000 });
  await page.click('#search-run');
  await page.waitForFunction(() => document.querySelectorAll('#trials tbody tr').length >= 2, null, { timeout: 30_000 });
  await page.evaluate(() => window.__workers[window.__names.indexOf('study')].postMessage('hyperlab:fault:panic'));
  await page.waitForSelector('#search-status[data-phase="failed"]', { timeout: 20_000 });
  assert.match(await page.textContent('#search-status'), /the search's worker stopped \([\s\S]*fault injected by a test/);
  // The lab's run is the training worker's: it goes on, and no worker crash is reported.
  const epoch = await epochOf(page);
  await page.waitForFunction((e) => Number(document.querySelector('#epoch').textContent) > e, epoch);
  assert.equal(await page.$('#worker-crash'), null);
  // A fresh study worker coordinates the next search, to its end.
  await page.click('#search-run');
  await page.waitForSelector('#search-status[data-phase="done"]', { timeout: 90_000 });
  assert.equal(await page.$$eval('#trials tbody tr', (r) => r.length), 8);
  assert.equal(await page.evaluate(() => window.__names.filter((n) => n === 'study').length), 2, 'one fresh study worker');
  assert.deepEqual(problems.filter((p) => !injected(p)), []);
  await page.close();
});

test('a comparison of methods after a search leaves the search\'s trials as they were', async () => {
  // Both name their job by a number, and both used to start at 1: the
  // comparison's trials were written into the finished search's table.
  const { page, problems } = await openLab('?v=1&ep=5&search=random&trials=6&compare=grid,random&repeats=2');
  await page.click('#search-run');
  await page.waitForSelector('#search-status[data-phase="done"]', { timeout: 60_000 });
  const rows = () => page.$$eval('#trials tbody tr', (r) => r.map((row) => row.textContent));
  const before = await rows();
  assert.equal(before.length, 6);
  const status = await page.textContent('#search-status');
  await page.click('#compare-run');
  await page.waitForSelector('#comparison[data-done="true"]', { timeout: 60_000 });
  assert.deepEqual(await rows(), before);
  assert.equal(await page.textContent('#search-status'), status);
  assert.deepEqual(problems, []);
  await page.close();
});

test('Pause reaches a large network mid-epoch (reported: how long it took)', async () => {
  // 8 × 256 hidden units on 10 000 points: one epoch takes seconds.
  const { page, problems } = await openLab('?n=5000&hidden=256-256-256-256-256-256-256-256&ep=3');
  await page.selectOption('#pace', { label: 'Maximum' });
  const latencies = [];
  await page.click('#train');
  for (let i = 0; i < 3; i++) {
    await page.waitForSelector('#epoch-partial', { timeout: 60_000 });
    // Timed in the page, from the press to the worker's acknowledgement.
    const ms = await page.evaluate(() => new Promise((done) => {
      const status = document.querySelector('#status');
      const observer = new MutationObserver(() => {
        if (status.dataset.workerPaused === 'true') {
          observer.disconnect();
          done(performance.now() - t0);
        }
      });
      observer.observe(status, { attributes: true });
      const t0 = performance.now();
      document.querySelector('#train').click();
    }));
    latencies.push(ms);
    assert.equal(await epochOf(page), 0, 'paused inside the first epoch');
    await page.click('#train');
  }
  await page.click('#reset');
  await page.waitForSelector('#status[data-state="ready"]');
  console.log(`# Pause on 8 x 256 units, 10 000 points, mid-epoch: ${latencies.map((l) => l.toFixed(0)).join(', ')} ms (worst ${Math.max(...latencies).toFixed(0)} ms)`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the page talks to no one else: its policy forbids it, and a whole session stays on its origin', async () => {
  const context = await lab.browser.newContext({ viewport: { width: 1360, height: 900 }, serviceWorkers: 'block' });
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on('worker', (w) => w.on('request', (r) => requests.push(r.url())));
  const problems = watch(page);
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });
  await page.goto(`${lab.server.url}/?data=iris&ep=30&opt=adam&lr=0.01`);
  await page.waitForSelector('#status[data-state="ready"]');
  const policy = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
  assert.match(policy, /default-src 'self'/);
  // Two inline scripts, each allowed by its hash: Trunk's loader and the early worker's start.
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'( 'sha256-[A-Za-z0-9+/=]+'){2}(;|$)/);
  assert.doesNotMatch(policy, /'unsafe-eval'|script-src[^;]*'unsafe-inline'/);
  // A session: train on fetched data, the regimes, the range test, the race, a search, a comparison, a reload.
  await page.selectOption('#pace', { label: 'Maximum' });
  await page.click('#train');
  await page.waitForSelector('#status[data-state="finished"]', { timeout: 30_000 });
  await page.selectOption('#data', 'moons');
  await page.click('#four-regimes');
  await page.waitForFunction(() => document.querySelectorAll('.regime-card:not([data-regime="pending"])').length === 4,
    null, { timeout: 60_000 });
  await page.click('#find-lr');
  await page.waitForSelector('.suggestion', { timeout: 30_000 });
  await page.click('#race-optimizers');
  await page.waitForSelector('.racer');
  await page.click('#open-search');
  await page.fill('#search-trials', '4');
  await page.press('#search-trials', 'Tab');
  await page.click('#search-run');
  await page.waitForSelector('#search-status[data-phase="done"]', { timeout: 60_000 });
  await page.click('#compare-run');
  await page.waitForSelector('#comparison[data-done="true"]', { timeout: 120_000 });
  await page.reload();
  await page.waitForSelector('#status[data-state="ready"]');
  const origin = new URL(lab.server.url).origin;
  const away = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(away, [], 'every request goes to the page\'s own origin');
  assert.ok(requests.some((u) => u.endsWith('/data/iris.csv')), 'the worker\'s fetch of a data file is seen too');
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  console.log(`# requests in the session: ${requests.length}, all to ${origin}`);
  assert.deepEqual(problems, []);
  await context.close();
});
