/**
 * The parts of the product and which may import which. `eslint.config.mjs`
 * turns this map into lint rules (static `import`, `export … from` and
 * dynamic `import()` alike); `docs/layers.md` explains it in words, and
 * `test/layers.test.ts` proves that breaking a rule fails the lint.
 *
 * Globs are relative to the repository root. A file belongs to the first
 * layer whose globs match it.
 */

/** One folder per capability under lib/, each with an index.ts as its public surface. */
export const CAPABILITIES = ['actions', 'audit', 'auth', 'backup', 'chain', 'conformance', 'cost', 'docs', 'jobs', 'monitor', 'power', 'preflight', 'presenter', 'releases', 'schedule', 'topology', 'zones'];

/**
 * Which capability may use which. Acyclic (the test checks it): a piece two
 * capabilities need goes down a layer (to `domain` if it is pure, or to the
 * lower capability), never into a loop.
 */
export const CAPABILITY_USES = {
  actions: ['audit', 'auth'],
  audit: [],
  auth: ['audit'],
  backup: ['auth', 'topology'],
  chain: [],
  conformance: ['backup', 'cost', 'releases', 'schedule', 'topology'],
  cost: ['audit', 'auth', 'power', 'topology'],
  docs: [],
  jobs: ['auth', 'topology'],
  monitor: ['zones'],
  power: ['auth', 'jobs', 'topology'],
  preflight: ['cost', 'topology'],
  presenter: ['auth', 'backup', 'power', 'zones'],
  releases: ['preflight', 'topology'],
  schedule: ['audit', 'auth', 'power'],
  topology: [],
  zones: ['topology'],
};

export const LAYERS = {
  /** Pages, layouts, route handlers and server actions: they authorise, read through one capability query and hand plain data to views. */
  entries: { files: ['app/**'], may: ['entries', 'views', 'capabilities', 'shared', 'domain'] },
  /** Presenters and their interactive leaves: props in, markup out. Capabilities' types only (no queries, no clients). */
  views: { files: ['components/**'], may: ['views', 'shared', 'domain'], typesOnly: ['capabilities'] },
  /** What the product does: lib/<capability>; which capability may use which is CAPABILITY_USES. */
  capabilities: { files: CAPABILITIES.map((c) => `lib/${c}/**`), may: ['capabilities', 'clients', 'shared', 'domain', 'db'] },
  /** Azure (ARM, Data Protection, Cost Management) and Kubernetes clients, the same code on the twin and on Azure. */
  clients: { files: ['lib/azure/**', 'lib/k8s/**'], may: ['clients', 'shared', 'domain'] },
  /** Settings, the product's typed errors and their translators, the shared read cache, the words guard. */
  shared: { files: ['lib/config.ts', 'lib/errors.ts', 'lib/sse.ts', 'lib/cache/**', 'lib/words/**'], may: ['shared', 'domain'] },
  /** Pure rules and types: no I/O, imports nothing but itself. */
  domain: { files: ['lib/domain/**'], may: ['domain'] },
  /** The database client and migrations. */
  db: { files: ['lib/db/**'], may: ['db', 'shared'] },
  /** The twin: a separate server the product talks to over HTTPS; it never imports the product's clients or capabilities. */
  twin: { files: ['lib/twin/**'], may: ['twin', 'shared', 'domain'] },
  /** The environment's OpenTofu code, add-on installer and the tooling that checks them; the product runs them as jobs and never imports them. */
  infra: { files: ['infra/**'], may: ['infra', 'domain'] },
};

/**
 * Server modules: each starts with `import 'server-only'`, so a client component
 * that reached one (through a page's `'use client'` file, say) fails the build
 * instead of shipping server code and settings to the browser. The lint checks
 * every file of these layers, and `lib/events` (the server's event hub).
 */
export const SERVER_ONLY = { layers: ['capabilities', 'clients'], files: ['lib/events/**'] };

/** Server files without the mark, each with its reason. */
export const SERVER_ONLY_EXEMPT = {
  // The proxy runs before any page, outside React's server environment, and imports it.
  'lib/actions/origin.ts': 'read by the proxy',
};

/**
 * Files outside the layers that may import the twin: its launcher and the
 * test harness. Tests (`*.test.ts`) are checked by the layer of their folder,
 * except that they may start the twin through the harness in `test/`.
 */
export const TWIN_IMPORTERS = ['scripts/**', 'test/**'];
