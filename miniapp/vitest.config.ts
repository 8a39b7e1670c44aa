import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Unit tests of the mini-app's logic (store slices, API client, SKU rules). Taro is replaced by a stub. */
export default defineConfig({
  root: here,
  resolve: {
    alias: [
      { find: /^@tarojs\/taro$/, replacement: path.join(here, 'test/support/taro-stub.ts') },
      { find: /^@shop\/shared$/, replacement: path.resolve(here, '../shared/src/index.ts') },
      { find: /^@shop\/shared\/(.*)$/, replacement: path.resolve(here, '../shared/$1') },
    ],
  },
  define: {
    API_BASE: JSON.stringify('https://api.test'),
    ASSET_BASE: JSON.stringify('https://cdn.test'),
    GROUP_NOTICE_TEMPLATES: JSON.stringify([]),
    ORDER_NOTICE_TEMPLATES: JSON.stringify([]),
  },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 10_000,
  },
});
