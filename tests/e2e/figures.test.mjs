// End-to-end: every run chart leaves the lab as a figure. The SVG parses,
// names the chart and carries its link; its plotted lines are the ones
// `hyperlab plot` draws for the page's link, point for point; the PNG
// decodes at twice the figure's size and shows it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { ENDED, openLab } from './lab.mjs';

/** A PNG file's width and height, and the share of its pixels that are not white, as the browser decodes it. */
function pngFacts(page, path) {
  return page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    context.drawImage(bitmap, 0, 0);
    const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200) inked++;
    return { size: [bitmap.width, bitmap.height], inked: inked / (data.length / 4) };
  }, readFileSync(path).toString('base64'));
}

/** The PNG decodes at twice the figure's size, and the figure is drawn on it (not a blank canvas). */
async function assertPng(page, path, id) {
  const { size, inked } = await pngFacts(page, path);
  assert.deepEqual(size, [1800, 1120], `${id}: the PNG decodes at twice the figure's size`);
  assert.ok(inked > 0.005, `${id}: the PNG shows the figure (${(inked * 100).toFixed(2)} % of it inked)`);
}

/**
 * The `points` of every series in an SVG document, in order: its polylines of
 * more than two points (the legend's samples and the ticks, placed by
 * measured text, have two).
 */
const polylines = (svg) => [...svg.matchAll(/<polyline[^>]*points="([^"]*)"/g)].map((m) => m[1])
  .filter((p) => p.trim().split(/\s+/).length > 2);

/**
 * Saves chart `id` as SVG and PNG (named `hyperlab-{name}.svg` when `name`
 * is given): the SVG parses as an SVG document of the figure's size, says
 * each of `words` and carries the page's link; the PNG decodes at twice the
 * figure's size (both kept in target/e2e to look at). Returns the SVG's text.
 */
async function saved(page, id, words, name = null) {
  await page.waitForSelector(`#${id}-svg:not([disabled])`, { timeout: 60_000 });
  const [svgFile] = await Promise.all([page.waitForEvent('download'), page.click(`#${id}-svg`)]);
  assert.match(svgFile.suggestedFilename(), /^hyperlab-[a-z0-9-]+\.svg$/, id);
  if (name) assert.equal(svgFile.suggestedFilename(), `hyperlab-${name}.svg`);
  const svg = readFileSync(await svgFile.path(), 'utf8');
  copyFileSync(await svgFile.path(), `target/e2e/figure-${id}.svg`);
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { error: doc.querySelector('parsererror')?.textContent ?? null, root: doc.documentElement.nodeName, width: doc.documentElement.getAttribute('width') };
  }, svg);
  assert.deepEqual(parsed, { error: null, root: 'svg', width: '900' }, `${id}: a valid SVG document`);
  for (const word of words) assert.ok(svg.includes(word), `${id}: the figure says "${word}"`);
  assert.ok(svg.includes(new URL(page.url()).origin), `${id}: the figure carries its link`);
  const [pngFile] = await Promise.all([page.waitForEvent('download'), page.click(`#${id}-png`)]);
  assert.equal(pngFile.suggestedFilename(), svgFile.suggestedFilename().replace(/svg$/, 'png'));
  copyFileSync(await pngFile.path(), `target/e2e/figure-${id}.png`);
  await assertPng(page, await pngFile.path(), id);
  return svg;
}

const rects = (svg) => (svg.match(/<rect/g) ?? []).length;

/** Every drawn shape of an SVG document, in order: lines, points, rectangles (text left out). */
const shapes = (svg) => [...svg.matchAll(/<(polyline|circle|rect|line)\b[^>]*>/g)].map((m) => m[0]);

/** `hyperlab plot`'s figure for the page's link. */
const cli = (page, chart) => execFileSync('target/debug/hyperlab', ['plot', page.url(), '--chart', chart]).toString();

