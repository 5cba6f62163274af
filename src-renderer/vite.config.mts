// Builds the renderer: run from the repo root as
//   vite build --config src-renderer/vite.config.mts
// Two pages: index.html (catalogue) and viewer.html (one remote desktop).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/renderer', import.meta.url));

export default defineConfig({
  root,
  // Pages load from file:// in Electron and from http://127.0.0.1:PORT/ in the headless host.
  base: './',
  publicDir: false,
  // vite 8 transforms TSX with oxc; same JSX mode as tsconfig.renderer.json (react-jsx).
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    // No inline scripts (CSP script-src 'self'), and no polyfill for modulepreload.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rolldownOptions: {
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        viewer: fileURLToPath(new URL('./viewer.html', import.meta.url)),
      },
    },
  },
});
