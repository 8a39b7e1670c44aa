import type { ShopInfo } from '@shop/shared';
import { config } from '../lib/config';

/** What the client shows about the shop itself (客服 hours and phone), from the stage's configuration. */
export async function shopInfo(): Promise<ShopInfo> {
  const { hours, phone } = config().customerService ?? { hours: '', phone: '' };
  return { serviceHours: hours, servicePhone: phone };
}
