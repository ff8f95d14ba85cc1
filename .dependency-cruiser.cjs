/**
 * Module boundaries (docs/design-decisions.md), checked in CI (npm run depcruise).
 *
 * Layers as folders, lowest first. Production code imports only from its own layer's folder or
 * from lower layers, and folders of one layer do not import each other; so no cycle between
 * folders can form. The root files (main.ts, app.module.ts, app.factory.ts) compose them all.
 */
const LAYERS = [
  ['shared'], // small generic helpers: no HTTP, no store, no configuration
  ['config'], // the one reader of process.env
  ['event-store'], // the port and its adapters
  ['http'], // the HTTP surface's plumbing: problem documents, body parsing, shutdown
  ['auth'], // roles, principals, the guard and the key-lookup interface every controller uses
  ['chronology'], // the write side and the event catalogue
  ['projections'], // the read models, their runner and readers
  ['health'], // health and metrics
  ['access', 'live', 'audit', 'exports', 'web'], // keys, live feeds, the audit log, exports, the web page: each on the read side, none on another
  ['cli'], // the command line
];
const PRODUCTION = { pathNot: ['\\.(int-)?spec\\.ts$', '/testing/'] };
const folders = (names) => `^src/(${names.join('|')})/`;
const layerRules = LAYERS.flatMap((layer, i) => {
  const above = LAYERS.slice(i + 1).flat();
  const rules = [];
  if (above.length > 0) {
    rules.push({
      name: `layer-order-${layer.join('-')}`,
      severity: 'error',
      comment: `${layer.join(', ')} must not import a higher layer (${above.join(', ')}) or the root files.`,
      from: { path: folders(layer), ...PRODUCTION },
      to: { path: [folders(above), '^src/[^/]+\\.ts$'] },
    });
  }
  for (const name of layer) {
    const siblings = layer.filter((other) => other !== name);
    if (siblings.length === 0) continue;
    rules.push({
      name: `layer-siblings-${name}`,
      severity: 'error',
      comment: `${name} must not import ${siblings.join(', ')}: folders of one layer stay independent.`,
      from: { path: folders([name]), ...PRODUCTION },
      to: { path: folders(siblings) },
    });
  }
  return rules;
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules must not depend on each other in a circle.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'port-not-adapter',
      severity: 'error',
      comment:
        'Only event-store.module.ts (and log-reader.ts, for read-only readers) chooses an adapter; everything else depends on the port.',
      from: {
        path: '^src/',
        pathNot: [
          '^src/event-store/(event-store\\.module\\.ts|log-reader\\.ts|sqlite/|eventstoredb/|testing/)',
          '\\.(int-)?spec\\.ts$',
        ],
      },
      to: { path: '^src/event-store/(sqlite|eventstoredb)/' },
    },
    {
      name: 'projections-only-see-event-types',
      severity: 'error',
      comment: 'Projections import the exported event types of chronology, never its internals.',
      from: { path: '^src/projections/' },
      to: {
        path: '^src/chronology/',
        pathNot:
          '^src/chronology/events/(index|event-data|entry-status|vocabulary|report-type-names|event-type|stored-events|decode|streams)\\.ts$',
      },
    },
    {
      name: 'write-side-never-reads-read-models',
      severity: 'error',
      comment: 'The write side decides on its own streams, never on a read model.',
      from: { path: '^src/chronology/' },
      to: { path: '^src/projections/' },
    },
    {
      name: 'deciders-are-pure',
      severity: 'error',
      comment: 'Deciders import no framework and no I/O.',
      from: { path: '\\.decider\\.ts$' },
      to: { path: '(@nestjs|better-sqlite3|@eventstore|@kurrent|node:fs|^fs$|src/event-store)' },
    },
    {
      name: 'src-not-tests',
      severity: 'error',
      comment: 'Production code never imports test code.',
      from: { path: '^src/', pathNot: '\\.(int-)?spec\\.ts$|/testing/' },
      to: { path: '^test/|/testing/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^dist/' },
  },
};
