import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');

/** The routes app.config.ts registers (main package, then each subpackage's pages under its root). */
async function registered(): Promise<string[]> {
  (globalThis as { defineAppConfig?: (c: unknown) => unknown }).defineAppConfig = (c) => c;
  const config = (await import('../src/app.config')).default as unknown as {
    pages: string[];
    subPackages: { root: string; pages: string[] }[];
  };
  return [...config.pages, ...config.subPackages.flatMap((p) => p.pages.map((page) => `${p.root}/${page}`))];
}

/** Every folder with a page component: src/pages/<name>/index.tsx and src/package<X>/pages/<name>/index.tsx. */
function pageFolders(): string[] {
  const roots = ['pages', ...fs.readdirSync(src).filter((d) => d.startsWith('package')).map((d) => `${d}/pages`)];
  return roots.flatMap((root) =>
    fs.existsSync(path.join(src, root))
      ? fs
          .readdirSync(path.join(src, root))
          .filter((name) => fs.existsSync(path.join(src, root, name, 'index.tsx')))
          .map((name) => `${root}/${name}/index`)
      : [],
  );
}

describe('app.config.ts', () => {
  it('registers exactly the page folders, each with its page config, tab pages in the main package', async () => {
    const pages = await registered();
    expect([...pages].sort()).toEqual(pageFolders().sort());
    for (const page of pages) expect(fs.existsSync(path.join(src, `${page}.config.ts`)), page).toBe(true);
    expect(new Set(pages).size).toBe(pages.length);
  });
});
