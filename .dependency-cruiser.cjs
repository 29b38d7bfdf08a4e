/**
 * Which folder may import which (checked by `npm run check`). The layers, innermost first:
 *   scheduler/engine/   the pure engine: imports nothing outside itself (no I/O, no clock)
 *   server/contract/    shapes and rules shared by server, worker and UI
 *   server/db/, server/outbox/   the shared layer: connections, schema, repositories both server
 *                       and worker read, and what they queue in a transaction (stream messages,
 *                       plan requests); imports neither feature folders nor the scheduler
 *   scheduler/tasks/    the worker: loads, runs the engine, saves; reaches the server only
 *                       through the shared layer
 *   server/<feature>/   the API; reaches the worker only through plan requests
 *   server/system.ts    the one composition root that wires server and worker together
 *   ui/, display/, console/   pages: only the contract, never the database
 */
const shared = '^server/(db|outbox|contract)/';
module.exports = {
  forbidden: [
    {
      name: 'engine-is-pure',
      comment: 'scheduler/engine is a pure function of a snapshot: it imports nothing outside itself (no node: modules, no packages).',
      severity: 'error',
      from: { path: '^scheduler/engine/' },
      to: { pathNot: '^scheduler/engine/' },
    },
    {
      name: 'shared-layer-is-a-leaf',
      comment: 'server/db, server/outbox and server/contract are shared by server and worker: they import neither feature folders nor the scheduler.',
      severity: 'error',
      from: { path: shared },
      to: { path: '^(server/|scheduler/|ui/|display/|console/)', pathNot: shared },
    },
    {
      name: 'worker-reaches-server-only-through-shared-layer',
      comment: 'scheduler/ may import server/db, server/outbox and server/contract only; a repository it needs belongs to its tasks or to server/db/repositories.',
      severity: 'error',
      from: { path: '^scheduler/' },
      to: { path: '^server/', pathNot: shared },
    },
    {
      name: 'server-reaches-worker-only-in-composition-root',
      comment: 'Only server/system.ts wires worker tasks in; features ask for a re-plan through server/outbox/plan-requests.ts. The pure engine may be used anywhere.',
      severity: 'error',
      from: { path: '^server/', pathNot: '^server/system\\.ts$' },
      to: { path: '^scheduler/', pathNot: '^scheduler/engine/' },
    },
    {
      name: 'ui-only-through-the-contract',
      comment: 'Pages talk to the API only: they may import server/contract, never the database, services or the scheduler.',
      severity: 'error',
      from: { path: '^(ui|display|console)/' },
      to: { path: '^(server|scheduler)/', pathNot: '^server/contract/' },
    },
    {
      name: 'contract-imports-only-itself',
      comment: 'server/contract is bundled into the UI: it imports only its own modules and zod.',
      severity: 'error',
      from: { path: '^server/contract/' },
      to: { pathNot: ['^server/contract/', 'node_modules/zod/'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'A relative or aliased import the checker cannot resolve is one it cannot check (SvelteKit virtual modules aside).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, path: '^(\\.|\\$)', pathNot: ['^\\$app/', '^\\$service-worker$', '/\\$types$'] },
    },
    {
      name: 'no-circular',
      comment: 'Modules that import each other cannot be read or tested alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(build|\\.svelte-kit|tests|\\.ci)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    preserveSymlinks: false,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.svelte', '.json'], conditionNames: ['import', 'svelte', 'node', 'default'] },
  },
};
