/**
 * Fulfilment rules shared by the server, the operator command and the mini-app: the carriers the shop ships with
 * (our code, WeChat's express_company code from get_delivery_list, 快递100's `com`), the stages of a parcel's
 * timeline in the shopper's words, and when an order is received automatically.
 */

export interface Carrier {
  /** Our code (the operator types it: `npm run ops -- ship --carrier shunfeng`); also 快递100's `com`. */
  code: string;
  name: string;
  /** WeChat's express_company (小程序发货信息管理, get_delivery_list). */
  wechat: string;
  /** 顺丰 needs a phone (masked) with the shipping info and the last digits with the tracking query. */
  needsPhone: boolean;
}

const CARRIERS: readonly Carrier[] = [
  { code: 'shunfeng', name: '顺丰速运', wechat: 'SF', needsPhone: true },
  { code: 'zhongtong', name: '中通快递', wechat: 'ZTO', needsPhone: false },
  { code: 'yuantong', name: '圆通速递', wechat: 'YTO', needsPhone: false },
  { code: 'yunda', name: '韵达快递', wechat: 'YD', needsPhone: false },
  { code: 'shentong', name: '申通快递', wechat: 'STO', needsPhone: false },
  { code: 'ems', name: 'EMS', wechat: 'EMS', needsPhone: false },
  { code: 'jd', name: '京东物流', wechat: 'JD', needsPhone: false },
];

export function carrierOf(code: string): Carrier | undefined {
  return CARRIERS.find((c) => c.code === code);
}

/** WeChat allows at most 15 parcels per order (delivery_mode 2). */
export const MAX_PARCELS = 15;

/** A parcel's stage, from the tracking service's state. */
export const TRACKING_STAGES = ['AWAITING', 'COLLECTED', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED', 'PROBLEM', 'RETURNED'] as const;
export type TrackingStage = (typeof TRACKING_STAGES)[number];

export const TRACKING_STAGE_LABEL: Record<TrackingStage, string> = {
  AWAITING: '等待揽收',
  COLLECTED: '已揽收',
  IN_TRANSIT: '运输中',
  OUT_FOR_DELIVERY: '派送中',
  DELIVERED: '已签收',
  PROBLEM: '运输异常',
  RETURNED: '已退回',
};

/** 快递100's `state` codes (query and push) → our stage. Unknown codes count as in transit. */
export function stageOfKuaidi100State(state: string): TrackingStage {
  switch (state) {
    case '1':
      return 'COLLECTED';
    case '0':
    case '7':
    case '8':
      return 'IN_TRANSIT';
    case '5':
      return 'OUT_FOR_DELIVERY';
    case '3':
      return 'DELIVERED';
    case '2':
    case '14':
      return 'PROBLEM';
    case '4':
    case '6':
      return 'RETURNED';
    default:
      return 'IN_TRANSIT';
  }
}

export interface ReceiptRules {
  /** Received automatically this many days after the last parcel is delivered (已签收). */
  afterDeliveryDays: number;
  /** …or this many days after shipping when tracking never says delivered. */
  afterShippingDays: number;
}

export const DEFAULT_RECEIPT_RULES: ReceiptRules = { afterDeliveryDays: 7, afterShippingDays: 15 };

const DAY_MS = 24 * 3600 * 1000;

/** When a shipped order is received automatically: N days after delivery, else M days after (last) shipping. */
export function autoReceiptAt(order: { shippedAt: number; deliveredAt?: number | null }, rules: ReceiptRules): number {
  if (order.deliveredAt) return order.deliveredAt + rules.afterDeliveryDays * DAY_MS;
  return order.shippedAt + rules.afterShippingDays * DAY_MS;
}

/** A phone as WeChat wants it in shipping info (顺丰): 138****8000. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return digits;
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}
