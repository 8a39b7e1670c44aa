import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(d.name) ? [full] : [];
  });
}

/** The names an import statement brings in as values (not `type X`, not `import type {…}`). */
function valueImportsOf(statement: string): string[] {
  if (/^import\s+type\b/.test(statement)) return [];
  const named = /\{([^}]*)\}/.exec(statement)?.[1] ?? '';
  const names = named
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n && !n.startsWith('type '));
  // `import x from` / `import * as x from` / a bare `import '…'` also run the module.
  const other = /^import\s+(?!\{)([^'"]+?)\s+from/.exec(statement)?.[1];
  if (other) names.push(other);
  if (/^import\s+['"]/.test(statement)) names.push('(side effects)');
  return names;
}

describe('imports of @shop/shared in the mini-app', () => {
  // The package index re-exports every zod contract: a value imported through it puts zod and all the API's schemas
  // into the main package of both builds (the weapp's 1,024 KB budget, the H5 app's first download). Values come from
  // the rule module itself (`@shop/shared/src/after-sales`); the index is for types only, which the build erases.
  it('takes only types from the package index', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(src)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^import\b[^;]*?from\s+'@shop\/shared'\s*;?|^import\s+'@shop\/shared'\s*;?/gms)) {
        const values = valueImportsOf(m[0].replace(/\s+/g, ' '));
        if (values.length) offenders.push(`${path.relative(src, file)}: ${values.join(', ')}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('sees a value import through the index when there is one', () => {
    expect(valueImportsOf("import { AFTER_SALE_TYPES, type AfterSaleType } from '@shop/shared';")).toEqual(['AFTER_SALE_TYPES']);
    expect(valueImportsOf("import type { AfterSaleType } from '@shop/shared';")).toEqual([]);
    expect(valueImportsOf("import * as shared from '@shop/shared';")).toEqual(['* as shared']);
  });
});
