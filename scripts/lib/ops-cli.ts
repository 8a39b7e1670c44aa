/**
 * The operator command's pieces that do not talk to a network (scripts/ops.ts wires them to SigV4 or the local key):
 * reading a shipments CSV, shipping many orders one request each with a result per line, and writing CSV.
 */

export interface ShipLine {
  /** 1-based line of the CSV (after the header). */
  line: number;
  orderId: string;
  carrier: string;
  trackingNo: string;
  /** `skuId:qty;skuId:qty`, empty = the whole order in this parcel. */
  items: { skuId: string; quantity: number }[];
}

export interface ShipOutcome {
  line: number;
  orderId: string;
  ok: boolean;
  message: string;
}

/** Splits one CSV line (quotes allowed, "" inside quotes). */
function cells(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') (out.push(cur.trim()), (cur = ''));
    else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

export function csvLine(values: (string | number)[]): string {
  return values.map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(',');
}

/**
 * shipments.csv: header `order_id,carrier,tracking_no[,items]`, one line per parcel; several lines of one order are
 * its parcels (shipped together, items required then). Lines it cannot read come back as errors.
 */
export function parseShipCsv(text: string): { lines: ShipLine[]; errors: ShipOutcome[] } {
  const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((r) => r.trim() !== '');
  const header = cells(rows.shift() ?? '').map((h) => h.toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const [io, ic, it, ii] = [col('order_id'), col('carrier'), col('tracking_no'), col('items')];
  if (io < 0 || ic < 0 || it < 0) throw new Error('CSV 表头需要 order_id,carrier,tracking_no（可选 items）');
  const lines: ShipLine[] = [];
  const errors: ShipOutcome[] = [];
  rows.forEach((row, i) => {
    const c = cells(row);
    const line = i + 1;
    const orderId = c[io] ?? '';
    const items: ShipLine['items'] = [];
    for (const part of (ii >= 0 ? (c[ii] ?? '') : '').split(';').filter(Boolean)) {
      const [skuId, qty] = part.split(':');
      const quantity = Number(qty);
      if (!skuId || !Number.isInteger(quantity) || quantity <= 0) {
        errors.push({ line, orderId, ok: false, message: `第 ${line} 行：商品格式应为 skuId:数量` });
        return;
      }
      items.push({ skuId, quantity });
    }
    if (!orderId || !c[ic] || !c[it]) {
      errors.push({ line, orderId, ok: false, message: `第 ${line} 行：缺少订单号、快递公司或快递单号` });
      return;
    }
    lines.push({ line, orderId, carrier: c[ic]!, trackingNo: c[it]!, items });
  });
  return { lines, errors };
}

export type ShipSender = (orderId: string, body: { parcels: { carrier: string; trackingNo: string; lines?: { skuId: string; quantity: number }[] }[]; isAllDelivered: boolean }) => Promise<{ status: number; body: any }>;

/** Ships each order of the CSV (its lines = its parcels) with one request; one outcome per order, in CSV order. */
export async function shipMany(lines: ShipLine[], send: ShipSender): Promise<ShipOutcome[]> {
  const byOrder = new Map<string, ShipLine[]>();
  for (const l of lines) byOrder.set(l.orderId, [...(byOrder.get(l.orderId) ?? []), l]);
  const out: ShipOutcome[] = [];
  for (const [orderId, parcels] of byOrder) {
    const res = await send(orderId, {
      parcels: parcels.map((p) => ({ carrier: p.carrier, trackingNo: p.trackingNo, ...(p.items.length ? { lines: p.items } : {}) })),
      isAllDelivered: true,
    });
    const where = parcels.map((p) => p.line).join('、');
    out.push(
      res.status === 200
        ? { line: parcels[0]!.line, orderId, ok: true, message: `第 ${where} 行：已发货（${parcels.length} 个包裹）` }
        : { line: parcels[0]!.line, orderId, ok: false, message: `第 ${where} 行：${res.body?.message ?? `发货失败（HTTP ${res.status}）`}` },
    );
  }
  return out;
}
