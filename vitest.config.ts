import { defineConfig } from 'vitest/config';
import path from 'node:path';

/** Unit and integration tests of shared/, functions/ and scripts/ (the mini-app has its own config). */
export default defineConfig({
  resolve: {
    alias: { '@shop/shared': path.resolve(import.meta.dirname, 'shared/src/index.ts') },
  },
  test: {
    include: ['shared/test/**/*.test.ts', 'functions/test/**/*.test.ts', 'scripts/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', LOG_LEVEL: process.env.LOG_LEVEL ?? 'SILENT' },
  },
});
