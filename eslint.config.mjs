// Lint: typescript-eslint's recommended rules on every TypeScript file, and the folder
// boundaries of docs/architecture.md ("Boundaries"), so CI keeps the layers apart.
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Which of our folders a folder may import from (type-only imports count: they are a
 * dependency too). `allow`: only these; `deny`: anything but these; `noBackends`: no backend's
 * folder or client library. First match wins.
 */
const LAYERS = [
  { from: 'src-shared', allow: ['src-shared'] },
  { from: 'src-main/store', allow: ['src-main/store', 'src-shared'] },
  // The RFB library serves the gateway, the Proxmox console bridge and the readiness check alike.
  { from: 'src-main/rfb', allow: ['src-main/rfb', 'src-shared'] },
  { from: 'src-main/providers', deny: ['src-main/store', 'src-main/display/gateway'] },
  { from: 'src-renderer', allow: ['src-renderer', 'src-shared'] },
  // These ask the provider registry and name no backend; src-main/backends.ts wires the backends.
  { from: 'src-main/core.ts', noBackends: true },
  { from: 'src-main/lifecycle', noBackends: true },
  { from: 'src-main/display', noBackends: true },
];
/** A backend's own folder (providers/<kind>/) and its client libraries, for layers with `noBackends`. */
const BACKEND_FOLDER = /^src-main\/providers\/[^/]+\//;
const BACKEND_PACKAGES = ['dockerode'];
/** The only folder that may import the `electron` package. */
const ELECTRON_FOLDER = 'src-main/electron';
const SOURCE_FOLDERS = ['src-main', 'src-shared', 'src-renderer'];

const inside = (file, folder) => file === folder || file.startsWith(`${folder}/`);

const boundaries = {
  rules: {
    layers: {
      meta: { type: 'problem', schema: [], messages: { layer: '{{from}} may not import {{target}} ({{why}}); see docs/architecture.md, "Boundaries".' } },
      create(context) {
        const file = path.relative(context.cwd, context.filename).split(path.sep).join('/');
        const layer = LAYERS.find((l) => inside(file, l.from));
        const check = (node) => {
          const source = node.source;
          if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
          const spec = source.value;
          const report = (target, why) => context.report({ node: source, messageId: 'layer', data: { from: layer?.from ?? file, target, why } });
          if ((spec === 'electron' || spec.startsWith('electron/')) && !inside(file, ELECTRON_FOLDER)) {
            report('electron', `only ${ELECTRON_FOLDER} talks to Electron`);
            return;
          }
          const backendWhy = 'it reaches backends through the provider registry (src-main/providers/providers.ts)';
          if (layer?.noBackends && BACKEND_PACKAGES.includes(spec)) report(spec, backendWhy);
          if (!layer || !spec.startsWith('.')) return;
          const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
          if (layer.allow && !layer.allow.some((f) => inside(target, f))) report(target, `it may import only ${layer.allow.join(', ')}`);
          if (layer.deny?.some((f) => inside(target, f))) report(target, `it may not import ${layer.deny.join(', ')}`);
          if (layer.noBackends && BACKEND_FOLDER.test(target)) report(target, backendWhy);
        };
        return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
      },
    },
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: SOURCE_FOLDERS.map((folder) => `${folder}/**/*.{ts,tsx,mts}`),
    plugins: { boundaries },
    rules: { 'boundaries/layers': 'error' },
  },
  {
    // Core errors reach windows in their own language: their words come from src-shared/error-texts.ts.
    files: ['src-main/**/*.ts', 'src-shared/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "NewExpression[callee.name=/^(DaasError|ProxmoxError)$/][arguments.1.type=/^(Literal|TemplateLiteral)$/], NewExpression[callee.name=/^(DaasError|ProxmoxError)$/][arguments.2.type=/^(Literal|TemplateLiteral)$/]",
          message:
            "Give DaasError and ProxmoxError errorText('error.…') and errorText('fix.…') (src-shared/error-texts.ts) so windows can translate them; Proxmox's own words go in as parameters.",
        },
      ],
    },
  },
);
