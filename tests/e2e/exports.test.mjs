// End-to-end: what leaves the lab. The lab's run downloads as CSV and as
// JSON lines, and each file equals what the command line prints for the
// page's link — finished, with a test split, diverged and stopped early.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ENDED, openLab } from './lab.mjs';

/** `hyperlab run` for the link (a diverged run exits 1, its output is still the file). */
function cli(search, json) {
  try {
    return execFileSync('target/debug/hyperlab', ['run', ...(json ? ['--json'] : []), search], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  } catch (e) {
    return e.stdout.toString();
  }
}

test('the run leaves the lab: its CSV and JSON downloads equal the command line\'s output for the link', async () => {
  // Finished; with a test split (a bundled set); diverged after a rate raised by hand; stopped early.
  for (const query of ['?v=1&data=moons&ep=30&seed=2', '?v=1&data=iris&ep=25&test=0.2', '?v=1&data=sine&lr=0.03&ep=50&lrc=10:20', '?v=1&data=moons&ep=200&es=5']) {
    const { page, problems } = await openLab(query);
    assert.equal(await page.$eval('#download-csv', (b) => b.disabled), true, 'nothing to download before training');
    await page.selectOption('#pace', { label: 'Maximum' });
    await page.click('#train');
    await page.waitForSelector(ENDED, { timeout: 60_000 });
    for (const json of [false, true]) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(json ? '#download-json' : '#download-csv')]);
      assert.equal(download.suggestedFilename(), json ? 'hyperlab-run.jsonl' : 'hyperlab-run.csv');
      const text = readFileSync(await download.path(), 'utf8');
      const expected = cli(new URL(page.url()).search, json);
      assert.ok(expected.split('\n').length > 5, `${query}: the command line printed the run`);
      assert.equal(text, expected, `${query} ${json ? 'JSON' : 'CSV'}`);
    }
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('a search\'s trials leave the lab: the CSV equals `hyperlab search` for the link', async () => {
  for (const query of [
    '?v=1&data=moons&ep=20&search=random&trials=6&space=lr%3Alog%3A0.001%3A10%3A4',
    '?v=1&data=xor&ep=15&search=bayes&trials=8&space=lr%3Alog%3A0.001%3A1%3A4%2Cunits%3Alogint%3A2%3A16%3A4&smetric=loss',
  ]) {
    const { page, problems } = await openLab(query);
    await page.click('#search-run');
    await page.waitForSelector('#search-status[data-phase="done"]', { timeout: 60_000 });
    await page.waitForSelector('#download-trials', { timeout: 20_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-trials')]);
    assert.equal(download.suggestedFilename(), 'hyperlab-trials.csv');
    const text = readFileSync(await download.path(), 'utf8');
    const expected = execFileSync('target/debug/hyperlab', ['search', new URL(page.url()).search]).toString();
    assert.ok(expected.split('\n').length > 8, expected);
    assert.equal(text, expected, query);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('the kept runs leave the lab in one file: each run\'s rows are `hyperlab run` for its link', async () => {
  const { page, problems } = await openLab('?v=1&data=moons&ep=20');
  await page.selectOption('#pace', { label: 'Maximum' });
  for (const lr of ['0.1', '0.3']) {
    await page.selectOption('#lr', lr);
    await page.click('#train');
    await page.waitForSelector(ENDED, { timeout: 60_000 });
    await page.click('#add-compare');
  }
  await page.waitForFunction(() => document.querySelectorAll('#compare li.run').length === 2);
  const [csvFile] = await Promise.all([page.waitForEvent('download'), page.click('#download-kept-csv')]);
  const csv = readFileSync(await csvFile.path(), 'utf8').trim().split('\n');
  assert.match(csv[0], /^run,link,epoch,lr,train_loss,val_loss,/);
  const links = [...new Set(csv.slice(1).map((l) => l.split(',')[1]))];
  assert.equal(links.length, 2, 'two runs, each with its link');
  for (const link of links) {
    const mine = csv.slice(1).filter((l) => l.split(',')[1] === link).map((l) => l.split(',').slice(2).join(','));
    const theirs = cli(`?${link}`, false).trim().split('\n');
    assert.deepEqual([theirs[0], ...mine], theirs, link);
  }
  const [jsonFile] = await Promise.all([page.waitForEvent('download'), page.click('#download-kept-json')]);
  const lines = readFileSync(await jsonFile.path(), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  for (const link of links) {
    const mine = lines.filter((l) => l.link === link).map(({ run, link: _, ...rest }) => rest);
    const theirs = cli(`?${link}`, true).trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(mine, theirs, link);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('a comparison of search methods leaves the lab: its curves equal `hyperlab search` for the link', async () => {
  const { page, problems } = await openLab('?v=1&data=moons&ep=10&search=random&trials=3&space=lr%3Alog%3A0.01%3A1%3A4&compare=random,bayes&repeats=2');
  await page.click('#compare-run');
  await page.waitForSelector('#comparison[data-done="true"]', { timeout: 60_000 });
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('#download-comparison')]);
  assert.equal(file.suggestedFilename(), 'hyperlab-comparison.csv');
  const text = readFileSync(await file.path(), 'utf8');
  const expected = execFileSync('target/debug/hyperlab', ['search', new URL(page.url()).search]).toString();
  assert.equal(expected.trim().split('\n').length, 1 + 2 * 3, expected);
  assert.equal(text, expected);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the PyTorch script leaves the lab: the page\'s file is `hyperlab export pytorch` for its address', async () => {
  // A generated set and a bundled one (the worker fetched its file); before any training, and after a rate set by hand.
  for (const query of ['?v=1&data=moons&ep=40&opt=adam&lr=0.01&sched=cosine&tmax=40', '?v=1&data=digits&ep=3&test=0.2']) {
    const { page, problems } = await openLab(query);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-pytorch')]);
    assert.equal(download.suggestedFilename(), 'hyperlab_experiment.py');
    const text = readFileSync(await download.path(), 'utf8');
    const expected = execFileSync('target/debug/hyperlab', ['export', 'pytorch', page.url()]).toString();
    assert.match(expected, /torch\.optim\./);
    assert.ok(text.includes(`#   ${new URL(page.url()).origin}/`), 'the header names the page');
    assert.equal(text, expected, query);
    assert.deepEqual(problems, []);
    await page.close();
  }
  // Too long a run to carry its batch order: the page says why, names the field, and goes on.
  const { page, problems } = await openLab('?v=1&data=digits&ep=5000');
  await page.click('#download-pytorch');
  await page.waitForSelector('.downloads .error', { timeout: 20_000 });
  assert.match(await page.textContent('.downloads .error'), /`ep`.*fewer epochs/);
  assert.equal(await page.$eval('#download-pytorch', (b) => b.disabled), false, 'the button is back');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the Optuna study leaves the lab: the page\'s file is `hyperlab export optuna` for its address', async () => {
  for (const query of [
    '?v=1&data=moons&ep=20&search=tpe&trials=12&space=lr%3Alog%3A0.001%3A1%2Copt%3Achoice%3Asgd%7Cadam',
    '?v=1&data=iris&ep=10&search=hyperband&trials=9&folds=3&space=lr%3Alog%3A0.001%3A1',
  ]) {
    const { page, problems } = await openLab(query);
    await page.waitForSelector('#download-optuna');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-optuna')]);
    assert.equal(download.suggestedFilename(), 'hyperlab_study.py');
    const text = readFileSync(await download.path(), 'utf8');
    const expected = execFileSync('target/debug/hyperlab', ['export', 'optuna', page.url()]).toString();
    assert.match(expected, /optuna\.samplers\.(TPESampler|RandomSampler)/);
    assert.equal(text, expected, query);
    assert.deepEqual(problems, []);
    await page.close();
  }
  // A space over the data cannot be a study of HyperLab's data: the page says why and goes on.
  const { page, problems } = await openLab('?v=1&data=moons&search=random&trials=5&space=noise%3Areal%3A0%3A0.5');
  await page.click('#download-optuna');
  await page.waitForSelector('#study-error', { timeout: 20_000 });
  assert.match(await page.textContent('#study-error'), /`noise` changes the data/);
  assert.equal(await page.$eval('#download-optuna', (b) => b.disabled), false, 'the button is back');
  assert.deepEqual(problems, []);
  await page.close();
});
