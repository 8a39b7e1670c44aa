/**
 * Every error a caller can see: a stable code for programs, an HTTP status, and a Chinese message for shoppers.
 * The API layer maps codes to statuses from this one table.
 */
export const ERROR_CATALOG = {
  VALIDATION_FAILED: { status: 400, message: '请求参数有误' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '请求内容过大' },
  UNAUTHORIZED: { status: 401, message: '请先登录' },
  SESSION_EXPIRED: { status: 401, message: '登录已过期，请重新登录' },
  FORBIDDEN: { status: 403, message: '无权进行此操作' },
  NOT_FOUND: { status: 404, message: '请求的内容不存在' },
  PRODUCT_NOT_FOUND: { status: 404, message: '商品不存在' },
  SKU_NOT_FOUND: { status: 404, message: '商品规格不存在' },
  ORDER_NOT_FOUND: { status: 404, message: '订单不存在' },
  ADDRESS_NOT_FOUND: { status: 404, message: '收货地址不存在' },
  CART_LINE_NOT_FOUND: { status: 404, message: '购物车中没有该商品' },
  LOGIN_CODE_INVALID: { status: 400, message: '登录凭证无效或已使用，请重新登录' },
  LOGIN_RATE_LIMITED: { status: 429, message: '登录过于频繁，请稍后再试' },
  LOGIN_BLOCKED: { status: 403, message: '账号存在安全风险，暂时无法登录' },
  LOGIN_FAILED: { status: 502, message: '微信登录暂时不可用，请稍后再试' },
  OUT_OF_STOCK: { status: 409, message: '库存不足' },
  OFF_SHELF: { status: 409, message: '商品已下架' },
  EMPTY_CHECKOUT: { status: 400, message: '请选择要结算的商品' },
  TOO_MANY_LINES: { status: 400, message: '一次最多结算 40 种商品' },
  QUANTITY_LIMIT: { status: 400, message: '购买数量超出限制' },
  CART_FULL: { status: 400, message: '购物车已满，请先清理' },
  ADDRESS_REQUIRED: { status: 400, message: '请选择收货地址' },
  ADDRESS_LIMIT: { status: 400, message: '最多保存 20 个收货地址' },
  FAVORITE_LIMIT: { status: 400, message: '收藏夹已满，请先移除一些再收藏' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: '重复提交的订单内容不一致，请刷新后重试' },
  ORDER_STATE_CONFLICT: { status: 409, message: '订单状态已变化，请刷新后重试' },
  PAYMENT_EXPIRED: { status: 409, message: '订单已超过支付时间' },
  PAYMENT_UNAVAILABLE: { status: 502, message: '支付暂时不可用，请稍后再试' },
  NOTIFY_REJECTED: { status: 401, message: '通知验签失败' },
  SANDBOX_DISABLED: { status: 404, message: '请求的内容不存在' },
  RATE_LIMITED: { status: 429, message: '操作过于频繁，请稍后再试' },
  COUPON_NOT_FOUND: { status: 404, message: '优惠券不存在' },
  COUPON_SOLD_OUT: { status: 409, message: '优惠券已领完' },
  COUPON_LIMIT_REACHED: { status: 409, message: '已达领取上限' },
  COUPON_NOT_CLAIMABLE: { status: 409, message: '该优惠券暂不可领取' },
  COUPON_NOT_USABLE: { status: 409, message: '所选优惠券不可用于本订单' },
  FLASH_SALE_SOLD_OUT: { status: 409, message: '抢购商品已售罄' },
  FLASH_SALE_LIMIT: { status: 409, message: '超出限购数量' },
  POINTS_INSUFFICIENT: { status: 409, message: '积分不足' },
  POINTS_ITEM_SOLD_OUT: { status: 409, message: '该商品已兑完' },
  POINTS_ITEM_LIMIT: { status: 409, message: '已达兑换上限' },
  REVIEW_NOT_ALLOWED: { status: 409, message: '确认收货后才能评价' },
  REVIEW_EXISTS: { status: 409, message: '该商品已评价' },
  CONTENT_NOT_ALLOWED: { status: 400, message: '内容包含不当词语，请修改后再提交' },
  AFTER_SALE_NOT_FOUND: { status: 404, message: '售后单不存在' },
  AFTER_SALE_OPEN: { status: 409, message: '该商品已有进行中的售后申请' },
  AFTER_SALE_NOT_ALLOWED: { status: 409, message: '该订单暂不能申请售后' },
  AFTER_SALE_STATE_CONFLICT: { status: 409, message: '售后单状态已变化，请刷新后重试' },
  UPLOAD_INVALID: { status: 400, message: '图片无效，请重新上传' },
  CAMPAIGN_CONFIG_INVALID: { status: 500, message: '活动配置有误，请稍后再试' },
  INTERNAL: { status: 500, message: '系统繁忙，请稍后再试' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

/**
 * The details a shopper's client may see: which SKU ran out and how many are left, which coupon or campaign refused,
 * the per-shopper limit, why a group refused a seat, which fields failed validation. Everything else a DomainError
 * carries (WeChat error codes and messages, operations, HTTP statuses, retry counts…) is for the logs only.
 */
const PUBLIC_DETAIL_KEYS = ['skuId', 'stock', 'couponId', 'campaignId', 'perUserLimit', 'groupRefusal', 'issues'] as const;
type PublicDetailKey = (typeof PUBLIC_DETAIL_KEYS)[number];
const MAX_PUBLIC_ISSUES = 10;
const MAX_PUBLIC_TEXT = 200;

function publicScalar(v: unknown): string | number | boolean | undefined {
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string' && v.length <= MAX_PUBLIC_TEXT) return v;
  return undefined;
}

/** The allow-listed part of an error's details, or undefined when nothing in them is meant for the client. */
function publicDetails(details: Record<string, unknown> | undefined): Partial<Record<PublicDetailKey, unknown>> | undefined {
  if (!details) return undefined;
  const out: Partial<Record<PublicDetailKey, unknown>> = {};
  for (const key of PUBLIC_DETAIL_KEYS) {
    if (!Object.prototype.hasOwnProperty.call(details, key)) continue;
    if (key === 'issues') {
      if (!Array.isArray(details.issues)) continue;
      out.issues = details.issues.slice(0, MAX_PUBLIC_ISSUES).flatMap((i: unknown) => {
        const { path, message } = (i ?? {}) as { path?: unknown; message?: unknown };
        const p = publicScalar(path);
        const m = publicScalar(message);
        return typeof p === 'string' && typeof m === 'string' ? [{ path: p, message: m }] : [];
      });
      continue;
    }
    const v = publicScalar(details[key]);
    if (v !== undefined) out[key] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The body of every error response. */
export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  /** Machine-readable details meant for the client (PUBLIC_DETAIL_KEYS), e.g. which SKU ran out, which field failed. */
  details?: Partial<Record<PublicDetailKey, unknown>>;
}

/** A domain error: thrown by services, turned into `{code, message}` by the API layer. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    /** Everything known about the failure, for logs and callers on the server; toBody() sends only PUBLIC_DETAIL_KEYS. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message ?? ERROR_CATALOG[code].message);
    this.status = ERROR_CATALOG[code].status;
  }
  /** What the client sees: code, message and only the allow-listed details (the rest is logged, never sent). */
  toBody(): ApiErrorBody {
    const details = publicDetails(this.details);
    return { code: this.code, message: this.message, ...(details ? { details } : {}) };
  }
}
