import { route } from '../lib/http';
import * as coupons from '../services/coupons';
import { preloadCampaignConfig } from '../providers/campaign-config';

preloadCampaignConfig();

export const couponCenter = route('couponCenter', ({ userId, now }) => coupons.couponCenter(userId, now));
export const claimCoupon = route('claimCoupon', ({ userId, body, now }) => coupons.claimCoupon(userId, body.templateId, now), { status: 201 });
export const myCoupons = route('myCoupons', ({ userId, query, now }) => coupons.myCoupons(userId, query, now));
