import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The fenced blocks of the docs marked runnable. A block is marked by an HTML comment on the line
 * right before its opening fence, which readers of the rendered page do not see:
 *
 *   <!-- runnable -->            run it to completion (```sh with bash, ```js as an ES module)
 *   <!-- runnable: gateway -->   run it while a gateway with the sample client runs (```sh only)
 *
 * Blocks that start something long-running (npm start, serve, simulator) or need what a test
 * cannot assume (wrk, a PostgreSQL database named smsgate, npm ci) stay unmarked.
 *
 * In a sh block, a comment that shows an answer (`# {...}` or `# HTTP/...`, on its own line or
 * after a command) is what the output must show, in that order; `...` stands for anything, and
 * two spaces end it (what follows is a remark).
 */
export type Mode = 'plain' | 'gateway';

export interface RunnableBlock {
  readonly file: string;
  /** 1-based line of the opening fence, for the test's name. */
  readonly line: number;
  readonly lang: 'sh' | 'js';
  readonly mode: Mode;
  readonly code: string;
}

const MARKER = /^<!--\s*runnable(?::\s*(\S+))?\s*-->\s*$/;
const FENCE = /^```(\S*)\s*$/;

/** README.md and docs/*.md, relative to the root. */
export function docFiles(root: string): string[] {
  const docs = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort();
  return ['README.md', ...docs.map((f) => `docs/${f}`)];
}

/** Throws on a marker that is malformed or not followed by a fence, so a typo cannot hide a block. */
export function runnableBlocks(root: string, file: string): RunnableBlock[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks: RunnableBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.includes('runnable') || !line.trimStart().startsWith('<!--')) continue;
    const marker = MARKER.exec(line.trim());
    if (!marker) throw new Error(`${file}:${i + 1}: malformed marker ${line.trim()}`);
    const mode = marker[1] ?? 'plain';
    if (mode !== 'plain' && mode !== 'gateway') throw new Error(`${file}:${i + 1}: unknown mode "${mode}"`);
    const lang = FENCE.exec(lines[i + 1] ?? '')?.[1];
    if (lang !== 'sh' && lang !== 'js') throw new Error(`${file}:${i + 1}: a runnable marker must precede a \`\`\`sh or \`\`\`js block`);
    if (mode === 'gateway' && lang !== 'sh') throw new Error(`${file}:${i + 1}: gateway blocks are sh`);
    const end = lines.findIndex((l, j) => j > i + 1 && l.trim() === '```');
    if (end < 0) throw new Error(`${file}:${i + 2}: unclosed block`);
    blocks.push({ file, line: i + 2, lang, mode, code: lines.slice(i + 2, end).join('\n') });
    i = end;
  }
  return blocks;
}

const SHOWN_ANSWER = /#\s((?:\{|HTTP\/).*?)(?: {2}.*)?$/;

/** The answers a block's comments promise, as patterns to find in its output in order. */
export function promisedAnswers(code: string): RegExp[] {
  return code.split('\n').flatMap((line) => {
    const shown = SHOWN_ANSWER.exec(line)?.[1]?.trim();
    if (!shown) return [];
    const pattern = shown.split('...').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*?');
    return [new RegExp(pattern)];
  });
}
