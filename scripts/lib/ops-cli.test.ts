import { describe, expect, it } from 'vitest';
import {
  afterSaleAction,
  afterSaleLine,
  afterSalesCsv,
  afterSaleState,
  beijingTime,
  csvFile,
  csvLine,
  feedbackCsv,
  feedbackLine,
  parseShipCsv,
  setReviewHidden,
  yuan,
  type OpsSend,
} from './ops-cli';

const ORDER = '01JABCDEFGHJKMNPQRSTVWXYZ0';
const AT = Date.UTC(2026, 0, 31, 6, 5); // 14:05 in Beijing

const view = (over: Record<string, unknown> = {}) =>
  ({
    id: `${ORDER}-1`,
    orderId: ORDER,
    userId: '01JUSER0000000000000000000',
    type: 'RETURN_REFUND',
    typeLabel: '退货退款',
    state: 'RETURNING',
    stateLabel: '退货中',
    line: { productId: 'p-tea', skuId: 'sku-tea-250', title: '明前龙井', specText: '250g', image: '/img/tea.jpg' },
    quantity: 2,
    reason: 'DAMAGED',
    reasonLabel: '商品破损',
    description: '外盒\n压坏了',
    photos: [{ key: 'k1', url: 'https://s3.example/k1' }],
    refundFen: 12345,
    refund: null,
    returnAddress: null,
    returnShipment: { carrier: '中通快递', trackingNo: '75312345678', at: AT },
    rejectReason: null,
    deadline: { at: AT + 10 * 86_400_000, text: '商家将在 2 月 10 日前确认收货' },
    actions: [],
    timeline: [],
    createdAt: AT,
    updatedAt: AT,
    ...over,
  }) as Parameters<typeof afterSaleLine>[0];

/** A send that fails the test if it is ever called: the arguments must be refused before anything is sent. */
const never: OpsSend = async (method, path) => {
  throw new Error(`sent ${method} ${path}`);
};

describe('CSV', () => {
  it('quotes commas, quotes and line breaks, and turns a cell starting like a formula into text', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'x\r\ny', 7])).toBe('a,"b,c","say ""hi""","x\r\ny",7');
    expect(csvLine(['=HYPERLINK("x")', '+1', '-2', '@me', 'ok=1'])).toBe(`"'=HYPERLINK(""x"")",'+1,'-2,'@me,ok=1`);
    // Numbers are numbers: a negative amount is not text.
    expect(csvLine([-5])).toBe('-5');
  });

  it('writes a file a spreadsheet opens as UTF-8 (BOM, header, one line per row)', () => {
    expect(csvFile(['id', '名称'], [['1', '龙井'], ['2', '碧螺春']])).toBe('\uFEFFid,名称\n1,龙井\n2,碧螺春\n');
  });

  it('still reads a shipments CSV it could write (BOM, quoted cells, items)', () => {
    const { lines, errors } = parseShipCsv(`\uFEFF${csvLine(['order_id', 'carrier', 'tracking_no', 'items'])}\n${csvLine([ORDER, 'shunfeng', 'SF1', 'sku-a:1;sku-b:2'])}\n,shunfeng,SF2,\n`);
    expect(lines).toEqual([{ line: 1, orderId: ORDER, carrier: 'shunfeng', trackingNo: 'SF1', items: [{ skuId: 'sku-a', quantity: 1 }, { skuId: 'sku-b', quantity: 2 }] }]);
    expect(errors.map((e) => e.message)).toEqual(['第 2 行：缺少订单号、快递公司或快递单号']);
  });
});