test('the run\'s charts leave the lab as SVG and PNG figures: the SVG\'s lines are `hyperlab plot`\'s', async () => {
  const { page, problems } = await openLab('?v=1&data=moons&ep=30&sched=step&start=1&every=10&rate=0.5');
  assert.equal(await page.$eval('#loss-svg', (b) => b.disabled), true, 'nothing to draw before training');
  await page.selectOption('#pace', { label: 'Maximum' });
  await page.click('#train');
  await page.waitForSelector(ENDED, { timeout: 60_000 });
  for (const [id, chart, words] of [['loss', 'loss', ['Loss', 'epoch', 'binary cross-entropy', 'training', 'validation']], ['lr', 'lr', ['Learning rate', 'planned', 'used']]]) {
    const svg = await saved(page, id, words, chart);
    const lines = polylines(svg);
    assert.ok(lines.filter((l) => l.split(' ').length >= 30).length >= (id === 'loss' ? 2 : 1), `${id}: the series are drawn, a point an epoch`);
    assert.deepEqual(lines, polylines(cli(page, chart)), `${id}: the same lines, point for point, as the command line's figure`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

/** The centres of every point in an SVG document, in order. */
const circles = (svg) => [...svg.matchAll(/<circle[^>]*cx="([^"]*)"[^>]*cy="([^"]*)"/g)].map((m) => `${m[1]},${m[2]}`);

test('a finished search\'s charts leave the lab: best so far and each slice, the command line\'s points', async () => {
  const { page, problems } = await openLab('?v=1&data=moons&ep=15&search=random&trials=6&space=lr%3Alog%3A0.001%3A1%2Copt%3Achoice%3Asgd%7Cadam');
  assert.equal(await page.$('#search-best-svg'), null, 'no figure before the search has run');
  await page.click('#search-run');
  await page.waitForSelector('#search-status[data-phase="done"]', { timeout: 60_000 });
  for (const [id, chart] of [['search-best', 'best'], ['slice-lr', 'slice:lr'], ['slice-opt', 'slice:opt']]) {
    await page.waitForSelector(`#${id}-svg:not([disabled])`, { timeout: 10_000 });
    const [svgFile] = await Promise.all([page.waitForEvent('download'), page.click(`#${id}-svg`)]);
    const svg = readFileSync(await svgFile.path(), 'utf8');
    const cli = execFileSync('target/debug/hyperlab', ['plot', page.url(), '--chart', chart]).toString();
    const points = circles(svg);
    assert.ok(points.length >= 6, `${id}: every trial is a point (${points.length})`);
    assert.deepEqual(points, circles(cli), `${id}: the command line's points`);
    assert.deepEqual(polylines(svg), polylines(cli), `${id}: the command line's lines`);
    assert.ok(svg.includes('random search, 6 trials, two moons'), `${id}: titled`);
    const [pngFile] = await Promise.all([page.waitForEvent('download'), page.click(`#${id}-png`)]);
    await assertPng(page, await pngFile.path(), id);
    copyFileSync(await pngFile.path(), `target/e2e/figure-${id}.png`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('the four regimes and the kept runs leave the lab as figures: the command line\'s lines', async () => {
  const { page, problems } = await openLab('?v=1&data=moons&ep=25');
  await page.selectOption('#pace', { label: 'Maximum' });
  await page.click('#four-regimes');
  await page.waitForFunction(() => document.querySelectorAll('.regime-card[data-regime]:not([data-regime="pending"])').length === 4, null, { timeout: 60_000 });
  await page.waitForSelector('#regimes-svg:not([disabled])');
  const [regimesFile] = await Promise.all([page.waitForEvent('download'), page.click('#regimes-svg')]);
  const regimes = readFileSync(await regimesFile.path(), 'utf8');
  const cliRegimes = execFileSync('target/debug/hyperlab', ['plot', page.url(), '--chart', 'regimes']).toString();
  assert.equal(polylines(regimes).length, 4, 'four curves');
  assert.deepEqual(polylines(regimes), polylines(cliRegimes), 'the command line\'s four curves');
  for (const label of ['very high', 'high', 'good', 'low']) assert.ok(regimes.includes(label), label);
  await page.click('#close-regimes');

  // Two kept runs, overlaid.
  for (const lr of ['0.1', '1']) {
    await page.selectOption('#lr', lr);
    await page.click('#train');
    await page.waitForSelector(ENDED, { timeout: 60_000 });
    await page.click('#add-compare');
  }
  await page.waitForFunction(() => document.querySelectorAll('#compare li.run').length === 2);
  const [keptFile] = await Promise.all([page.waitForEvent('download'), page.click('#kept-svg')]);
  const kept = readFileSync(await keptFile.path(), 'utf8');
  const cliKept = execFileSync('target/debug/hyperlab', ['plot', page.url(), '--chart', 'kept']).toString();
  assert.ok(polylines(kept).filter((l) => l.trim().split(/\s+/).length >= 25).length >= 2, 'each run\'s training loss, a point an epoch (validation dashed, in segments)');
  assert.deepEqual(polylines(kept), polylines(cliKept), 'the command line\'s curves for the link\'s kept runs');
  assert.ok(kept.includes('kept runs'), 'titled');
  // Compared by a per-layer diagnostic: each run's largest over its layers.
  await page.selectOption('#compare-metric', 'weight_norm');
  const [insideFile] = await Promise.all([page.waitForEvent('download'), page.click('#kept-svg')]);
  assert.equal(insideFile.suggestedFilename(), 'hyperlab-kept-weight-norm.svg');
  const inside = readFileSync(await insideFile.path(), 'utf8');
  assert.equal(polylines(inside).filter((l) => l.trim().split(/\s+/).length === 25).length, 2, 'a line a run, a point an epoch');
  assert.deepEqual(polylines(inside), polylines(execFileSync('target/debug/hyperlab', ['plot', page.url(), '--chart', 'kept:weight_norm']).toString()), 'the command line\'s');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a comparison of search methods leaves the lab as a figure: the command line\'s curves', async () => {
  const { page, problems } = await openLab('?v=1&data=moons&ep=10&search=random&trials=4&space=lr%3Alog%3A0.01%3A1%3A4&compare=grid,random&repeats=2');
  await page.click('#compare-run');
  await page.waitForSelector('#comparison[data-done="true"]', { timeout: 60_000 });
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('#comparison-svg')]);
  assert.equal(file.suggestedFilename(), 'hyperlab-comparison.svg');
  const svg = readFileSync(await file.path(), 'utf8');
  const cli = execFileSync('target/debug/hyperlab', ['plot', page.url()]).toString();
  assert.ok(polylines(svg).length >= 2, 'each method\'s median');
  assert.deepEqual(polylines(svg), polylines(cli), 'the command line\'s curves');
  for (const name of ['Search methods on equal budgets', 'grid', 'random']) assert.ok(svg.includes(name), name);
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#comparison-png')]);
  await assertPng(page, await png.path(), 'comparison');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the data, the network and the diagnostics leave the lab as figures: the map, each weight, each layer', async () => {
  const { page, problems } = await openLab('?v=1&data=moons&ep=15&hidden=4,3');
  assert.equal(await page.$eval('#network-svg', (b) => b.disabled), true, 'no network to draw before training');
  await page.selectOption('#pace', { label: 'Maximum' });
  await page.click('#train');
  await page.waitForSelector(ENDED, { timeout: 60_000 });
  const data = await saved(page, 'data-view', ['two moons', 'class 0', 'class 1', 'probability of class 1', 'x₁']);
  assert.deepEqual(shapes(data), shapes(cli(page, 'data')), 'the command line\'s map and points, shape for shape');
  assert.ok(rects(data) >= 64 * 64, `the network's map, a cell a grid point (${rects(data)} rectangles)`);
  assert.ok((data.match(/<circle/g) ?? []).length >= 200, 'every example a point');
  const network = await saved(page, 'network', ['The network after 15 epochs', 'inputs (2)', 'hidden 1 (4)', 'hidden 2 (3)', 'positive weight']);
  assert.deepEqual(shapes(network), shapes(cli(page, 'network')), 'the command line\'s weights, line for line');
  // A line a weight layer, a point an epoch; the output layer has no dead share.
  for (const [key, name, layers] of [['weight-norm', 'weight norm', 3], ['grad-norm', 'gradient norm', 3], ['update-ratio', 'update ratio', 3], ['dead', 'dead or saturated share', 2]]) {
    const svg = await saved(page, `diag-${key}`, ['Inside the network', name, 'layer 1', 'layer 2']);
    assert.equal(polylines(svg).filter((l) => l.trim().split(/\s+/).length === 15).length, layers, `${key}: a line a layer, a point an epoch`);
    assert.equal(svg.includes('>\noutput\n<'), layers === 3, `${key}: the output layer named when drawn`);
    assert.deepEqual(polylines(svg), polylines(cli(page, key.replace('-', '_'))), `${key}: the command line's lines`);
  }
  assert.deepEqual(problems, []);
  await page.close();

  // Data with more inputs than a picture: the confusion matrix, and a regression's fit.
  for (const [query, words] of [['?v=1&data=iris&ep=10', ['confusion matrix of the validation set', 'predicted class', 'true class']], ['?v=1&data=sparse&ep=10', ['validation predictions against their targets', 'perfect fit']]]) {
    const { page: p, problems: issues } = await openLab(query);
    assert.equal(await p.$eval('#data-view-svg', (b) => b.disabled), true, `${query}: nothing to draw before training`);
    await p.selectOption('#pace', { label: 'Maximum' });
    await p.click('#train');
    await p.waitForSelector(ENDED, { timeout: 60_000 });
    const svg = await saved(p, 'data-view', words);
    assert.deepEqual(shapes(svg), shapes(cli(p, 'data')), `${query}: the command line's figure`);
    assert.deepEqual(issues, []);
    await p.close();
  }
});

test('the range test and the optimizer race leave the lab as figures', async () => {
  const { page, problems } = await openLab('?v=1&data=moons');
  await page.click('#find-lr');
  const range = await saved(page, 'lr-finder', ['Learning-rate range test', 'learning rate (log scale)', 'suggestion 1']);
  assert.ok(polylines(range).some((l) => l.trim().split(/\s+/).length > 50), 'the smoothed loss, a point a step');
  assert.deepEqual(polylines(range), polylines(cli(page, 'range')), 'the command line\'s range test');
  await page.click('#close-lr-finder');
  await page.click('#race-optimizers');
  const race = await saved(page, 'race', ['Optimizer race on', 'SGD', 'Adam', 'your settings', 'minimum']);
  assert.ok(rects(race) >= 96 * 96, 'the surface, a cell a grid point');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a finished search\'s analyses leave the lab as figures: heat map, parallel coordinates, Pareto front, what mattered, curves, generations, surrogate', async () => {
  const grid = '?v=1&data=moons&ep=5&search=grid&trials=6&space=lr%3Alog%3A0.01%3A1%3A3%2Chidden%3Achoice%3A4%7C16';
  const { page, problems } = await openLab(grid);
  await page.click('#search-run');
  await page.waitForSelector('#search-status[data-phase="done"]', { timeout: 60_000 });
  const heat = await saved(page, 'heatmap', ['Mean validation', 'grid search, 6 trials, two moons', 'lr', 'hidden']);
  assert.ok(rects(heat) >= 6, 'a cell a grid point');
  const parallel = await saved(page, 'parallel', ['Parallel coordinates', 'best:']);
  assert.ok(polylines(parallel).length >= 6, 'a line a trial');
  await saved(page, 'pareto', ['Score against', 'Pareto front']);
  await saved(page, 'importance', ['What mattered', '%']);
  await saved(page, 'curves', ['Learning curves of the best', 'trial']);
  assert.deepEqual(problems, []);
  await page.close();

  const genetic = await openLab('?v=1&data=moons&ep=5&search=genetic&trials=8&pop=4&space=lr%3Alog%3A0.01%3A1');
  await genetic.page.click('#search-run');
  await genetic.page.waitForSelector('#search-status[data-phase="done"]', { timeout: 60_000 });
  await saved(genetic.page, 'generations', ['Generations', 'generation&apos;s best', 'median', 'genetic algorithm, 8 trials']);
  assert.deepEqual(genetic.problems, []);
  await genetic.page.close();

  const bayes = await openLab('?v=1&data=moons&ep=5&search=bayes&trials=8&space=lr%3Alog%3A0.01%3A1%2Cbs%3Alogint%3A4%3A64');
  await bayes.page.click('#search-run');
  await bayes.page.waitForSelector('#search-status[data-phase="done"]', { timeout: 60_000 });
  const surrogate = await saved(bayes.page, 'surrogate', ["The model&apos;s belief", 'best']);
  assert.ok(rects(surrogate) >= 100, 'the prediction, a cell a grid point');
  assert.deepEqual(bayes.problems, []);
  await bayes.page.close();
});
