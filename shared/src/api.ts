import { z } from 'zod';
import * as C from './contracts/index';

/**
 * Every HTTP route of the API, in one table that both sides import: the functions parse with these schemas, the
 * mini-app's client is typed by them, and a test checks that serverless.yml routes exactly these.
 * `auth: true` routes need `Authorization: Bearer <session token>`.
 */
export interface RouteDef {
  /** wx.request has no PATCH, so no route uses it. */
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  auth: boolean;
  query?: z.ZodTypeAny;
  body?: z.ZodTypeAny;
  response: z.ZodTypeAny;
  /** Only served on the local stage (sandbox helpers). */
  localOnly?: boolean;
}

const Ok = z.object({ ok: z.literal(true) });

export const API = {
  login: { method: 'POST', path: '/v1/auth/login', auth: false, body: C.LoginRequest, response: C.LoginResponse },
  demoUsers: { method: 'GET', path: '/v1/auth/demo-users', auth: false, response: C.DemoUsersResponse, localOnly: true },
  me: { method: 'GET', path: '/v1/me', auth: true, response: C.UserView },
  setBirthday: { method: 'PUT', path: '/v1/me/birthday', auth: true, body: C.SetBirthdayRequest, response: C.SetBirthdayRequest },

  categories: { method: 'GET', path: '/v1/categories', auth: false, response: C.CategoriesResponse },
  listProducts: { method: 'GET', path: '/v1/products', auth: false, query: C.ListProductsQuery, response: C.ProductPage },
  searchProducts: { method: 'GET', path: '/v1/search', auth: false, query: C.SearchQuery, response: C.SearchPage },
  suggest: { method: 'GET', path: '/v1/search/suggest', auth: false, query: C.SuggestQuery, response: C.SuggestResponse },
  getProduct: { method: 'GET', path: '/v1/products/{productId}', auth: false, response: C.ProductDetail },

  getCart: { method: 'GET', path: '/v1/cart', auth: true, response: C.CartView },
  addCartLine: { method: 'POST', path: '/v1/cart/lines', auth: true, body: C.AddCartLineRequest, response: C.CartView },
  updateCartLine: { method: 'PUT', path: '/v1/cart/lines/{skuId}', auth: true, body: C.UpdateCartLineRequest, response: C.CartView },
  removeCartLine: { method: 'DELETE', path: '/v1/cart/lines/{skuId}', auth: true, response: C.CartView },
  selectCartLines: { method: 'POST', path: '/v1/cart/select', auth: true, body: C.SelectCartLinesRequest, response: C.CartView },

  listAddresses: { method: 'GET', path: '/v1/addresses', auth: true, response: C.AddressesResponse },
  createAddress: { method: 'POST', path: '/v1/addresses', auth: true, body: C.AddressInput, response: C.Address },
  updateAddress: { method: 'PUT', path: '/v1/addresses/{addressId}', auth: true, body: C.AddressInput, response: C.Address },
  deleteAddress: { method: 'DELETE', path: '/v1/addresses/{addressId}', auth: true, response: Ok },

  homeCampaigns: { method: 'GET', path: '/v1/campaigns/home', auth: false, response: C.HomeCampaignsResponse },
  couponCenter: { method: 'GET', path: '/v1/coupons/center', auth: false, response: C.CouponCenterResponse },
  claimCoupon: { method: 'POST', path: '/v1/coupons/claim', auth: true, body: C.ClaimCouponRequest, response: C.CouponView },
  myCoupons: { method: 'GET', path: '/v1/coupons', auth: true, query: C.ListCouponsQuery, response: C.CouponsResponse },

  groupDeals: { method: 'GET', path: '/v1/groups/deals', auth: false, query: C.GroupDealsQuery, response: C.GroupDealsResponse },
  createGroupOrder: { method: 'POST', path: '/v1/groups/orders', auth: true, body: C.CreateGroupOrderRequest, response: C.OrderView },
  groupQuote: { method: 'POST', path: '/v1/groups/quote', auth: true, body: C.GroupQuoteRequest, response: C.GroupQuoteView },
  groupLanding: { method: 'GET', path: '/v1/groups/landing/{token}', auth: false, response: C.GroupLandingResponse },
  myGroups: { method: 'GET', path: '/v1/groups/mine', auth: true, query: C.MyGroupsQuery, response: C.MyGroupsResponse },
  groupShare: { method: 'GET', path: '/v1/groups/{groupId}/share', auth: true, response: C.GroupShareResponse },

  quote: { method: 'POST', path: '/v1/checkout/quote', auth: true, body: C.QuoteRequest, response: C.QuoteView },
  createOrder: { method: 'POST', path: '/v1/orders', auth: true, body: C.CreateOrderRequest, response: C.OrderView },
  listOrders: { method: 'GET', path: '/v1/orders', auth: true, query: C.ListOrdersQuery, response: C.OrderPage },
  orderCounts: { method: 'GET', path: '/v1/orders/counts', auth: true, response: C.OrderCounts },
  getOrder: { method: 'GET', path: '/v1/orders/{orderId}', auth: true, response: C.OrderView },
  cancelOrder: { method: 'POST', path: '/v1/orders/{orderId}/cancel', auth: true, response: C.OrderView },
  payOrder: { method: 'POST', path: '/v1/orders/{orderId}/pay', auth: true, response: C.PayOrderResponse },
  /** Fulfilment: the order's parcels and their timelines; 确认收货 (idempotent). */
  orderTracking: { method: 'GET', path: '/v1/orders/{orderId}/tracking', auth: true, response: C.TrackingView },
  receiveOrder: { method: 'POST', path: '/v1/orders/{orderId}/receive', auth: true, response: C.OrderView },

  listFavorites: { method: 'GET', path: '/v1/favorites', auth: true, query: C.ListFavoritesQuery, response: C.FavoritesPage },
  getFavorite: { method: 'GET', path: '/v1/favorites/{productId}', auth: true, response: C.FavoriteState },
  addFavorite: { method: 'PUT', path: '/v1/favorites/{productId}', auth: true, response: C.FavoriteState },
  removeFavorite: { method: 'DELETE', path: '/v1/favorites/{productId}', auth: true, response: C.FavoriteState },
  memberMe: { method: 'GET', path: '/v1/members/me', auth: true, response: C.MemberView },
  memberTiers: { method: 'GET', path: '/v1/members/tiers', auth: false, response: C.TiersResponse },
  memberInvite: { method: 'GET', path: '/v1/members/invite', auth: true, response: C.InviteView },
  pointsHistory: { method: 'GET', path: '/v1/points/history', auth: true, query: C.PointsHistoryQuery, response: C.PointsHistoryPage },
  checkIn: { method: 'POST', path: '/v1/points/check-in', auth: true, response: C.CheckInView },
  checkInCalendar: { method: 'GET', path: '/v1/points/check-in', auth: true, query: C.CheckInQuery, response: C.CheckInView },
  pointsMall: { method: 'GET', path: '/v1/points/mall', auth: false, response: C.MallResponse },
  redeemMallItem: { method: 'POST', path: '/v1/points/mall/{itemId}/redeem', auth: true, body: C.RedeemRequest, response: C.RedeemResponse },
  shopInfo: { method: 'GET', path: '/v1/shop-info', auth: false, response: C.ShopInfo },
  /** Behaviour events (a visitor's are answered and dropped), consent and 足迹. */
  ingestEvents: { method: 'POST', path: '/v1/events', auth: false, body: C.IngestEventsRequest, response: C.IngestEventsResponse },
  getPrivacy: { method: 'GET', path: '/v1/me/privacy', auth: true, response: C.PrivacySettings },
  setPrivacy: { method: 'PUT', path: '/v1/me/privacy', auth: true, body: C.UpdatePrivacyRequest, response: C.PrivacySettings },
  listFootprints: { method: 'GET', path: '/v1/footprints', auth: true, query: C.ListFootprintsQuery, response: C.FootprintsPage },
  removeFootprint: { method: 'DELETE', path: '/v1/footprints/{productId}', auth: true, response: C.FootprintsRemoved },
  clearFootprints: { method: 'DELETE', path: '/v1/footprints', auth: true, response: C.FootprintsRemoved },
  /** 猜你喜欢 and the other placements (a visitor gets the shop's own ranking); 不感兴趣. */
  recommendations: { method: 'GET', path: '/v1/recs', auth: false, query: C.RecsQuery, response: C.RecsPage },
  dislikeRec: { method: 'POST', path: '/v1/recs/dislikes', auth: true, body: C.DislikeRequest, response: C.DislikeResponse },

  /** 评价 and 追评 of a received order's lines, a product's reviews and summary, 意见反馈. */
  createReview: { method: 'POST', path: '/v1/reviews', auth: true, body: C.CreateReviewRequest, response: C.ReviewView },
  followUpReview: { method: 'POST', path: '/v1/reviews/follow-up', auth: true, body: C.FollowUpRequest, response: C.ReviewView },
  orderReviews: { method: 'GET', path: '/v1/orders/{orderId}/reviews', auth: true, response: C.OrderReviewsResponse },
  productReviews: { method: 'GET', path: '/v1/products/{productId}/reviews', auth: false, query: C.ListReviewsQuery, response: C.ReviewsPage },
  reviewSummary: { method: 'GET', path: '/v1/products/{productId}/reviews/summary', auth: false, response: C.ReviewSummary },
  createFeedback: { method: 'POST', path: '/v1/feedback', auth: true, body: C.CreateFeedbackRequest, response: C.FeedbackReceipt },

  /** Photos go straight to object storage: a presigned PUT for one photo; requests later name the key. */
  createUpload: { method: 'POST', path: '/v1/uploads', auth: true, body: C.CreateUploadRequest, response: C.UploadTicket },
  /** 售后: requests per order line (仅退款 / 退货退款), the shopper's own only. */
  createAfterSale: { method: 'POST', path: '/v1/after-sales', auth: true, body: C.CreateAfterSaleRequest, response: C.AfterSaleView },
  listAfterSales: { method: 'GET', path: '/v1/after-sales', auth: true, query: C.ListAfterSalesQuery, response: C.AfterSalesPage },
  getAfterSale: { method: 'GET', path: '/v1/after-sales/{afterSaleId}', auth: true, response: C.AfterSaleView },
  withdrawAfterSale: { method: 'POST', path: '/v1/after-sales/{afterSaleId}/withdraw', auth: true, response: C.AfterSaleView },
  shipAfterSaleReturn: { method: 'POST', path: '/v1/after-sales/{afterSaleId}/return', auth: true, body: C.ShipReturnRequest, response: C.AfterSaleView },

  /** WeChat Pay → us. Not JSON-parsed by zod before the signature over the raw body is verified. */
  payNotify: { method: 'POST', path: '/v1/pay/notify', auth: false, response: z.unknown() },
  /** WeChat Pay → us: refund results (REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED). */
  refundNotify: { method: 'POST', path: '/v1/pay/refund-notify', auth: false, response: z.unknown() },
  /** 快递100 → us: parcel progress (form body, signed with our salt; verified before use). */
  trackingPush: { method: 'POST', path: '/v1/logistics/kuaidi100/push', auth: false, response: C.Kuaidi100PushAnswer },
  /** WeChat → us: the mini-program's message push (trade_manage_order_settlement = the buyer confirmed receipt). */
  wechatPush: { method: 'POST', path: '/v1/wechat/push', auth: false, response: z.unknown() },
  sandboxPay: { method: 'POST', path: '/v1/sandbox/pay', auth: true, body: C.SandboxPayRequest, response: C.SandboxPayResponse, localOnly: true },
} as const satisfies Record<string, RouteDef>;

export type ApiName = keyof typeof API;
type Def<N extends ApiName> = (typeof API)[N];
export type ApiResponse<N extends ApiName> = z.infer<Def<N>['response']>;
export type ApiBody<N extends ApiName> = Def<N> extends { body: infer B extends z.ZodTypeAny } ? z.input<B> : never;
export type ApiQuery<N extends ApiName> = Def<N> extends { query: infer Q extends z.ZodTypeAny } ? z.input<Q> : never;
