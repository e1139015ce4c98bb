// Lint rules that keep the layers honest (ARCHITECTURE.md): domain and ipam are
// pure (no node:*, no I/O libraries, nothing of ours above them), and each
// layer imports only downward.
import tseslint from 'typescript-eslint';

const io = ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'better-sqlite3', 'pg', 'fastify', 'pino'];
const upward = (...layers) => layers.map((l) => `**/${l}/**`);

function restrict(files, patterns, message) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
      'no-restricted-globals': files.some((f) => f.includes('domain') || f.includes('ipam'))
        ? ['error', { name: 'fetch', message: 'pure layer' }, { name: 'process', message: 'pure layer' }]
        : 'off',
    },
  };
}

export default [
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'test-results/**'] },
  { files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tseslint.parser, parserOptions: { ecmaVersion: 2022, sourceType: 'module' } } },
  restrict(['src/domain/**/*.ts'], [...io, ...upward('ipam', 'store', 'service', 'api', 'metadata', 'osconfig', 'agent', 'lab', 'console', 'cli')], 'src/domain is pure: no I/O and nothing of ours above it'),
  restrict(['src/ipam/**/*.ts'], [...io, ...upward('store', 'service', 'api', 'metadata', 'osconfig', 'agent', 'lab', 'console', 'cli')], 'src/ipam is pure: domain and ipaddr.js only'),
  restrict(['src/store/**/*.ts'], upward('ipam', 'service', 'api', 'metadata', 'osconfig', 'agent', 'lab', 'console', 'cli'), 'src/store imports only domain'),
  restrict(['src/service/**/*.ts'], upward('api', 'metadata', 'osconfig', 'agent', 'lab', 'console', 'cli'), 'src/service imports domain, ipam and store only'),
  restrict(['src/api/**/*.ts'], upward('metadata', 'agent', 'lab', 'cli'), 'src/api sits below metadata, agent, lab and cli'),
  restrict(['src/console/**/*.tsx', 'src/console/{api,components,dialogs,hooks,layout,logic,pages,state}/**/*.ts'], [...io, ...upward('store', 'service', 'metadata', 'osconfig', 'agent', 'lab', 'cli'), '**/api/*/**'], 'src/console talks HTTP only; it may share pure code: domain, ipam and api/errors.ts'),
  restrict(['src/osconfig/**/*.ts'], [...io, ...upward('ipam', 'store', 'service', 'api', 'metadata', 'agent', 'lab', 'console', 'cli')], 'src/osconfig renderers are pure'),
  // Every wire error comes from the one catalogue, src/api/errors.ts (wireErrors.*, toWireError).
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['src/api/errors.ts'],
    rules: { 'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='WireError']", message: 'build wire errors with wireErrors.* from src/api/errors.ts (the one catalogue)' }] },
  },
];
