import { CAPABILITIES, CAPABILITY_USES, LAYERS, SERVER_ONLY, SERVER_ONLY_EXEMPT, TWIN_IMPORTERS } from './layers.config.mjs';

/**
 * ESLint flat-config entries generated from the layer map: one
 * `import/no-restricted-paths` zone per forbidden pair of layers and per
 * capability a capability may not use (it follows `import`, `export … from`
 * and `import()`), and for views a rule that lets capabilities' types through
 * but no value and no dynamic import.
 */
const TESTS = ['**/*.test.ts', '**/*.test.tsx'];

function zonesFor(name) {
  const layer = LAYERS[name];
  const allowed = new Set([...layer.may, ...(layer.typesOnly ?? [])]);
  const zones = [];
  for (const [other, o] of Object.entries(LAYERS)) {
    if (allowed.has(other)) continue;
    // The plugin wants a zone's `from` all globs or all plain paths: one zone per path.
    for (const from of o.files) zones.push({ target: layer.files, from, message: `The ${name} layer may not import the ${other} layer (layers.config.mjs).` });
  }
  return zones;
}

function capabilityZones() {
  return CAPABILITIES.map((c) => {
    const forbidden = CAPABILITIES.filter((o) => o !== c && !CAPABILITY_USES[c].includes(o));
    return {
      target: [`lib/${c}/**`],
      from: forbidden.map((o) => `lib/${o}/**`),
      message: `lib/${c} may use only ${CAPABILITY_USES[c].map((o) => `lib/${o}`).join(', ') || 'no other capability'} (CAPABILITY_USES in layers.config.mjs).`,
    };
  }).filter((z) => z.from.length);
}

function capabilityPatterns(caps) {
  return caps.flatMap((c) => [`@/lib/${c}`, `@/lib/${c}/*`, `**/lib/${c}`, `**/lib/${c}/*`]);
}

/** Reports a server module that does not start with `import 'server-only'` (SERVER_ONLY in layers.config.mjs). */
const serverOnlyRule = {
  meta: { type: 'problem', schema: [], messages: { missing: "A server module starts with `import 'server-only';` (SERVER_ONLY in layers.config.mjs), so a client component cannot pull it into the browser." } },
  create(context) {
    return {
      Program(program) {
        const marked = program.body.some((s) => s.type === 'ImportDeclaration' && s.source.value === 'server-only' && s.specifiers.length === 0);
        if (!marked) context.report({ node: program, loc: { line: 1, column: 0 }, messageId: 'missing' });
      },
    };
  },
};

export function layerRules() {
  const typeOnlyViews = Object.entries(LAYERS).filter(([, l]) => l.typesOnly?.includes('capabilities'));
  // esquery's regexes cannot hold a slash: `.` stands for it.
  const capSource = `^(@.|([.]{2}.)+)lib.(${CAPABILITIES.join('|')})(.|$)`;
  return [
    {
      files: ['**/*.ts', '**/*.tsx', '**/*.mjs'],
      ignores: TESTS,
      rules: {
        'import/no-restricted-paths': ['error', { zones: [...Object.keys(LAYERS).flatMap(zonesFor), ...capabilityZones()] }],
      },
    },
    ...typeOnlyViews.map(([name, l]) => ({
      files: l.files,
      ignores: TESTS,
      rules: {
        '@typescript-eslint/no-restricted-imports': ['error', {
          patterns: [{ group: capabilityPatterns(CAPABILITIES), allowTypeImports: true, message: `The ${name} layer may import capabilities' types only (layers.config.mjs): take the data as props.` }],
        }],
        'no-restricted-syntax': ['error', {
          selector: `ImportExpression[source.value=/${capSource}/]`,
          message: `The ${name} layer may not load a capability (layers.config.mjs): take the data as props.`,
        }],
      },
    })),
    {
      files: [...SERVER_ONLY.layers.flatMap((l) => LAYERS[l].files.map((f) => `${f.replace(/\*\*$/, '**/')}*.ts`)), ...SERVER_ONLY.files.map((f) => `${f.replace(/\*\*$/, '**/')}*.ts`)],
      ignores: [...TESTS, '**/testdata/**', ...Object.keys(SERVER_ONLY_EXEMPT)],
      plugins: { layers: { rules: { 'server-only': serverOnlyRule } } },
      rules: { 'layers/server-only': 'error' },
    },
    {
      // Tests start the twin through the harness in test/, never by importing it.
      files: TESTS,
      ignores: ['lib/twin/**', ...TWIN_IMPORTERS],
      rules: {
        'import/no-restricted-paths': ['error', { zones: [{ target: ['app/**', 'components/**', 'lib/**'], from: LAYERS.twin.files, message: 'Only the twin’s launcher and the test harness (test/) import the twin (layers.config.mjs).' }] }],
      },
    },
  ];
}
