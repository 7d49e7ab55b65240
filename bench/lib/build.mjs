// Builds only what is missing or stale, so a benchmark measures the source as it is now without
// paying for a full `npm run build` every time.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** Newest modification time under `dir` (0 if it does not exist). */
function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function run(root, log, what, command, args) {
  log(`  building ${what}: ${command} ${args.join(' ')}`);
  const start = performance.now();
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0) {
    const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n');
    return { what, ok: false, seconds, output };
  }
  return { what, ok: true, seconds };
}

/**
 * Contract and backend are rebuilt when their sources are newer than their output; the frontend
 * only when there is no build at all (its size is read from whatever build is there).
 * Returns what was built; throws only when there is nothing to run at all.
 */
export function ensureBuilt(root, { log, frontend }) {
  const steps = [];
  const at = (...parts) => join(root, ...parts);
  if (newestMtime(at('contract/src')) > newestMtime(at('contract/dist'))) {
    steps.push(run(root, log, 'contract', 'npm', ['run', 'build', '-w', '@flack/contract']));
  }
  const main = at('backend/dist/main.js');
  const builtAt = existsSync(main) ? statSync(main).mtimeMs : 0;
  if (Math.max(newestMtime(at('backend/src')), newestMtime(at('contract/dist'))) > builtAt) {
    steps.push(run(root, log, 'backend', 'npx', ['nest', 'build']));
  }
  if (frontend && !existsSync(at('frontend/dist/browser/index.html'))) {
    steps.push(run(root, log, 'frontend', 'npx', ['ng', 'build']));
  }
  for (const step of steps.filter((s) => !s.ok)) {
    log(`  WARNING: the ${step.what} build failed; measuring the previous build, if any.\n${step.output}`);
  }
  if (!existsSync(main))
    throw new Error('backend/dist/main.js is missing and the build failed; run `npm run build`.');
  return steps;
}
