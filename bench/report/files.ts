import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../proc.js';

/**
 * Where a run writes its results. Every run writes to `bench/results/runs/` (ignored by git), so
 * running the benchmark never leaves the clone dirty; `--save` also keeps a dated copy in
 * `bench/results/` to commit, as the published figures.
 */
export const RUNS_DIR = join(ROOT, 'bench/results/runs');
const SAVED_DIR = join(ROOT, 'bench/results');

export interface RunFiles {
  readonly json: string;
  readonly svg: string;
  readonly profile: string;
}

/** This run's files, with the previous run's removed so that `--save` never copies a stale one. */
export function freshRunFiles(): RunFiles {
  mkdirSync(RUNS_DIR, { recursive: true });
  const files = { json: join(RUNS_DIR, 'latest.json'), svg: join(RUNS_DIR, 'latest.svg'), profile: join(RUNS_DIR, 'profile.txt') };
  for (const path of Object.values(files)) rmSync(path, { force: true });
  return files;
}

/** Copies this run's files to bench/results/<date>-<mode>.* ; returns the paths written. */
export function saveDatedCopy(files: RunFiles, date: string, mode: string): string[] {
  const stem = `${date.slice(0, 10)}-${mode}`;
  const copies: [string, string][] = [
    [files.json, `${stem}.json`],
    [files.svg, `${stem}.svg`],
    [files.profile, `${stem}-profile.txt`],
  ];
  const written: string[] = [];
  for (const [from, name] of copies) {
    if (!existsSync(from)) continue;
    const to = join(SAVED_DIR, name);
    copyFileSync(from, to);
    written.push(shown(to));
  }
  return written;
}

/** A path as the user should read it: relative to the clone. */
export function shown(path: string): string {
  return relative(ROOT, path);
}
