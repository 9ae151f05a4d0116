// The Debug web build (cmake --preset web-debug: -O0, Emscripten's
// assertions) loads, draws and plays a lesson step: a release build can hide
// undefined behaviour that the optimizer happens to remove (a function that
// called itself for English text once worked only at -Os).
import { existsSync } from 'node:fs';
import path from 'node:path';

import { Lesson } from './lesson-helpers.mjs';
import { click, ready } from './lessons.mjs';

export async function testDebugBuildLoadsAndPlaysALessonStep(t) {
  const root = path.join(path.dirname(t.prodDist), 'dist-debug');
  t.assert.ok(existsSync(path.join(root, 'index.html')),
    `no ${root}/index.html: build it with cmake --preset web-debug && cmake --build --preset web-debug (tests/run-all.sh does)`);
  const server = await t.startServer({ root });
  const viewport = { width: 1024, height: 640 };
  const { page, errors } = await t.open(`${server.url}index.html?lesson=handshake&lang=en&seed=3`, { viewport });
  const L = new Lesson(t, page, errors, viewport);
  await ready(L, 'en');
  await t.waitForFrames(page, 5);
  await click(L, 'lesson.continue');
  await L.waitFor((s) => s.lesson && s.lesson.step > 0, 'the lesson moved on in the Debug build');
  t.assert.deepEqual(errors, [], 'no console errors, assertions or aborts in the Debug build');
}
