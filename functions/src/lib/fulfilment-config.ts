import { DEFAULT_RECEIPT_RULES, type ReceiptRules } from '@shop/shared';
import { ConfigError } from './config';

/**
 * Fulfilment settings of the stage (serverless.yml params → environment): the auto-receipt rules, how long order
 * points stay pending after receipt, and the subscribe-message templates of 已发货 / 已签收 ('' = not sent).
 */
export interface FulfilmentConfig extends ReceiptRules {
  /** Days after receipt before the order's pending points become available (the after-sales window); 0 = at once. */
  pointsAfterReceiptDays: number;
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
    pointsAfterReceiptDays: days(env, 'POINTS_AFTER_RECEIPT_DAYS', 7),
    templates: { shipped: env.WECHAT_TMPL_ORDER_SHIPPED ?? '', delivered: env.WECHAT_TMPL_ORDER_DELIVERED ?? '' },
  };
}
