// End-to-end: "beat the search". A student tunes the learning rate by hand
// in two trainings, each kept and scored as it ends; random search and
// Bayesian optimization then get two trials each; the scores stand side by
// side, the student's curve beside theirs; the page's link carries it all
// and, opened elsewhere with autorun=1, gives the same numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, drawnSoon, linkValue, openLab } from './lab.mjs';

// The heuristics lesson's step: the challenge is on (8 trainings); the test makes it 2.
const LINK = '?v=1&lesson=heuristics&step=7';
const beat = (page, attr) => page.getAttribute('#beat', `data-${attr}`);

test('beat the search: two trainings by hand against random and Bayesian search, and the link replays the result', async () => {
  const { page, problems } = await openLab(LINK, { width: 1366, height: 900 });
  await page.waitForSelector('#beat[data-on="true"][data-left="8"]');
  await page.click('#beat-stop');
  await page.waitForSelector('#beat[data-on="false"]');
  await page.fill('#beat-n', '2');
  await page.press('#beat-n', 'Tab');
  await page.click('#beat-start');
  await page.waitForSelector('#beat[data-on="true"]');
  assert.equal(linkValue(page, 'beat'), '2');
  assert.equal(await beat(page, 'left'), '2');
  await page.selectOption('#pace', { label: 'Maximum' });
  for (const [i, lr] of ['0.01', '1'].entries()) {
    await page.selectOption('#lr', lr);
    await page.click('#train');
    await page.waitForSelector('#status[data-state="finished"]', { timeout: 60_000 });
    await page.waitForSelector(`#beat[data-attempts="${i + 1}"]`, { timeout: 5000 });
  }
  assert.equal(await beat(page, 'left'), '0');
  assert.equal(await page.$$eval('.beat-table tbody tr', (rows) => rows.length), 2);
  // Each training was kept, so the link carries them.
  assert.equal((linkValue(page, 'runs') ?? '').split('~').length, 2);
  // A third training does not count: the budget is spent.
  await page.selectOption('#lr', '0.3');
  await page.click('#train');
  await page.waitForSelector('#status[data-state="finished"]', { timeout: 60_000 });
  await page.waitForTimeout(300);
  assert.equal(await beat(page, 'attempts'), '2');
  assert.equal((linkValue(page, 'runs') ?? '').split('~').length, 2);

  await page.click('#beat-run');
  await page.waitForSelector('#beat[data-done="true"]', { timeout: 60_000 });
  assert.equal(linkValue(page, 'compare'), 'random,bayes');
  const result = await page.textContent('#beat-result');
  const parts = result.match(/^Best validation accuracy in 2 trainings — you: ([\d.e-]+) · random ([\d.e-]+) · Bayesian ([\d.e-]+) \(median over seeds\)\. (You beat both searches\.|You beat \w+ search, not the other\.|Both searches beat you\.) (.*)$/);
  assert.ok(parts, result);
  // Two trials are inside Bayesian optimization's random start: it is random search here, and the page says so.
  assert.equal(parts[2], parts[3]);
  assert.match(parts[5], /^Bayesian optimization tries 6 random settings before its model of past trials takes over, so with 2 it is random search/);
  const [mine, random] = [Number(parts[1]), Number(parts[2])];
  assert.equal(parts[4] === 'You beat both searches.', mine > random, 'the verdict follows the numbers');
  // The lesson's task sees the finished challenge.
  await page.waitForFunction(() => document.querySelector('#tasks li').dataset.done === 'true', null, { timeout: 5000 });
  // The student's curve is drawn beside the methods' (vermillion).
  assert.ok(await drawnSoon(page, '#comparison-chart', [213, 94, 0], 30, 60), 'your best so far is drawn');
  await page.screenshot({ path: `${SHOTS}/beat-the-search.png`, fullPage: true });

  // The result's link, opened afresh with autorun=1: the trainings retrained, the searches run again, the same numbers.
  const again = await openLab(`${new URL(page.url()).search}&autorun=1`, { width: 1366, height: 900 });
  await again.page.waitForSelector('#beat[data-done="true"]', { timeout: 60_000 });
  assert.equal(await again.page.textContent('#beat-result'), result);
  assert.deepEqual(again.problems, []);
  await again.page.close();
  assert.deepEqual(problems, []);
  await page.close();
});
