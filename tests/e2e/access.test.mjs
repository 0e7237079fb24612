// End-to-end: accessibility checked, not assumed (issue 10). axe-core (npm)
// on the lab, the four regimes, the race, the comparison and the search lab:
// no serious or critical violation. Every control is reached with Tab and
// shows where the focus is; the charts' exact values can be read from the
// keyboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openLab } from './lab.mjs';

const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

/** axe-core's violations on the page as it is now (all impacts), as `impact id: targets`. */
async function violations(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      impact: v.impact,
      text: `${v.impact} ${v.id} (${v.help}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`,
    }));
  });
}

test('axe-core finds no serious or critical violation on any view of the lab', async () => {
  const { page, problems } = await openLab('?data=moons&ep=40');
  const found = {};
  const look = async (view) => { found[view] = await violations(page); };
  await look('lab');
  await page.selectOption('#pace', { label: 'Maximum' });
  await page.click('#train');
  await page.waitForSelector('#status[data-state="finished"]', { timeout: 30_000 });
  await page.click('#add-compare');
  await look('comparison');
  await page.click('#four-regimes');
  await page.waitForFunction(() => document.querySelectorAll('.regime-card:not([data-regime="pending"])').length === 4,
    null, { timeout: 60_000 });
  await look('four regimes');
  await page.click('#race-optimizers');
  await page.waitForSelector('.racer');
  await look('race');
  await page.click('#open-search');
  await page.fill('#search-trials', '6');
  await page.press('#search-trials', 'Tab');
  await page.click('#search-run');
  await page.waitForSelector('#search-status[data-phase="done"]', { timeout: 60_000 });
  await look('search lab');
  await page.click('#present');
  await look('presentation mode');
  const serious = Object.entries(found).flatMap(([view, v]) =>
    v.filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => `${view}: ${x.text}`));
  const all = Object.values(found).reduce((n, v) => n + v.length, 0);
  console.log(`# axe-core on ${Object.keys(found).length} views: ${serious.length} serious or critical, ${all} in all`);
  assert.deepEqual(serious, []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('every control is reached with Tab, shows its focus, and the charts read out from the keyboard', async () => {
  const { page, problems } = await openLab('?data=moons&ep=30&search=random&trials=4');
  await page.selectOption('#pace', { label: 'Maximum' });
  await page.click('#train');
  await page.waitForSelector('#status[data-state="finished"]', { timeout: 30_000 });
  await page.click('#add-compare');
  // Every enabled, visible control gets a number; Tab must reach each one.
  // (Controls in a closed group are not visible: their group's summary is reached instead.)
  for (const summary of await page.$$('details.group summary')) await summary.click();
  const total = await page.evaluate(() => {
    const all = [...document.querySelectorAll('button, select, input, a[href], [tabindex]:not([tabindex="-1"])')]
      .filter((el) => !el.disabled && el.checkVisibility());
    all.forEach((el, i) => { el.dataset.probe = String(i); });
    return all.length;
  });
  await page.evaluate(() => document.activeElement?.blur());
  const reached = new Set();
  const unmarked = [];
  for (let i = 0; i < total + 20 && reached.size < total; i++) {
    await page.keyboard.press('Tab');
    const seen = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
      return { probe: el.dataset.probe ?? null, id: el.id || el.tagName, visible: outline || style.boxShadow !== 'none' };
    });
    if (!seen) continue;
    if (seen.probe !== null) reached.add(seen.probe);
    if (!seen.visible) unmarked.push(seen.id);
  }
  console.log(`# keyboard: ${reached.size} of ${total} controls reached with Tab, ${unmarked.length} without a visible focus`);
  assert.equal(reached.size, total, 'every control is reached with Tab');
  assert.deepEqual(unmarked, [], 'every focused control shows its focus');
  // A chart's exact values, from the keyboard: focus shows the last epoch; Home goes to the first.
  await page.focus('#loss-chart');
  await page.waitForSelector('.hover-box');
  const last = await page.textContent('.hover-box');
  assert.match(last, /epoch 30/);
  await page.keyboard.press('Home');
  await page.waitForFunction(() => /epoch 1(?!\d)/.test(document.querySelector('.hover-box')?.textContent ?? ''));
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => /epoch 2(?!\d)/.test(document.querySelector('.hover-box')?.textContent ?? ''));
  await page.keyboard.press('Escape');
  await page.waitForSelector('.hover-box', { state: 'detached' });
  // Operable: Enter on a focused button acts, arrows change a focused select.
  await page.focus('#reset');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#epoch').textContent === '0');
  await page.focus('#pace');
  const pace = await page.$eval('#pace', (s) => s.value);
  await page.keyboard.press('ArrowUp');
  assert.notEqual(await page.$eval('#pace', (s) => s.value), pace);
  assert.deepEqual(problems, []);
  await page.close();
});
