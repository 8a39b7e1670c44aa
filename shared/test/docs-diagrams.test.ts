import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ORDER_TRANSITIONS, membershipDiagram, orderStatusDiagram, transitionTable } from '../src/order-lifecycle';
import { DOCS_DIR, docsWithBlocks, renderDoc } from '../../scripts/docs';

describe('docs drawn from the order transition table', () => {
  const docs = docsWithBlocks();
  const byName = (file: string) => docs.find((d) => path.basename(d.file) === file);

  it('every generated block in docs/ is what the table renders now (run npm run docs:diagrams)', () => {
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) {
      expect(doc.rendered.unknown, `${doc.file}: unknown block names`).toEqual([]);
      // A plain string comparison names the file; the diff shows the stale lines.
      expect(doc.current, `${path.relative(DOCS_DIR, doc.file)} differs from the table: run npm run docs:diagrams`).toBe(doc.rendered.text);
    }
  });

  it('payments.md carries the status diagram and the table; group-buy.md the membership diagram', () => {
    expect(byName('payments.md')?.rendered.blocks).toEqual(expect.arrayContaining(['order-lifecycle', 'order-transitions']));
    expect(byName('group-buy.md')?.rendered.blocks).toEqual(expect.arrayContaining(['group-membership']));
  });

  it('notices a doc that drifted from the table', () => {
    const fresh = renderDoc('before\n<!-- generated:order-lifecycle -->\nstale\n<!-- /generated -->\nafter\n');
    expect(fresh.text).not.toContain('stale');
    expect(fresh.text).toContain(orderStatusDiagram());
    expect(fresh.text.startsWith('before\n')).toBe(true);
    expect(fresh.text.endsWith('after\n')).toBe(true);
    // Rendering twice changes nothing more.
    expect(renderDoc(fresh.text).text).toBe(fresh.text);
    expect(renderDoc('<!-- generated:no-such-block -->\nx\n<!-- /generated -->').unknown).toEqual(['no-such-block']);
  });

  it('the status diagram has an arrow for every move between two statuses, and the table a row per event', () => {
    const diagram = orderStatusDiagram();
    for (const t of ORDER_TRANSITIONS) {
      expect(transitionTable()).toContain(`| \`${t.event}\` |`);
      if (t.to !== 'same') expect(diagram).toMatch(new RegExp(`--> [A-Z_]+: .*\\b${t.event}\\b`));
    }
    expect(diagram).toContain('PAID --> REFUNDING: CANCEL_PAID [非拼团]');
    expect(diagram).toContain('REFUNDING --> SHIPPED: REFUND_RELEASED');
  });

  it('the membership diagram draws every row that writes the membership', () => {
    const diagram = membershipDiagram();
    for (const t of ORDER_TRANSITIONS.filter((x) => x.groupTo)) expect(diagram).toContain(`--> ${t.groupTo}: ${t.event}`);
    expect(diagram).toContain('PENDING --> FAILED: SEAT_REFUSED (订单 PAID→REFUNDING)');
    expect(diagram).not.toMatch(/CANCEL_PAID|SHIP\b/);
  });
});
