// End-to-end: every run chart leaves the lab as a figure. The SVG parses,
// names the chart and carries its link; its plotted lines are the ones
// `hyperlab plot` draws for the page's link, point for point; the PNG
// decodes at twice the figure's size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { ENDED, openLab } from './lab.mjs';

/** A PNG file's width and height, as the browser decodes it. */
function pngSize(page, path) {
  return page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    return [bitmap.width, bitmap.height];
  }, readFileSync(path).toString('base64'));
}

/**
 * The `points` of every series in an SVG document, in order: its polylines of
 * more than two points (the legend's samples and the ticks, placed by
 * measured text, have two).
 */
const polylines = (svg) => [...svg.matchAll(/<polyline[^>]*points="([^"]*)"/g)].map((m) => m[1])
  .filter((p) => p.trim().split(/\s+/).length > 2);

test('the run\'s charts leave the lab as SVG and PNG figures: the SVG\'s lines are `hyperlab plot`\'s', async () => {
  const { page, problems } = await openLab('?v=1&data=moons&ep=30&sched=step&start=1&every=10&rate=0.5');
  assert.equal(await page.$eval('#loss-svg', (b) => b.disabled), true, 'nothing to draw before training');
  await page.selectOption('#pace', { label: 'Maximum' });
  await page.click('#train');
  await page.waitForSelector(ENDED, { timeout: 60_000 });
  for (const [id, chart, words] of [['loss', 'loss', ['Loss', 'epoch', 'binary cross-entropy', 'training', 'validation']], ['lr', 'lr', ['Learning rate', 'planned', 'used']]]) {
    const [svgFile] = await Promise.all([page.waitForEvent('download'), page.click(`#${id}-svg`)]);
    assert.equal(svgFile.suggestedFilename(), `hyperlab-${chart}.svg`);
    const svg = readFileSync(await svgFile.path(), 'utf8');
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return { error: doc.querySelector('parsererror')?.textContent ?? null, root: doc.documentElement.nodeName, width: doc.documentElement.getAttribute('width') };
    }, svg);
    assert.deepEqual(parsed, { error: null, root: 'svg', width: '900' }, `${id}: a valid SVG document`);
    for (const word of words) assert.ok(svg.includes(word), `${id}: the figure says "${word}"`);
    assert.ok(svg.includes(new URL(page.url()).origin), `${id}: the figure carries its link`);
    const cli = execFileSync('target/debug/hyperlab', ['plot', page.url(), '--chart', chart]).toString();
    const lines = polylines(svg);
    assert.ok(lines.filter((l) => l.split(' ').length >= 30).length >= (id === 'loss' ? 2 : 1), `${id}: the series are drawn, a point an epoch`);
    assert.deepEqual(lines, polylines(cli), `${id}: the same lines, point for point, as the command line's figure`);

    const [pngFile] = await Promise.all([page.waitForEvent('download'), page.click(`#${id}-png`)]);
    assert.equal(pngFile.suggestedFilename(), `hyperlab-${chart}.png`);
    copyFileSync(await pngFile.path(), `target/e2e/figure-${id}.png`);
    assert.deepEqual(await pngSize(page, await pngFile.path()), [1800, 1120], `${id}: the PNG decodes at twice the figure's size`);
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
    assert.deepEqual(await pngSize(page, await pngFile.path()), [1800, 1120], `${id}: the PNG`);
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
  assert.deepEqual(await pngSize(page, await png.path()), [1800, 1120]);
  assert.deepEqual(problems, []);
  await page.close();
});
