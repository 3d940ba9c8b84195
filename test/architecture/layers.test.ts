import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

// The rules live in .dependency-cruiser.cjs (also run by `npm run lint:layers`); this test makes
// `npm test` fail when a module imports a layer above it.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const KNOWN_VIOLATIONS = join(ROOT, '.dependency-cruiser-known-violations.json');

async function violations(baseDir: string, paths: string[], knownViolations: IViolation[] = []): Promise<string[]> {
  const options = await extractDepcruiseOptions(join(ROOT, '.dependency-cruiser.cjs'));
  const tsConfig = extractTSConfig(join(ROOT, 'tsconfig.json'));
  const { output } = await cruise(paths, { ...options, baseDir, knownViolations }, {}, { tsConfig });
  const { summary } = output as ICruiseResult;
  return summary.violations
    .filter((violation) => violation.rule.severity !== 'ignore')
    .map((violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`);
}

describe('layers', () => {
  it('no module imports a layer above it, and no import cycles (known violations aside)', async () => {
    const known = JSON.parse(readFileSync(KNOWN_VIOLATIONS, 'utf8')) as IViolation[];
    expect(await violations(ROOT, ['src', 'bench'], known)).toEqual([]);
  });

  describe('the rules catch', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'smsgate-layers-'));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    function writeModule(path: string, source: string): void {
      mkdirSync(dirname(join(scratch, path)), { recursive: true });
      writeFileSync(join(scratch, path), source);
    }

    writeModule('src/api/route.ts', 'export const route = 1;\n');
    writeModule('src/domain/pure.ts', "import type { route } from '../api/route.js';\nexport type Pure = typeof route;\n");
    writeModule('src/store/store.ts', "import { route } from '../api/route.js';\nexport const store = route;\n");
    writeModule('src/dispatch/ping.ts', "import { pong } from './pong.js';\nexport const ping = () => pong;\n");
    writeModule('src/dispatch/pong.ts', "import { ping } from './ping.js';\nexport const pong = () => ping;\n");

    it('a type-only import out of the domain, a store importing the api, and a cycle', async () => {
      expect((await violations(scratch, ['src'])).sort()).toEqual([
        'adapters-below-edges: src/store/store.ts → src/api/route.ts',
        'domain-is-pure: src/domain/pure.ts → src/api/route.ts',
        'no-circular: src/dispatch/ping.ts → src/dispatch/pong.ts',
      ]);
    });
  });
});
