// Hostile input that reaches the page itself (issue 18's page side): stored
// progress with numbers no lesson has (a cast of 1e300 to int is undefined
// behaviour), and lesson addresses that only look relative ("//host/x",
// backslashes), which must get a notice instead of a fetch from elsewhere.
import { Lesson } from './lesson-helpers.mjs';
import { ready } from './lessons.mjs';

const viewport = { width: 1024, height: 640 };

export async function testStoredProgressOutOfRangeIsNotTrusted(t) {
  const stored = { 'handshake@2': { done: true, best: 1e308, questions: 1e300 },
                   'four-way-close@1': { done: true, best: 99, questions: 12 },
                   'time-wait@1': { done: true, best: 3.5, questions: 12.5 } };
  const { page, errors } = await t.open('index.html?seed=5&lang=en', {
    viewport,
    initScript: `try { localStorage.setItem('tcplab.progress.v1', ${JSON.stringify(JSON.stringify(stored))}); } catch (e) {}`,
  });
  const L = new Lesson(t, page, errors, viewport);
  await ready(L, 'en');
  const p = (await L.state()).progress;
  t.log(`progress read: ${JSON.stringify(p)}`);
  for (const [key, v] of Object.entries(p)) {
    t.assert.ok(Number.isInteger(v.questions) && v.questions >= 0 && v.questions <= 10000, `${key}: questions ${v.questions}`);
    t.assert.ok(v.best >= 0 && v.best <= v.questions, `${key}: best ${v.best} within 0..${v.questions}`);
  }
  t.assert.equal(p['handshake@2'].questions, 0, 'questions 1e300 is not taken');
  t.assert.equal(p['four-way-close@1'].best, 12, 'a best above the questions is clamped');
  t.assert.deepEqual(errors, [], 'no console errors');
}

export async function testLessonUrlsThatOnlyLookRelativeGetANotice(t) {
  for (const url of [`//127.0.0.1:${t.server.port}/x.json`, '\\\\host\\x.json', '..\\x.json']) {
    const { page, errors } = await t.open(`index.html?seed=6&lang=en&lessonUrl=${encodeURIComponent(url)}`, { viewport });
    const L = new Lesson(t, page, errors, viewport);
    await t.waitForStatus(page);
    await t.waitForFrames(page, 2);
    const s = await L.waitFor((x) => x.lessons >= 10, 'the page ready');
    t.assert.ok(s.notices.some((n) => n.param === 'lessonUrl'), `a notice names lessonUrl for ${url}: ${JSON.stringify(s.notices)}`);
    t.assert.equal(s.errors, 0, `no lesson fetched from ${url}`);
    await page.context().close();
  }
}
