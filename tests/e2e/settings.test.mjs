// End-to-end: every hyperparameter of the experiment has a control on the
// page that writes the link, and the page trains what the command line
// trains for that link; the workspace keeps the run and each opened tool in view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { SHOTS, epochOf, frameStats, linkValue, openLab, recordFrames, setField } from './lab.mjs';

/** The command line's last record for the page's link (comment lines, like the test score, left out). */
function cliLastRow(page) {
  const csv = execFileSync('target/debug/hyperlab', ['run', new URL(page.url()).search]).toString();
  return csv.trim().split('\n').filter((l) => !l.startsWith('#')).at(-1).split(',');
}

test('every hyperparameter control writes the link, and the page trains what the command line trains', async () => {
  const { page, problems } = await openLab('?ep=30&seed=3');
  const expect = async (key, value, what) => {
    await page.waitForFunction(([k, v]) => new URL(location.href).searchParams.get(k) === v, [key, value], { timeout: 5000 })
      .catch(() => {});
    assert.equal(linkValue(page, key), value, what);
  };

  // The course's six in sight: batch size and the network beside the learning rate and optimizer.
  await setField(page, '#set-bs', 16);
  await expect('bs', '16', 'batch size');
  assert.match(await page.textContent('#batches-per-epoch'), /^20 mini-batches per epoch, of 320 training examples/);
  await page.click('#full-batch');
  await expect('bs', '320', 'full batch is the whole training set');
  assert.match(await page.textContent('#batches-per-epoch'), /full batch/);
  await setField(page, '#set-bs', 16);
  await expect('bs', '16', 'batch size again');

  await page.click('#add-layer');
  await expect('hidden', '8-8-8', 'a layer added with the last layer\'s units');
  await page.click('[aria-label="More units in layer 3"]');
  await expect('hidden', '8-8-10', '+ adds a quarter beyond 8 units');
  await setField(page, '#units-1', 12);
  await expect('hidden', '12-8-10', 'units typed');
  await page.click('[aria-label="Remove layer 2"]');
  await expect('hidden', '12-10', 'a layer removed');
  assert.equal(await page.textContent('#arch'), '2→12→10→1');
  // Parameters: (2·12 + 12) + (12·10 + 10) + (10 + 1).
  assert.equal(await page.textContent('#param-count'), String(2 * 12 + 12 + 12 * 10 + 10 + 10 + 1));

  await page.selectOption('#set-act', 'relu');
  await expect('act', 'relu', 'one activation for all layers');
  await page.selectOption('#set-act', 'per-layer');
  await page.selectOption('#act-2', 'tanh');
  await expect('act', 'relu-tanh', 'an activation per layer');
  await page.selectOption('#set-init', 'he_normal');
  await expect('init', 'he_normal', 'initializer');
  await setField(page, '#set-wd', 0.001);
  await expect('wd', '1e-3', 'L2 / weight decay');

  // The rest in groups that open.
  await page.click('#more-regularization summary');
  await setField(page, '#set-l1', 0.0001);
  await expect('l1', '1e-4', 'L1');
  await setField(page, '#set-drop', 0.1);
  await expect('drop', '0.1', 'dropout');
  await setField(page, '#set-clip', 5);
  await expect('clip', '5', 'gradient clipping');
  await setField(page, '#set-es', 20);
  await expect('es', '20', 'early-stopping patience');
  await page.selectOption('#set-esm', 'accuracy');
  await expect('esm', 'accuracy', 'early-stopping metric');

  await page.click('#data-settings summary');
  await setField(page, '#set-n', 150);
  await expect('n', '150', 'points per class');
  await setField(page, '#set-noise', 0.1);
  await expect('noise', '0.1', 'noise');
  await setField(page, '#set-val', 0.25);
  await expect('val', '0.25', 'validation share');
  await setField(page, '#set-test', 0.1);
  await expect('test', '0.1', 'test share');
  await setField(page, '#set-minority', 0.3);
  await expect('minority', '0.3', 'minority share');

  await page.click('#input-features summary');
  await page.click('#feat-x1sq');
  await expect('feat', 'x1-x2-x1sq', 'a feature toggled on');
  assert.equal(await page.getAttribute('#feat-x1sq', 'aria-pressed'), 'true');
  await page.click('#feat-sin2');
  await expect('feat', 'x1-x2-x1sq-sin2', 'another');
  await page.selectOption('#set-std', '1');
  await expect('std', '1', 'standardization');
  await setField(page, '#set-poly', 2);
  await expect('poly', '2', 'polynomial degree');
  await setField(page, '#epochs', 21);
  await expect('ep', '21', 'epochs take any number (the course\'s 21)');

  // A value the format refuses is refused here, with the same words, and the link keeps its value.
  await setField(page, '#set-drop', 2);
  await page.waitForSelector('#set-drop-error');
  assert.match(await page.textContent('#set-drop-error'), /dropout must be in \[0, 0.9\], got 2/);
  assert.equal(linkValue(page, 'drop'), '0.1');

  await page.selectOption('#pace', { label: 'Maximum' });
  await page.click('#train');
  await page.waitForSelector('#status[data-state="finished"], #status[data-state="stopped"]', { timeout: 60_000 });
  const lastRow = cliLastRow(page);
  assert.equal(String(await epochOf(page)), lastRow[0], 'the same number of epochs (early stopping alike)');
  assert.equal(await page.getAttribute('#loss-trend', 'data-last'), lastRow[2],
    'final training loss with every control changed: page (wasm) vs command line (native)');

  // A change that alters the run resets it, and says so.
  await setField(page, '#set-bs', 32);
  await page.waitForSelector('#run-reset');
  assert.equal(await page.getAttribute('#status', 'data-state'), 'ready');
  assert.equal(await epochOf(page), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('regression, blob and boundary data have their own settings, written to the link', async () => {
  const { page, problems } = await openLab('?data=sine&ep=20');
  await page.click('#data-settings summary');
  await setField(page, '#set-outliers', 0.1);
  await page.selectOption('#set-loss', 'huber');
  await page.waitForSelector('#set-huber');
  await setField(page, '#set-huber', 0.5);
  await page.waitForFunction(() => new URL(location.href).searchParams.get('huber') === '0.5');
  assert.equal(linkValue(page, 'outliers'), '0.1');
  assert.equal(linkValue(page, 'loss'), 'huber');
  await page.selectOption('#pace', { label: 'Maximum' });
  await page.click('#train');
  await page.waitForSelector('#status[data-state="finished"]', { timeout: 60_000 });
  assert.equal(await page.getAttribute('#loss-trend', 'data-last'), cliLastRow(page)[2]);

  await page.selectOption('#data', 'blobs');
  await setField(page, '#set-classes', 4);
  await page.waitForFunction(() => new URL(location.href).searchParams.get('classes') === '4');
  assert.equal(await page.textContent('#arch'), '2→8→8→4', 'four classes, four outputs');

  // A boundary you define: its curve is a setting of its own, in the link; the page trains what the command line does.
  await page.selectOption('#data', 'boundary');
  await page.waitForSelector('#set-curve');
  assert.equal(await page.$eval('#set-curve', (s) => s.value), 'sine');
  await page.selectOption('#set-curve', 'circle');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('curve') === 'circle');
  await page.click('#train');
  await page.waitForSelector('#status[data-state="finished"]', { timeout: 60_000 });
  assert.equal(await page.getAttribute('#loss-trend', 'data-last'), cliLastRow(page)[2]);
  await page.selectOption('#data', 'moons');
  await page.waitForFunction(() => !new URL(location.href).searchParams.has('curve'));
  assert.equal(await page.$('#set-curve'), null, 'no curve for another data set');
  assert.deepEqual(problems, []);
  await page.close();
});

/** Whether the element's box overlaps the viewport by at least `min` pixels vertically. */
const inView = (page, selector, min = 80) => page.$eval(selector, (el, min) => {
  const r = el.getBoundingClientRect();
  return Math.min(r.bottom, innerHeight) - Math.max(r.top, 0) >= Math.min(min, r.height);
}, min);

for (const [width, height] of [[1366, 768], [1024, 768], [390, 844]]) {
  test(`at ${width}×${height} the loss chart is in view while training, and every tool opens in view`, async () => {
    const { page, problems } = await openLab('?ep=400', { width, height });
    await page.click('#train');
    await page.waitForFunction(() => Number(document.querySelector('#epoch').textContent) >= 5);
    assert.ok(await inView(page, '#loss-chart', 150), 'the loss chart is visible while the run trains');
    assert.ok(await inView(page, '#train'), 'and so is its Pause button');
    await page.click('#train');
    await page.waitForSelector('#status[data-worker-paused="true"]');

    const tools = [['#four-regimes', '#regimes'], ['#find-lr', '#lr-finder'], ['#race-optimizers', '#race'], ['#open-search', '#search']];
    for (const [button, panel] of tools) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.click(button);
      await page.waitForSelector(panel);
      await page.waitForTimeout(100);
      assert.ok(await inView(page, panel), `${panel} opens in view at ${width}×${height}`);
      if (panel === '#regimes') await page.screenshot({ path: `${SHOTS}/layout-${width}-regimes.png` });
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/layout-${width}.png` });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test(`at ${width}×${height} the run's jump to the settings shows only where they are below the data`, async () => {
    const { page, problems } = await openLab('', { width, height });
    const jump = await page.$('.run-head .run-settings');
    assert.equal(await jump.isVisible(), width < 680, 'a phone\'s layout alone has the settings far below the run');
    if (width < 680) {
      assert.ok(!(await inView(page, '.panel.controls', 1)), 'the settings start out of sight');
      await jump.click();
      await page.waitForFunction(() => {
        const r = document.querySelector('.panel.controls').getBoundingClientRect();
        return r.top > -2 && r.top < innerHeight / 2;
      }, null, { timeout: 5000 });
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  test(`at ${width}×${height} a link's tool is in view once the page has shown the whole lab above it`, async () => {
    const { page, problems } = await openLab('?data=circle&tool=regimes', { width, height });
    await page.waitForSelector('.regime-card');
    // The network view and the diagnostics are shown a few tasks into the page's start, above the tool.
    await page.waitForSelector('#diagnostics');
    await page.waitForTimeout(300);
    const top = await page.$eval('#regimes', (el) => el.getBoundingClientRect().top);
    // At the window's top, or as near as the page's end lets it come.
    assert.ok(top > -2 && top < 40, `the regimes at the window's top (${top})`);
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test('inside the network: a very high rate\'s weights grow and its units saturate, a very low one barely moves, as on the command line', async () => {
  const { drawnSoon } = await import('./lab.mjs');
  const run = async (query) => {
    const { page, problems } = await openLab(query);
    await page.selectOption('#pace', { label: 'Maximum' });
    await page.click('#train');
    await page.waitForSelector('#status[data-state="finished"]', { timeout: 60_000 });
    await page.waitForFunction(() => document.querySelector('#diagnostics').dataset.epoch === '40');
    const d = await page.$eval('#diagnostics', (el) => Object.fromEntries(
      ['firstWeightNorm', 'weightNorm', 'gradNorm', 'updateRatio', 'dead'].map((k) => [k, el.dataset[k].split(',').map(Number)])));
    // The page's numbers are the command line's, layer by layer.
    const csv = execFileSync('target/debug/hyperlab', ['run', new URL(page.url()).search, '--diagnostics']).toString().trim().split('\n');
    const header = csv[0].split(',');
    const last = csv.filter((l) => !l.startsWith('#')).at(-1).split(',');
    const col = (name) => Number(last[header.indexOf(name)]);
    assert.deepEqual(d.weightNorm, [1, 2, 3].map((l) => col(`weight_norm_${l}`)), 'weight norms: page vs command line');
    assert.deepEqual(d.updateRatio, [1, 2, 3].map((l) => col(`update_ratio_${l}`)), 'update ratios: page vs command line');
    assert.ok(await drawnSoon(page, '#diag-weight-norm', [68, 1, 84], 30, 40), 'layer 1\'s line is drawn');
    assert.deepEqual(problems, []);
    return { page, d };
  };
  const high = await run('?lr=10&ep=40');
  const low = await run('?lr=1e-5&ep=40');
  assert.ok(high.d.weightNorm[1] > 10 * low.d.weightNorm[1], `lr 10: ‖W₂‖ ${high.d.weightNorm[1]} vs lr 1e-5: ${low.d.weightNorm[1]}`);
  assert.ok(high.d.weightNorm[1] >= high.d.firstWeightNorm[1], 'and it grew over the run');
  assert.ok(high.d.dead[1] > 0.9, `lr 10 saturates layer 2: ${high.d.dead[1]}`);
  assert.ok(low.d.updateRatio.every((r) => r < 1e-5), `lr 1e-5: update ratios ${low.d.updateRatio}`);
  await high.page.screenshot({ path: `${SHOTS}/diagnostics-high.png`, fullPage: true });
  await high.page.close();
  await low.page.close();
});

test('the network view draws the parameters, moves while they train, and holds the command line\'s weights', async () => {
  const { drawnSoon, BLUE, ORANGE } = await import('./lab.mjs');
  const { page, problems } = await openLab('?ep=200');
  assert.match(await page.textContent('#network'), /Train or step: the weights appear here/);
  await page.selectOption('#pace', { label: '30 epochs/s' });
  await page.click('#train');
  await page.waitForFunction(() => Number(document.querySelector('#network').dataset.epoch) >= 10 && document.querySelector('#network').dataset.firstWeight);
  const sum = () => page.$eval('#network', (el) => el.dataset.weightSum);
  const early = await sum();
  await page.waitForFunction((s) => Number(document.querySelector('#epoch').textContent) >= 40 && document.querySelector('#network').dataset.weightSum !== s, early);
  assert.ok(await drawnSoon(page, '#network-view', BLUE, 40, 200), 'positive weights and values drawn in blue');
  assert.ok(await drawnSoon(page, '#network-view', ORANGE, 40, 200), 'negative ones in orange');
  // Finished: the picture is the final network's, as `hyperlab weights` prints it.
  await page.selectOption('#pace', { label: 'Maximum' });
  await page.waitForSelector('#status[data-state="finished"]', { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('#network').dataset.epoch === '200');
  await page.waitForTimeout(300);
  const doc = JSON.parse(execFileSync('target/debug/hyperlab', ['weights', new URL(page.url()).search]).toString());
  assert.equal(doc.epoch, 200);
  assert.equal(Number(await page.getAttribute('#network', 'data-first-weight')), doc.layers[0].weights[0][0]);
  // Point at a unit: its bias and incoming weights.
  const box = await page.$eval('#network-view', (c) => { const r = c.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; });
  let found = false;
  for (let y = 25; y < box[3] && !found; y += 6) {
    await page.mouse.move(box[0] + box[2] * 0.42, box[1] + y);
    found = (await page.$$('#network .hover-box')).length > 0;
  }
  assert.ok(found, 'a unit of layer 1 answers the pointer');
  assert.match(await page.textContent('#network .hover-box'), /layer 1, unit \d+bias/);
  assert.match(await page.textContent('#network .hover-box'), /to layer 2 unit \d+: /, 'its outgoing weights too');
  // From the keyboard: the arrows walk the units, Escape lets go.
  await page.mouse.move(0, 0);
  await page.focus('#network-view');
  await page.keyboard.press('ArrowDown');
  assert.match(await page.textContent('#network .hover-box'), /^input x₁/);
  await page.keyboard.press('ArrowDown');
  assert.match(await page.textContent('#network .hover-box'), /^input x₂to layer 1 unit/);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.match(await page.textContent('#network .hover-box'), /^output 1bias/);
  await page.keyboard.press('Escape');
  assert.equal((await page.$$('#network .hover-box')).length, 0);
  assert.match(await page.textContent('#params-vs-hypers'), /105 weights and biases, learned.*epoch 200/);
  await (await page.$('#network')).screenshot({ path: `${SHOTS}/network-view.png` });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the open tools are part of the link: opening it opens them, closing one takes it out', async () => {
  const { page, problems } = await openLab('?ep=50&surf=ravine&tool=regimes,race');
  await page.waitForSelector('#regimes');
  await page.waitForSelector('#race .racer');
  assert.equal(await page.$eval('#surface', (s) => s.value), 'ravine', 'the race runs on the link\'s surface');
  assert.equal(linkValue(page, 'tool'), 'regimes,race');
  assert.equal(await page.getAttribute('#four-regimes', 'aria-pressed'), 'true');
  await page.click('#close-race');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('tool') === 'regimes');
  await page.click('#find-lr');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('tool') === 'regimes,lrfind');
  await page.click('#close-regimes');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('tool') === 'lrfind');
  // A tool that does not exist is named, and the rest of the link kept.
  const other = await openLab('?lr=0.3&tool=regimes,magic');
  await other.page.waitForSelector('#regimes');
  assert.match(await other.page.textContent('#notices'), /`magic` is not a tool/);
  assert.equal(await other.page.$eval('#lr', (s) => s.value), '0.3');
  assert.deepEqual(problems, []);
  await page.close();
  await other.page.close();
});

test('first use: a cyclic schedule that cannot cycle says so; the range test\'s two suggestions are told apart and say what comes next', async () => {
  const { drawnSoon } = await import('./lab.mjs');
  const { page, problems } = await openLab('?sched=cyclic&lrmin=0.1&lr=0.1&ep=30');
  await page.waitForSelector('#schedule-warning');
  assert.match(await page.textContent('#schedule-warning'), /will not cycle/);
  await page.selectOption('#lr', '0.3');
  await page.waitForSelector('#schedule-warning', { state: 'detached' });
  await page.close();

  const moons = await openLab('?data=moons');
  const page2 = moons.page;
  await page2.click('#find-lr');
  await page2.waitForSelector('.suggestion', { timeout: 30_000 });
  const names = await page2.$$eval('.suggestion .suggestion-name', (s) => s.map((x) => x.textContent));
  assert.deepEqual(names, ['Suggestion 1: ', 'Suggestion 2: '].slice(0, names.length));
  assert.ok(names.length >= 1);
  const dots = await page2.$$eval('.suggestion .dot', (s) => s.map((x) => x.style.background));
  assert.equal(new Set(dots).size, dots.length, `each suggestion its own colour: ${dots}`);
  assert.ok(await drawnSoon(page2, '#lr-finder-chart', [51, 34, 136], 30, 20), 'the first suggestion\'s line is drawn in its colour');
  assert.match(await page2.textContent('#lr-next'), /then press Train/);
  assert.deepEqual(problems, []);
  assert.deepEqual(moons.problems, []);
  await page2.close();
});

test('a 100 000-epoch plan: its learning rates are drawn, and the last epoch\'s label stays on the chart', async () => {
  const { drawnSoon } = await import('./lab.mjs');
  // Every label the learning-rate chart writes, with where and how wide.
  const { page, problems } = await openLab('?data=spiral&ep=100000&sched=cyclic', { width: 1366, height: 900 }, () => {
    const fill = CanvasRenderingContext2D.prototype.fillText;
    window.__labels = [];
    CanvasRenderingContext2D.prototype.fillText = function (text, x, y) {
      if (this.canvas.id === 'lr-chart') {
        const m = this.measureText(text);
        window.__labels.push({ text, left: x - m.actualBoundingBoxLeft, right: x + m.actualBoundingBoxRight,
          width: this.canvas.width / this.getTransform().a });
      }
      return fill.apply(this, arguments);
    };
  });
  await page.waitForFunction(() => window.__labels.some((l) => l.text === '100000'));
  const last = await page.evaluate(() => window.__labels.filter((l) => l.text === '100000').at(-1));
  assert.ok(last.left >= 0 && last.right <= last.width, `"100000" drawn from ${last.left} to ${last.right} on a ${last.width}px chart`);
  // The plan's grey band (a cycle every few epochs across 100 000) fills the plot.
  assert.ok(await drawnSoon(page, '#lr-chart', [150, 150, 150], 12, 20_000), 'the planned rates are drawn');
  assert.deepEqual(problems, []);
  await page.close();
});

test('first use: a grid search asks for its levels and draws its heat map; "What mattered" says what its shares are', async () => {
  const { page, problems } = await openLab('?data=moons&ep=5&search=grid&trials=9&space=lr:log:0.01:1:3,bs:logint:8:32:3');
  await page.waitForSelector('#search');
  assert.equal((await page.$$('.space-levels')).length, 2, 'each tuned range has its grid levels');
  await page.click('#search-run');
  await page.waitForSelector('#search-status[data-phase="done"]', { timeout: 60_000 });
  // Two hyperparameters: the 3 × 3 grid as a heat map, every cell filled by the nine trials.
  await page.waitForSelector('#heatmap');
  assert.equal(await page.getAttribute('#heatmap', 'data-cells'), '9');
  assert.equal(await page.getAttribute('#heatmap', 'data-filled'), '9');
  await page.waitForSelector('#importance');
  assert.match(await page.textContent('#importance'), /need not add up to 100 %/);
  await page.selectOption('#search-method', 'random');
  await page.waitForFunction(() => document.querySelectorAll('.space-levels').length === 0);
  // The "network shape" space has 4 × 2 settings: 20 random trials would repeat them, and the page says so.
  await page.fill('#search-trials', '20');
  await page.press('#search-trials', 'Tab');
  await page.click('#search .presets button:text("network shape")');
  await page.waitForSelector('#few-settings');
  assert.match(await page.textContent('#few-settings'), /Only 8 different settings exist here.*of 20 trials/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('kept runs compare by what happened inside the network', async () => {
  const { drawnSoon } = await import('./lab.mjs');
  const { page, problems } = await openLab('?ep=30&lr=10');
  await page.selectOption('#pace', { label: 'Maximum' });
  for (const lr of ['10', '0.1']) {
    await page.selectOption('#lr', lr);
    await page.click('#train');
    await page.waitForSelector('#status[data-state="finished"]', { timeout: 60_000 });
    await page.click('#add-compare');
  }
  await page.waitForSelector('#compare .run >> nth=1');
  await page.selectOption('#compare-metric', 'weight_norm');
  await page.waitForTimeout(300);
  assert.ok(await drawnSoon(page, '#compare-chart', [204, 121, 167], 25, 50), 'the first run\'s largest weight norm is drawn');
  assert.ok(await drawnSoon(page, '#compare-chart', [86, 180, 233], 25, 50), 'and the second\'s');
  const options = await page.$$eval('#compare-metric option', (o) => o.map((x) => x.value));
  assert.ok(['weight_norm', 'grad_norm', 'update_ratio', 'dead'].every((k) => options.includes(k)), options.join(','));
  assert.deepEqual(problems, []);
  await page.close();
});

test('benchmark: one run training with the network view in sight — frame rate, picture updates (reported)', async () => {
  // The budget: the network view keeps the page at ≥ 30 frames/s while training.
  // Three hidden layers of 16 on the spiral: 48 unit maps redrawn as the run goes.
  const { page, problems } = await openLab('?data=spiral&hidden=16-16-16&ep=100000', { width: 1366, height: 768 });
  await page.$eval('#network', (el) => el.scrollIntoView({ block: 'center' }));
  await recordFrames(page, '#network', ['data-weight-sum']);
  await page.click('#train');
  await page.waitForFunction(() => document.querySelector('#network').dataset.epoch);
  const t0 = await page.evaluate(() => performance.now());
  await page.waitForTimeout(4000);
  const perf = await frameStats(page, t0);
  await page.click('#train'); // pause
  console.log(`# one run of 2→16→16→16→1 training with the network view in sight: ${perf.fps.toFixed(0)} frames/s, ` +
    `worst frame gap ${perf.worstGap.toFixed(0)} ms, longest main-thread task ${perf.longest.toFixed(0)} ms, ` +
    `network picture redrawn ${perf.updateRate.toFixed(1)}/s, epoch ${perf.epoch} after 4 s`);
  assert.ok(perf.updateRate > 0, 'the picture kept updating while the run trained');
  assert.deepEqual(problems, []);
  await page.close();
});
