// End-to-end: every task of every lesson that looks at runs, done by a
// scripted student in Chromium. For each task, each experiment its lesson
// file says does it (`try:`) is trained on the page — as the lab's run, or
// kept for comparison where the task asks for kept runs — and the page marks
// the task done; each experiment it says must not (`wrong:`), trained the
// same way in a fresh browser, leaves it open. (`tests/lessons.rs` checks
// the same natively; this is the page's own reducer, worker and storage.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENDED, lessonFiles, openLab } from './lab.mjs';

/**
 * A fresh browser on the step, after the student ran `runs`: kept for
 * comparison (the link's `runs=`, trained again as the page opens) when
 * `kept`, else the last one trained as the lab's run. Returns whether task
 * `t` is marked done.
 */
async function marked(lesson, step, t, runs, kept) {
  const place = `lesson=${lesson}&step=${step + 1}`;
  const last = runs.at(-1);
  const query = kept
    ? `?v=1&${place}&${last}&runs=${runs.map(encodeURIComponent).join('~')}`
    : `?v=1&${place}&${last}`;
  const { page, problems } = await openLab(query, { width: 1366, height: 900 });
  if (kept) {
    await page.waitForFunction((n) => {
      const ended = document.querySelectorAll('#compare li.run[data-ended="true"]');
      return ended.length === n;
    }, runs.length, { timeout: 60_000 });
  } else {
    await page.selectOption('#pace', { label: 'Maximum' });
    await page.click('#train');
    await page.waitForSelector(ENDED, { timeout: 60_000 });
  }
  const done = await page.$eval(`#tasks li:nth-child(${t + 1})`, (li) => li.dataset.done === 'true');
  assert.deepEqual(problems, [], query);
  await page.close();
  return done;
}

test('every run task of every lesson: its experiments do it in the page, its wrong ones do not', async () => {
  let checked = 0;
  for (const lesson of lessonFiles()) {
    for (const [s, step] of lesson.steps.entries()) {
      for (const [t, task] of step.tasks.entries()) {
        const [subject, count] = task.check.split(/\s+/);
        if (!['run', 'any', 'kept'].includes(subject)) continue;
        const kept = subject === 'kept';
        const what = `${lesson.id} step ${s + 1} task ${t + 1} (${task.check})`;
        // `kept 3`: three kept runs together; otherwise each experiment alone.
        const groups = kept && Number(count) > 1 ? [task.tries] : task.tries.map((q) => [q]);
        for (const runs of groups) {
          assert.equal(await marked(lesson.id, s, t, runs, kept), true, `${what}: not done by ${runs.join(' ; ')}`);
          checked += 1;
        }
        for (const wrong of task.wrong) {
          assert.equal(await marked(lesson.id, s, t, [wrong], kept), false, `${what}: done by the wrong ${wrong}`);
          checked += 1;
        }
      }
    }
  }
  assert.ok(checked > 40, `${checked} trainings checked`);
});