describe('words', () => {
  it('shows Beijing time and yuan', () => {
    expect(beijingTime(AT)).toBe('2026-01-31 14:05');
    expect(beijingTime(null)).toBe('');
    expect(yuan(12345)).toBe('123.45');
    expect(yuan(5)).toBe('0.05');
  });

  it('takes a state as its code in any case or its words, 申请中 by default, and refuses others listing the choices', () => {
    expect(afterSaleState(undefined)).toBe('REQUESTED');
    expect(afterSaleState('awaiting_return')).toBe('AWAITING_RETURN');
    expect(afterSaleState('退款中')).toBe('REFUNDING');
    expect(() => afterSaleState('处理中')).toThrow(/未知的售后状态「处理中」，可选：REQUESTED（申请中）、AWAITING_RETURN（待退货）/);
  });

  it('prints a request on one line with its type, state, amount, reason, return parcel and deadline in words', () => {
    const line = afterSaleLine(view());
    expect(line).toBe(
      `${ORDER}-1  订单 ${ORDER}  退货退款  退货中  明前龙井（250g）×2  退款 ¥123.45  原因：商品破损，外盒 压坏了  图片 1 张  退货 中通快递 75312345678  期限 2026-02-10 14:05（商家将在 2 月 10 日前确认收货）`,
    );
    expect(line).not.toMatch(/RETURN|DAMAGED/);
    const rejected = afterSaleLine(view({ state: 'REJECTED', stateLabel: '已拒绝', returnShipment: null, deadline: null, photos: [], rejectReason: '已超过售后期' }));
    expect(rejected).toContain('已拒绝');
    expect(rejected).toContain('拒绝原因：已超过售后期');
    expect(rejected).not.toContain('期限');
    // Once a refund exists its own amount and state are shown.
    expect(afterSaleLine(view({ refund: { statusLabel: '已退款', amountFen: 12000 } }))).toContain('退款 ¥120.00（已退款）');
  });

  it('exports requests with one column each for the return parcel and the deadline', () => {
    const [header, row] = afterSalesCsv([view({ description: '外盒压坏了' })]).slice(1).split('\n');
    const cols = header!.split(',');
    const cells = row!.split(',');
    expect(cells[cols.indexOf('type')]).toBe('退货退款');
    expect(cells[cols.indexOf('state')]).toBe('退货中');
    expect(cells[cols.indexOf('refund_yuan')]).toBe('123.45');
    expect(cells[cols.indexOf('return_carrier')]).toBe('中通快递');
    expect(cells[cols.indexOf('return_tracking_no')]).toBe('75312345678');
    expect(cells[cols.indexOf('deadline')]).toBe('2026-02-10 14:05');
  });

  it('prints feedback with the phone number only when the shopper agreed to be contacted', () => {
    const f = { id: '01JFEEDBACK000000000000000', userId: 'u1', type: 'DELIVERY', typeLabel: '物流配送', text: '太慢', photos: ['https://s3.example/p'], contactConsent: true, phone: '13900001111', createdAt: AT } as const;
    expect(feedbackLine({ ...f, photos: [...f.photos] })).toBe(`2026-01-31 14:05  物流配送  太慢  图片 1 张  可联系 13900001111  用户 u1  ${f.id}`);
    expect(feedbackLine({ ...f, photos: [], contactConsent: false, phone: null })).toBe(`2026-01-31 14:05  物流配送  太慢  不希望被联系  用户 u1  ${f.id}`);
    expect(feedbackCsv([{ ...f, photos: [...f.photos] }])).toBe(
      `\uFEFFfeedback_id,created_at,user_id,type,text,photos,contact_consent,phone\n${f.id},2026-01-31 14:05,u1,物流配送,太慢,https://s3.example/p,是,13900001111\n`,
    );
  });
});

describe('arguments are checked before anything is sent', () => {
  it('after-sales actions need a well-formed id, and reject a reason', async () => {
    await expect(afterSaleAction(never, 'approve', {})).rejects.toThrow('用法：approve --id <售后单号>');
    await expect(afterSaleAction(never, 'receive', { id: ' ' })).rejects.toThrow('用法：receive --id');
    await expect(afterSaleAction(never, 'refund', { id: ORDER })).rejects.toThrow(`售后单号无效：${ORDER}`);
    await expect(afterSaleAction(never, 'reject', { id: `${ORDER}-1` })).rejects.toThrow('请填写拒绝原因。用法：reject --id');
    await expect(afterSaleAction(never, 'reject', { id: `${ORDER}-1`, reason: '长'.repeat(201) })).rejects.toThrow('拒绝原因最多 200 字');
  });

  it('hide-review and show-review need a review id (<orderId>_<skuId>) and a reason', async () => {
    await expect(setReviewHidden(never, { reason: '广告' })).rejects.toThrow('用法：hide-review --id');
    await expect(setReviewHidden(never, { show: true })).rejects.toThrow('用法：show-review --id');
    await expect(setReviewHidden(never, { id: ORDER, reason: '广告' })).rejects.toThrow('评价编号无效');
    await expect(setReviewHidden(never, { id: `${ORDER}_sku-a`, reason: '' })).rejects.toThrow('请填写原因');
  });
});
