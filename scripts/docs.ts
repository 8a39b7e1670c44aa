/**
 * The docs' diagrams and tables of the order lifecycle, rendered from the transition table
 * (shared/src/order-lifecycle.ts) into every block of docs/*.md between
 *   <!-- generated:<name> -->
 *   …
 *   <!-- /generated -->
 *
 *   npm run docs:diagrams              rewrite the blocks from the table
 *   npm run docs:diagrams -- --check   only compare (exit 1 when a doc differs from what the table renders now)
 *
 * shared/test/docs-diagrams.test.ts runs the same comparison, so the docs cannot drift from the code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { membershipDiagram, orderStatusDiagram, transitionTable } from '../shared/src/order-lifecycle';
import { afterSaleDiagram, afterSaleTransitionTable } from '../shared/src/after-sales';

export const DOCS_DIR = path.resolve(import.meta.dirname, '..', 'docs');

const mermaid = (diagram: string) => ['```mermaid', diagram, '```'].join('\n');

/** Every block the docs may contain, by name. */
export const GENERATED: Record<string, () => string> = {
  'order-lifecycle': () => mermaid(orderStatusDiagram()),
  'order-transitions': () => transitionTable(),
  'group-membership': () => mermaid(membershipDiagram()),
  'after-sale-states': () => mermaid(afterSaleDiagram()),
  'after-sale-transitions': () => afterSaleTransitionTable(),
};

const BLOCK = /<!-- generated:([a-z0-9-]+) -->\n([\s\S]*?)<!-- \/generated -->/g;

export interface RenderedDoc {
  text: string;
  /** The blocks found, in order. */
  blocks: string[];
  /** Names no renderer knows (a typo in a marker). */
  unknown: string[];
}

/** The document with every generated block rendered from the table now. */
export function renderDoc(text: string): RenderedDoc {
  const blocks: string[] = [];
  const unknown: string[] = [];
  const out = text.replace(BLOCK, (whole, name: string) => {
    blocks.push(name);
    const render = GENERATED[name];
    if (!render) {
      unknown.push(name);
      return whole;
    }
    // Blank lines around the content: a markdown table or fence never runs into the markers.
    return `<!-- generated:${name} -->\n\n${render()}\n\n<!-- /generated -->`;
  });
  return { text: out, blocks, unknown };
}

/** Every doc with generated blocks: its path, text now and text as rendered. */
export function docsWithBlocks(dir = DOCS_DIR): { file: string; current: string; rendered: RenderedDoc }[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      const current = fs.readFileSync(file, 'utf8');
      return { file, current, rendered: renderDoc(current) };
    })
    .filter((d) => d.rendered.blocks.length > 0);
}

function main(): number {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const doc of docsWithBlocks()) {
    const name = path.relative(process.cwd(), doc.file);
    if (doc.rendered.unknown.length) {
      console.error(`${name}: unknown generated block(s): ${doc.rendered.unknown.join(', ')} (known: ${Object.keys(GENERATED).join(', ')})`);
      stale += 1;
      continue;
    }
    if (doc.rendered.text === doc.current) {
      console.log(`${name}: up to date (${doc.rendered.blocks.join(', ')})`);
      continue;
    }
    if (check) {
      console.error(`${name}: differs from the transition table (${doc.rendered.blocks.join(', ')}); run npm run docs:diagrams`);
      stale += 1;
    } else {
      fs.writeFileSync(doc.file, doc.rendered.text);
      console.log(`${name}: rewritten (${doc.rendered.blocks.join(', ')})`);
    }
  }
  return stale ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) process.exitCode = main();
