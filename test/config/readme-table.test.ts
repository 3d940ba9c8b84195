import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTINGS, shownDefault } from '../../src/config/settings.js';

/** README's "Configuration" table, row by row: the variable, its default and its meaning. */
function readmeRows(): { name: string; default: string; description: string }[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.split('\n## Configuration\n')[1]?.split('\n## ')[0];
  if (section === undefined) throw new Error('README.md has no "## Configuration" section');
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const match = /^\| `([^`]+)` \| (.*?) \| (.*) \|$/.exec(line);
      if (!match) throw new Error(`README.md: a configuration row not shaped "| \`NAME\` | default | meaning |": ${line}`);
      return { name: match[1]!, default: match[2]!, description: match[3]! };
    });
}

const settings = Object.values(SETTINGS);

describe("README's configuration table is the settings table", () => {
  it('lists exactly the variables the gateway reads, in the same order', () => {
    expect(readmeRows().map((row) => row.name)).toEqual(settings.map((s) => s.name));
  });

  it('shows each default as the settings table has it', () => {
    const shown = Object.fromEntries(readmeRows().map((row) => [row.name, row.default]));
    for (const s of settings) expect(shown[s.name], s.name).toBe(shownDefault(s));
  });

  it('says what each one means as the settings table does', () => {
    const said = Object.fromEntries(readmeRows().map((row) => [row.name, row.description]));
    for (const s of settings) expect(said[s.name], s.name).toBe(s.description);
  });
});
