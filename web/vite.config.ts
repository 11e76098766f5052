// SPDX-License-Identifier: MIT
// Vite build for the salesbox web app: hashed files under dist/assets, no inline scripts
// (the server's CSP is default-src 'self'), and the vitest set-up for the unit tests.
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    target: 'es2022',
    // The polyfill would be inlined into the entry; every browser we support has modulepreload.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: { '/api': process.env.SALESBOX_URL ?? 'http://127.0.0.1:8090' },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
