import type { API, ApiName } from '@shop/shared/src/api';

/**
 * Method and path of every route, without the zod schemas (they stay out of the mini-program's main package).
 * The type ties each entry to `API` in @shop/shared: a route whose method or path changes there stops compiling
 * here, and test/routes.test.ts compares the two tables at run time too.
 */
export type RouteTable = { readonly [N in ApiName]: Pick<(typeof API)[N], 'method' | 'path' | 'auth'> };

export const ROUTES: RouteTable = {
  login: { method: 'POST', path: '/v1/auth/login', auth: false },
  demoUsers: { method: 'GET', path: '/v1/auth/demo-users', auth: false },
  me: { method: 'GET', path: '/v1/me', auth: true },
  setBirthday: { method: 'PUT', path: '/v1/me/birthday', auth: true },

  categories: { method: 'GET', path: '/v1/categories', auth: false },
  listProducts: { method: 'GET', path: '/v1/products', auth: false },
  searchProducts: { method: 'GET', path: '/v1/search', auth: false },
  suggest: { method: 'GET', path: '/v1/search/suggest', auth: false },
  getProduct: { method: 'GET', path: '/v1/products/{productId}', auth: false },

  getCart: { method: 'GET', path: '/v1/cart', auth: true },
  addCartLine: { method: 'POST', path: '/v1/cart/lines', auth: true },
  updateCartLine: { method: 'PUT', path: '/v1/cart/lines/{skuId}', auth: true },
  removeCartLine: { method: 'DELETE', path: '/v1/cart/lines/{skuId}', auth: true },
  selectCartLines: { method: 'POST', path: '/v1/cart/select', auth: true },

  listAddresses: { method: 'GET', path: '/v1/addresses', auth: true },
  createAddress: { method: 'POST', path: '/v1/addresses', auth: true },
  updateAddress: { method: 'PUT', path: '/v1/addresses/{addressId}', auth: true },
  deleteAddress: { method: 'DELETE', path: '/v1/addresses/{addressId}', auth: true },

  homeCampaigns: { method: 'GET', path: '/v1/campaigns/home', auth: false },
  couponCenter: { method: 'GET', path: '/v1/coupons/center', auth: false },
  claimCoupon: { method: 'POST', path: '/v1/coupons/claim', auth: true },
  myCoupons: { method: 'GET', path: '/v1/coupons', auth: true },

  quote: { method: 'POST', path: '/v1/checkout/quote', auth: true },
  createOrder: { method: 'POST', path: '/v1/orders', auth: true },
  listOrders: { method: 'GET', path: '/v1/orders', auth: true },
  orderCounts: { method: 'GET', path: '/v1/orders/counts', auth: true },
  getOrder: { method: 'GET', path: '/v1/orders/{orderId}', auth: true },
  cancelOrder: { method: 'POST', path: '/v1/orders/{orderId}/cancel', auth: true },
  payOrder: { method: 'POST', path: '/v1/orders/{orderId}/pay', auth: true },
  orderTracking: { method: 'GET', path: '/v1/orders/{orderId}/tracking', auth: true },
  receiveOrder: { method: 'POST', path: '/v1/orders/{orderId}/receive', auth: true },

  listFavorites: { method: 'GET', path: '/v1/favorites', auth: true },
  getFavorite: { method: 'GET', path: '/v1/favorites/{productId}', auth: true },
  addFavorite: { method: 'PUT', path: '/v1/favorites/{productId}', auth: true },
  removeFavorite: { method: 'DELETE', path: '/v1/favorites/{productId}', auth: true },
  shopInfo: { method: 'GET', path: '/v1/shop-info', auth: false },

  payNotify: { method: 'POST', path: '/v1/pay/notify', auth: false },
  refundNotify: { method: 'POST', path: '/v1/pay/refund-notify', auth: false },
  trackingPush: { method: 'POST', path: '/v1/logistics/kuaidi100/push', auth: false },
  wechatPush: { method: 'POST', path: '/v1/wechat/push', auth: false },
  sandboxPay: { method: 'POST', path: '/v1/sandbox/pay', auth: true },

  groupDeals: { method: 'GET', path: '/v1/groups/deals', auth: false },
  createGroupOrder: { method: 'POST', path: '/v1/groups/orders', auth: true },
  groupQuote: { method: 'POST', path: '/v1/groups/quote', auth: true },
  groupLanding: { method: 'GET', path: '/v1/groups/landing/{token}', auth: false },
  myGroups: { method: 'GET', path: '/v1/groups/mine', auth: true },
  groupShare: { method: 'GET', path: '/v1/groups/{groupId}/share', auth: true },

  memberMe: { method: 'GET', path: '/v1/members/me', auth: true },
  memberTiers: { method: 'GET', path: '/v1/members/tiers', auth: false },
  memberInvite: { method: 'GET', path: '/v1/members/invite', auth: true },
  pointsHistory: { method: 'GET', path: '/v1/points/history', auth: true },
  checkIn: { method: 'POST', path: '/v1/points/check-in', auth: true },
  checkInCalendar: { method: 'GET', path: '/v1/points/check-in', auth: true },
  pointsMall: { method: 'GET', path: '/v1/points/mall', auth: false },
  redeemMallItem: { method: 'POST', path: '/v1/points/mall/{itemId}/redeem', auth: true },

  getPrivacy: { method: 'GET', path: '/v1/me/privacy', auth: true },
  setPrivacy: { method: 'PUT', path: '/v1/me/privacy', auth: true },
  listFootprints: { method: 'GET', path: '/v1/footprints', auth: true },
  removeFootprint: { method: 'DELETE', path: '/v1/footprints/{productId}', auth: true },
  clearFootprints: { method: 'DELETE', path: '/v1/footprints', auth: true },
  ingestEvents: { method: 'POST', path: '/v1/events', auth: false },
  recommendations: { method: 'GET', path: '/v1/recs', auth: false },
  dislikeRec: { method: 'POST', path: '/v1/recs/dislikes', auth: true },
  createReview: { method: 'POST', path: '/v1/reviews', auth: true },
  followUpReview: { method: 'POST', path: '/v1/reviews/follow-up', auth: true },
  orderReviews: { method: 'GET', path: '/v1/orders/{orderId}/reviews', auth: true },
  productReviews: { method: 'GET', path: '/v1/products/{productId}/reviews', auth: false },
  reviewSummary: { method: 'GET', path: '/v1/products/{productId}/reviews/summary', auth: false },
  createFeedback: { method: 'POST', path: '/v1/feedback', auth: true },
  createUpload: { method: 'POST', path: '/v1/uploads', auth: true },
  createAfterSale: { method: 'POST', path: '/v1/after-sales', auth: true },
  listAfterSales: { method: 'GET', path: '/v1/after-sales', auth: true },
  getAfterSale: { method: 'GET', path: '/v1/after-sales/{afterSaleId}', auth: true },
  withdrawAfterSale: { method: 'POST', path: '/v1/after-sales/{afterSaleId}/withdraw', auth: true },
  shipAfterSaleReturn: { method: 'POST', path: '/v1/after-sales/{afterSaleId}/return', auth: true },
};
