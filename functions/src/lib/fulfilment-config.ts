import { DEFAULT_RECEIPT_RULES, type ReceiptRules } from '@shop/shared';
import { ConfigError } from './config';

/**
 * Fulfilment settings of the stage (serverless.yml params → environment): the auto-receipt rules, the after-sales
 * window after receipt, and the subscribe-message templates of 已发货 / 已签收 ('' = not sent).
 */
export interface FulfilmentConfig extends ReceiptRules {
  /**
   * The after-sales window: days after receipt in which a return may be asked for. When it closes, the order's pending
   * points become available (nothing can take them back by a return any more); 0 = closed at receipt.
   */
  afterSaleDays: number;
  templates: { shipped: string; delivered: string };
}

function days(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > 90) throw new ConfigError(`${name} must be a number of days between 0 and 90, got ${raw}`);
  return n;
}

export function fulfilmentConfig(env: NodeJS.ProcessEnv = process.env): FulfilmentConfig {
  return {
    afterDeliveryDays: days(env, 'AUTO_RECEIPT_AFTER_DELIVERY_DAYS', DEFAULT_RECEIPT_RULES.afterDeliveryDays),
    afterShippingDays: days(env, 'AUTO_RECEIPT_AFTER_SHIPPING_DAYS', DEFAULT_RECEIPT_RULES.afterShippingDays),
    afterSaleDays: days(env, 'AFTER_SALE_DAYS', 7),
    templates: { shipped: env.WECHAT_TMPL_ORDER_SHIPPED ?? '', delivered: env.WECHAT_TMPL_ORDER_DELIVERED ?? '' },
  };
}

const DAY_MS = 24 * 3600 * 1000;

/** Until when 售后 may be asked for on a received order (null: not received, the window has not started). */
export function afterSaleUntil(order: { receivedAt?: number | null }, config: FulfilmentConfig = fulfilmentConfig()): number | null {
  return order.receivedAt ? order.receivedAt + config.afterSaleDays * DAY_MS : null;
}
