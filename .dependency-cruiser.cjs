/** Module boundaries from ../shared/design/architecture.md, checked in CI (npm run depcruise). */
module.exports = {
  forbidden: [
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
      comment: 'Only event-store.module.ts chooses an adapter; everything else depends on the port.',
      from: {
        path: '^src/',
        pathNot: [
          '^src/event-store/(event-store\\.module\\.ts|sqlite/|eventstoredb/|testing/)',
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
          '^src/chronology/events/(index|event-data|entry-status|vocabulary|report-type-names|event-type)\\.ts$',
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
      to: { path: '(@nestjs|better-sqlite3|@eventstore|node:fs|^fs$|src/event-store)' },
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
