// End-to-end: the lessons. Every step opens from its link with its
// experiment; a scripted student does what a task asks and the page marks it
// done (the wrong run does not); answers get their feedback; the progress
// survives a reload and can be reset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, drawsDone, lessonFiles, linkValue, openLab, setField } from './lab.mjs';

const taskDone = (page, i) => page.$eval(`#tasks li:nth-child(${i})`, (li) => li.dataset.done === 'true');

test('every lesson step opens from its link with its experiment and tools', async () => {
  const { page, problems } = await openLab('?v=1');
  const all = lessonFiles();
  assert.ok(all.length >= 3);
  const origin = new URL(page.url()).origin;
  // The experiment of a link, as the page writes it back (defaults left out): the page's own tools and lessons aside.
  const experiment = () => [...new URL(page.url()).searchParams].filter(([k]) => !['tool', 'lesson', 'step'].includes(k)).sort();
  for (const lesson of all) {
    for (const [i, step] of lesson.steps.entries()) {
      await page.goto(`${origin}/?v=1&${step.setup}`);
      await page.waitForSelector('#status[data-state="ready"]');
      const expected = experiment();
      await page.goto(`${origin}/?v=1&lesson=${lesson.id}&step=${i + 1}`);
      await page.waitForSelector('#step-title');
      assert.equal(await page.textContent('#step-title'), `${i + 1}. ${step.title}`, `${lesson.id} ${i + 1}`);
      assert.deepEqual(experiment(), expected, `${lesson.id} ${i + 1}: the step's experiment`);
      for (const [k, v] of new URLSearchParams(step.setup)) {
        if (k === 'tool') {
          // Opened once the worker is ready.
          for (const tool of v.split(',')) await page.waitForSelector(`#${tool}`, { timeout: 10_000 });
        }
      }
      assert.equal(linkValue(page, 'lesson'), lesson.id);
      assert.equal(linkValue(page, 'step'), String(i + 1));
    }
  }
  // A link to no lesson says so; the lab works as ever.
  await page.goto(`${new URL(page.url()).origin}/?v=1&lesson=nope&lr=0.3`);
  await page.waitForSelector('#status[data-state="ready"]');
  assert.match(await page.textContent('#notices'), /`nope` is not a lesson/);
  assert.equal(await page.$('#lesson'), null);
  assert.equal(linkValue(page, 'lr'), '0.3');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a student makes the loss rise: the wrong run leaves the task open, the right one marks it; progress survives a reload', async () => {
  const { page, problems } = await openLab('?v=1&lesson=regimes&step=2', { width: 1366, height: 768 });
  await page.screenshot({ path: `${SHOTS}/lesson-step-1366.png` });
  await page.selectOption('#pace', { label: 'Maximum' });
  // The step's own rate (0.1) converges: not what the task asks.
  await page.click('#train');
  await page.waitForSelector('#status[data-state="finished"]', { timeout: 60_000 });
  assert.equal(await taskDone(page, 1), false, 'a good rate does not make the loss rise');
  await page.selectOption('#lr', '10');
  await page.click('#train');
  await page.waitForSelector('#status[data-state="diverged"], #status[data-state="finished"]', { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('#tasks li').dataset.done === 'true', null, { timeout: 5000 });
  // The question: a wrong answer is explained and leaves it open; the right one closes the step.
  await page.click('#question .answer:nth-child(2)');
  assert.match(await page.textContent('#question .feedback'), /^Not quite\. That is a rate far too low/);
  assert.equal(await page.getAttribute('#question', 'data-answered'), 'false');
  await page.click('#question .answer:nth-child(1)');
  assert.match(await page.textContent('#question .feedback'), /^Right\./);
  assert.equal(await page.getAttribute('#question', 'data-answered'), 'true');
  assert.match(await page.getAttribute('.steps-bar li:nth-child(2) button', 'class'), /done/);
  await page.screenshot({ path: `${SHOTS}/lesson-step-done-1366.png` });
  // A reload keeps the progress (this browser's storage) and the step (the link).
  await page.reload();
  await page.waitForSelector('#step-title');
  assert.equal(await taskDone(page, 1), true);
  assert.equal(await page.getAttribute('#question', 'data-answered'), 'true');
  await page.click('#all-lessons');
  assert.equal(await page.getAttribute('[data-lesson="regimes"]', 'data-done'), '1');
  await page.screenshot({ path: `${SHOTS}/lesson-index-1366.png` });
  // Reset asks once more, then forgets — also after a reload.
  await page.click('#reset-progress');
  assert.equal(await page.getAttribute('[data-lesson="regimes"]', 'data-done'), '1', 'not before it is confirmed');
  await page.click('#reset-progress');
  assert.equal(await page.getAttribute('[data-lesson="regimes"]', 'data-done'), '0');
  await page.reload();
  await page.waitForSelector('#status[data-state="ready"]');
  await page.click('#open-lessons');
  assert.equal(await page.getAttribute('[data-lesson="regimes"]', 'data-done'), '0');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the four regimes step marks its task when every card is labelled', async () => {
  const { page, problems } = await openLab('?v=1&lesson=regimes&step=1');
  // (Not done before the regimes ran: tests/lessons.rs; here they may finish within a frame of opening.)
  await page.waitForSelector('#regimes');
  await page.waitForFunction(
    () => document.querySelectorAll('.regime-card:not([data-regime="pending"])').length === 4, null, { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('#tasks li').dataset.done === 'true', null, { timeout: 5000 });
  assert.deepEqual(problems, []);
  await page.close();
});

test('changing a hyperparameter marks its task alone; starting the step again restores its experiment', async () => {
  const { page, problems } = await openLab('?v=1&lesson=parameters&step=2');
  await setField(page, '#set-bs', 32);
  await page.waitForFunction(() => document.querySelector('#tasks li:nth-child(2)').dataset.done === 'true');
  const done = await page.$$eval('#tasks li', (l) => l.map((li) => li.dataset.done));
  assert.deepEqual(done, ['false', 'true', 'false', 'false', 'false', 'false'], 'the batch size, nothing else');
  assert.equal(linkValue(page, 'bs'), '32');
  await page.click('#setup-again');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('bs') === null);
  assert.equal(await taskDone(page, 2), true, 'a task done stays done');
  assert.deepEqual(problems, []);
  await page.close();
});

test('manual tuning: a rate raised while the run trains brings it home, and the task sees it', async () => {
  const { page, problems } = await openLab('?v=1&lesson=manual&step=1');
  await page.selectOption('#pace', { label: '100 epochs/s' });
  await page.click('#train');
  await page.waitForFunction(() => Number(document.querySelector('#epoch').textContent) >= 10);
  await page.click('#lr-up');
  await page.click('#lr-up');
  await page.selectOption('#pace', { label: 'Maximum' });
  await page.waitForSelector('#status[data-state="finished"]', { timeout: 60_000 });
  assert.ok(linkValue(page, 'lrc'), 'the live change is in the link');
  await page.waitForFunction(() => document.querySelector('#tasks li').dataset.done === 'true', null, { timeout: 5000 });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a lesson at 1024×768 and on a phone: the step, its controls and the loss chart', async () => {
  for (const [w, h] of [[1024, 768], [390, 844]]) {
    const { page, problems } = await openLab('?v=1&lesson=regimes&step=3', { width: w, height: h });
    const box = await page.$eval('#lesson', (el) => el.getBoundingClientRect().toJSON());
    assert.ok(box.top >= 0 && box.top < h / 2, `${w}: the step is in view (top ${box.top})`);
    await page.screenshot({ path: `${SHOTS}/lesson-step-${w}.png`, fullPage: w < 500 });
    // On a phone the settings are far below the step: one tap brings them.
    const jump = await page.$('#lesson .to-settings');
    assert.equal(await jump.isVisible(), w < 500, `${w}: the jump to the settings only where they are far`);
    if (w < 500) {
      await jump.click();
      await page.waitForFunction(() => {
        const r = document.querySelector('.panel.controls').getBoundingClientRect();
        return r.top >= -1 && r.top < innerHeight / 2;
      }, null, { timeout: 5000 });
    }
    assert.deepEqual(problems, []);
    await page.close();
  }
});

/** Where the element's top is in the window, and the window's height. */
const topOf = (page, selector) => page.$eval(selector, (el) => [el.getBoundingClientRect().top, innerHeight]);

test('a step that opens a tool keeps its text in view with a button to the tool; "Next →" shows the next step from its title; the toolbar\'s tools still come into view', async () => {
  for (const [w, h] of [[1366, 768], [390, 844]]) {
    const { page, problems } = await openLab('?v=1&lesson=regimes&step=1', { width: w, height: h });
    // The step opens the four regimes below the lab; they train, and the step stays where it is read.
    await page.waitForFunction(() => /epoch \d+/.test(document.querySelector('.regime-card .regime')?.textContent ?? ''));
    await page.waitForTimeout(300);
    let [top, height] = await topOf(page, '#step-title');
    assert.ok(top >= 0 && top < height / 2, `${w}: the step's title in view (top ${top})`);
    [top] = await topOf(page, '#regimes');
    assert.ok(top > height, `${w}: the regimes wait below (top ${top})`);
    await page.screenshot({ path: `${SHOTS}/lesson-tool-${w}.png` });
    // One tap brings them.
    await page.click('#lesson .to-tool[data-tool="regimes"]');
    // At the window's top, or as near as the page's end lets it come.
    const atTop = (selector) => page.waitForFunction((s) => {
      const top = document.querySelector(s).getBoundingClientRect().top;
      return top > -2 && top < 40;
    }, selector, { timeout: 5000 });
    await atTop('#regimes');
    assert.deepEqual(await page.$$eval('#lesson .to-tool', (b) => b.map((x) => x.textContent)), ['The four regimes ↓']);

    // "Next →", pressed at the bottom of the step: the next step is read from its title.
    await page.$eval('#lesson', (el) => { el.scrollTop = el.scrollHeight; });
    await page.click('#next-step');
    await page.waitForFunction(() => document.querySelector('#step-title').textContent.startsWith('2.'));
    await page.waitForFunction(() => {
      const r = document.querySelector('#step-title').getBoundingClientRect();
      const panel = document.querySelector('#lesson').getBoundingClientRect();
      return r.top >= Math.max(0, panel.top) && r.bottom <= innerHeight;
    }, null, { timeout: 5000 });

    // A tool asked for from the toolbar, a lesson open or not, comes into view.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.click('#find-lr');
    await page.waitForSelector('#lr-finder');
    // Its result in, the whole panel is in sight (at the window's top, or above the page's end).
    await page.waitForSelector('#lr-finder-chart');
    await page.waitForFunction(() => {
      const r = document.querySelector('#lr-finder').getBoundingClientRect();
      return r.top > -2 && (r.top < 40 || r.bottom <= innerHeight);
    }, null, { timeout: 5000 });
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('schedules: a cyclic rate takes "your settings" off the saddle in the race, and the task sees it', async () => {
  const { page, problems } = await openLab('?v=1&lesson=schedules&step=4');
  const yours = '#race .racer[data-name="your settings"]';
  await page.waitForSelector(yours);
  const end = () => page.$eval(yours, (li) => Number(li.dataset.endValue));
  assert.ok(await end() > -0.1, 'a constant 0.01 creeps along the ridge');
  assert.match(await page.textContent(yours), /\(SGD, constant\)/);
  assert.equal(await taskDone(page, 1), false);
  await page.selectOption('#schedule', 'cyclic');
  await page.selectOption('#lr', '0.1');
  // The race follows the experiment: raced again with the cyclic schedule.
  await page.waitForFunction((sel) => Number(document.querySelector(sel)?.dataset.endValue) < -1, yours, { timeout: 10_000 });
  assert.match(await page.textContent(yours), /cyclic/);
  await page.waitForFunction(() => document.querySelector('#tasks li').dataset.done === 'true', null, { timeout: 5000 });
  await page.screenshot({ path: `${SHOTS}/lesson-cyclic-saddle.png` });
  assert.deepEqual(problems, []);
  await page.close();
});

test('searching: the course\'s grid runs its 80 trainings, the grid–random comparison finishes, and each marks its task', async () => {
  const { page, problems } = await openLab('?v=1&lesson=search&step=1');
  await page.waitForSelector('#search');
  assert.match(await page.textContent('#grid-size'), /\b80\b/);
  assert.equal(await taskDone(page, 1), false);
  await page.click('#search-run');
  await page.waitForSelector('#search-status[data-phase="exhausted"], #search-status[data-phase="done"]', { timeout: 120_000 });
  await page.waitForFunction(() => document.querySelector('#tasks li').dataset.done === 'true', null, { timeout: 5000 });
  await page.click('#next-step');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('compare') === 'grid,random');
  assert.equal(await taskDone(page, 1), false);
  await page.click('#compare-run');
  await page.waitForSelector('#comparison[data-done="true"]', { timeout: 120_000 });
  await page.waitForFunction(() => document.querySelector('#tasks li').dataset.done === 'true', null, { timeout: 5000 });
  await page.screenshot({ path: `${SHOTS}/lesson-search.png` });
  assert.deepEqual(problems, []);
  await page.close();
});

test('heuristics: a linear model fails the circle until it is given the squared features, and the task sees it', async () => {
  const { page, problems } = await openLab('?v=1&lesson=heuristics&step=10');
  await page.selectOption('#pace', { label: 'Maximum' });
  await page.click('#train');
  await page.waitForSelector('#status[data-state="finished"]', { timeout: 60_000 });
  assert.equal(await taskDone(page, 1), false, 'x₁ and x₂ alone: a straight line cannot split the circle');
  await page.click('#input-features summary');
  await page.click('#feat-x1sq');
  await page.click('#feat-x2sq');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('feat') === 'x1-x2-x1sq-x2sq');
  await page.click('#train');
  await page.waitForSelector('#status[data-state="finished"]', { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('#tasks li').dataset.done === 'true', null, { timeout: 5000 });
  assert.deepEqual(problems, []);
  await page.close();
});

test('adaptive optimizers: SGD starves the rare inputs, AdaGrad fixes it, and each task sees it; the fit chart shows the predictions', async () => {
  const { page, problems } = await openLab('?v=1&lesson=adaptive&step=1', { width: 1366, height: 900 });
  await page.selectOption('#pace', { label: 'Maximum' });
  await page.click('#train');
  await page.waitForSelector('#status[data-state="finished"]', { timeout: 60_000 });
  // Ten inputs: no map; each validation example's prediction against its target instead.
  await page.waitForSelector('#fit-chart');
  assert.equal(await page.$('#boundary'), null);
  assert.equal(await taskDone(page, 1), false, 'trained, not kept yet');
  await page.click('#add-compare');
  await page.waitForFunction(() => document.querySelector('#tasks li').dataset.done === 'true', null, { timeout: 5000 });
  assert.equal(await taskDone(page, 2), false, 'SGD does not bring the loss below 0.001');
  await page.selectOption('#optimizer', 'adagrad');
  await page.selectOption('#lr', '1');
  await page.click('#train');
  await page.waitForSelector('#status[data-state="finished"]', { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('#tasks li:nth-child(2)').dataset.done === 'true', null, { timeout: 5000 });
  assert.equal(await taskDone(page, 3), false, 'AdaGrad is not RMSprop or Adam');
  await page.screenshot({ path: `${SHOTS}/lesson-adaptive.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('heuristics: a search of the width alone stays low until the rate is tuned too, and each task sees it', async () => {
  const { page, problems } = await openLab('?v=1&lesson=heuristics&step=6');
  await page.click('#search-run');
  await page.waitForSelector('#search-status[data-phase="done"]', { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('#tasks li').dataset.done === 'true', null, { timeout: 5000 });
  assert.equal(await taskDone(page, 2), false, 'the width alone does not reach 95 %');
  await page.selectOption('#space-add', 'lr');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('space')?.includes('lr:log'));
  await page.click('#search-run');
  await page.waitForSelector('#search-status[data-phase="done"]', { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('#tasks li:nth-child(2)').dataset.done === 'true', null, { timeout: 5000 });
  assert.deepEqual(problems, []);
  await page.close();
});

test('for the teacher: the QR code decodes to the lab\'s link, and follows it', async () => {
  const { default: jsQR } = await import('jsqr');
  const { page, problems } = await openLab('?v=1&lesson=regimes&step=3&lr=3');
  const decode = async () => {
    await drawsDone(page);
    const { data, width, height } = await page.$eval('#qr-code', (c) => {
      const img = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      return { data: Array.from(img.data), width: img.width, height: img.height };
    });
    return jsQR(Uint8ClampedArray.from(data), width, height)?.data;
  };
  await page.click('#show-qr');
  await page.waitForSelector('#qr-code');
  assert.equal(await decode(), page.url(), 'the QR code is the current link');
  await page.screenshot({ path: `${SHOTS}/qr-code.png` });
  await page.keyboard.press('Escape');
  await page.waitForSelector('#qr', { state: 'detached' });
  // The lab changes, and so does the code.
  await page.selectOption('#lr', '0.1');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('lr') === null);
  await page.click('#show-qr');
  assert.equal(await decode(), page.url());
  assert.equal(new URL(await decode()).searchParams.get('lesson'), 'regimes');
  assert.deepEqual(problems, []);
  await page.close();
});

test('embedded in a course page: embed=1 fits an 800×600 iframe, and the link keeps it', async () => {
  const page = await (await import('./lab.mjs')).lab.browser.newPage({ viewport: { width: 900, height: 700 }, serviceWorkers: 'block' });
  const origin = new URL((await openLab('?v=1')).page.url()).origin;
  await page.setContent(`<iframe id="lab" src="${origin}/?v=1&data=moons&embed=1" width="800" height="600" style="border:0"></iframe>`);
  const frame = await (await page.waitForSelector('#lab')).contentFrame();
  await frame.waitForSelector('#status[data-state="ready"]', { timeout: 20_000 });
  assert.equal(await frame.$eval('.top', (h) => getComputedStyle(h).display), 'none', 'no header');
  assert.equal(await frame.$eval('.tools', (t) => getComputedStyle(t).display), 'none', 'no toolbar');
  for (const sel of ['#train', '#loss-chart']) {
    const box = await frame.$eval(sel, (el) => el.getBoundingClientRect().toJSON());
    assert.ok(box.top >= 0 && box.bottom <= 600 && box.right <= 800, `${sel} inside the iframe: ${JSON.stringify(box)}`);
  }
  await frame.click('#train');
  await frame.waitForFunction(() => Number(document.querySelector('#epoch').textContent) >= 5);
  assert.equal(new URL(frame.url()).searchParams.get('embed'), '1', 'the link keeps the embedded mode');
  assert.equal(await frame.$('#storage-notice'), null, 'an exhibit saves nothing, so it has nothing to warn about');
  await page.screenshot({ path: `${SHOTS}/embed-800x600.png` });
  await page.close();
});

test('for the teacher: a one-knob link — built in the QR dialog, it shows the class the learning rate alone', async () => {
  const { default: jsQR } = await import('jsqr');
  const { page, problems } = await openLab('?v=1&data=circle&opt=adam');
  await page.click('#show-qr');
  await page.check('#knob-lr');
  await page.waitForFunction(() => document.querySelector('#qr-link').textContent.endsWith('&only=lr'));
  const built = await page.textContent('#qr-link');
  await drawsDone(page);
  const { data, width, height } = await page.$eval('#qr-code', (c) => {
    const img = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    return { data: Array.from(img.data), width: img.width, height: img.height };
  });
  assert.equal(jsQR(Uint8ClampedArray.from(data), width, height)?.data, built, 'the QR code is the one-knob link');
  // The class opens it: the learning rate alone, the rest fixed as the teacher set it.
  const { page: student, problems: studentProblems } = await openLab(new URL(built).search);
  assert.ok(await student.isVisible('#lr'));
  for (const sel of ['#data', '#optimizer', '#schedule', '#set-bs', '#epochs', '#new-seed', '#more-regularization']) {
    assert.equal(await student.$(sel), null, `${sel} is hidden`);
  }
  assert.match(await student.textContent('#only-note'), /change only: learning rate\./);
  await student.selectOption('#lr', '0.01');
  await student.waitForFunction(() => new URL(location.href).searchParams.get('lr') === '0.01');
  const link = new URL(student.url()).searchParams;
  assert.equal(link.get('only'), 'lr', 'the link keeps the one knob');
  assert.equal(link.get('opt'), 'adam', 'and the teacher\'s settings');
  assert.deepEqual(studentProblems, []);
  assert.deepEqual(problems, []);
  await student.close();
  await page.close();
});

test('presentation mode on a 1024×768 projector, a lesson open: the run beside the step, the loss chart in view while training', async () => {
  const { page, problems } = await openLab('?v=1&lesson=regimes&step=3', { width: 1024, height: 768 });
  await page.click('#present');
  await page.waitForFunction(() => document.documentElement.dataset.present === 'true');
  await page.click('#train');
  await page.waitForFunction(() => Number(document.querySelector('#epoch').textContent) >= 3);
  const chart = await page.$eval('#loss-chart', (c) => c.getBoundingClientRect().toJSON());
  assert.ok(chart.right <= 1024 && chart.width >= 500 && chart.top < 768 && chart.bottom > 0,
    `the loss chart is wide and in view: ${JSON.stringify(chart)}`);
  const step = await page.$eval('#lesson', (c) => c.getBoundingClientRect().toJSON());
  assert.ok(step.right <= chart.left && step.top < 768, 'the step beside it');
  await page.screenshot({ path: `${SHOTS}/lesson-present-1024.png` });
  assert.deepEqual(problems, []);
  await page.close();
});

test('for the teacher: a search link with autorun=1 runs its search on opening, once', async () => {
  const { page, problems } = await openLab('?v=1&data=moons&ep=5&search=random&trials=6&space=lr:log:0.001:1&autorun=1');
  await page.waitForSelector('#search-status[data-phase="exhausted"], #search-status[data-phase="done"]', { timeout: 60_000 });
  assert.equal(await page.$$eval('#trials tbody tr', (rows) => rows.length), 6, 'six trials, nobody pressed Run');
  assert.equal(new URL(page.url()).searchParams.get('autorun'), null, 'not written back: a reload does not start it again');
  assert.deepEqual(problems, []);
  await page.close();
});
