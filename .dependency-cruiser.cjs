// Layer rules: a module may depend on its own layer and the layers below it, never above.
// From the bottom: domain < config < adapters (store, carrier, coordination, limits)
// < edges (api, dispatch, callbacks) < composition root (compose*, gateway) < cli.
// Checked by `npm run lint:layers` and by test/architecture/layers.test.ts (run by `npm test`).

const ADAPTERS = '^src/(store|carrier|coordination|limits)/';
const COMPOSITION_ROOT = '^src/(compose|gateway)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain is pure: it imports only other src/domain files (and packages).',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^(src|bench|test)/', pathNot: '^src/domain/' },
    },
    {
      name: 'config-only-on-domain',
      comment: 'src/config reads settings; of ours it may import only src/domain.',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^(src|bench|test)/', pathNot: '^src/(config|domain)/' },
    },
    {
      name: 'adapters-below-edges',
      comment: 'Store, carrier, coordination and limits are adapters: they never import api, dispatch, callbacks, cli or the composition root.',
      severity: 'error',
      from: { path: ADAPTERS },
      to: { path: `^src/(api|dispatch|callbacks|cli)/|${COMPOSITION_ROOT}` },
    },
    {
      name: 'api-not-on-dispatch-or-cli',
      comment: 'The HTTP edge does not reach into the dispatcher or the CLI.',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: '^src/(dispatch|cli)/' },
    },
    {
      name: 'dispatch-not-on-api-or-root',
      comment: 'The dispatcher does not reach into the HTTP edge, the CLI or the composition root.',
      severity: 'error',
      from: { path: '^src/dispatch/' },
      to: { path: `^src/(api|cli)/|${COMPOSITION_ROOT}` },
    },
    {
      name: 'callbacks-not-on-api-or-root',
      comment: 'The callback sender is an edge like the dispatcher: domain, config and adapters only.',
      severity: 'error',
      from: { path: '^src/callbacks/' },
      to: { path: `^src/(api|cli)/|${COMPOSITION_ROOT}` },
    },
    {
      name: 'root-imported-by-cli-only',
      comment: 'The composition root assembles the parts; only the CLI (and the root itself) imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: `^src/cli/|${COMPOSITION_ROOT}` },
      to: { path: COMPOSITION_ROOT },
    },
    {
      name: 'cli-is-the-top',
      comment: 'Nothing imports src/cli except src/cli.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only imports included.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'src-not-on-dev-dependencies',
      comment: 'Shipped code cannot import a devDependency: `npm install --omit=dev` would break it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-unresolvable',
      comment: 'Every import resolves to a file or an installed package.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are dependencies of the design too: `import type` upward is still upward.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
