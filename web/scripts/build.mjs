#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// `npm run build`: the type check (svelte-check) and the Vite build run side by side; the build
// fails if either fails. Saves ~20 s over running them one after the other.
import { spawn } from 'node:child_process';

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
const [check, build] = await Promise.all([
  run(bin('svelte-check'), ['--tsconfig', './tsconfig.json', '--fail-on-warnings', '--output', 'human']),
  run(bin('vite'), ['build']),
]);
if (check !== 0) console.error('build: svelte-check failed');
if (build !== 0) console.error('build: vite build failed');
process.exit(check || build);
