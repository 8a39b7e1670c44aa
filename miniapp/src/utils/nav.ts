import Taro from '@tarojs/taro';

export const PAGES = {
  home: '/pages/index/index',
  category: '/pages/category/index',
  cart: '/pages/cart/index',
  mine: '/pages/mine/index',
  product: '/packageProduct/pages/detail/index',
  productReviews: '/packageProduct/pages/reviews/index',
  writeReview: '/packageReview/pages/write/index',
  feedback: '/packageReview/pages/feedback/index',
  search: '/packageProduct/pages/search/index',
  checkout: '/packageOrder/pages/checkout/index',
  orders: '/packageOrder/pages/list/index',
  order: '/packageOrder/pages/detail/index',
  payResult: '/packageOrder/pages/result/index',
  login: '/packageUser/pages/login/index',
  addresses: '/packageUser/pages/addresses/index',
  addressEdit: '/packageUser/pages/address-edit/index',
  favorites: '/packageUser/pages/favorites/index',
  footprints: '/packageUser/pages/footprints/index',
  settings: '/packageUser/pages/settings/index',
  couponCenter: '/packageCoupon/pages/center/index',
  myCoupons: '/packageCoupon/pages/list/index',
  groupLanding: '/packageGroup/pages/landing/index',
  groupBuy: '/packageGroup/pages/buy/index',
  myGroups: '/packageGroup/pages/mine/index',
  memberCenter: '/packageMember/pages/center/index',
  pointsHistory: '/packageMember/pages/points/index',
  checkIn: '/packageMember/pages/check-in/index',
  pointsMall: '/packageMember/pages/mall/index',
  invite: '/packageMember/pages/invite/index',
  applyAfterSale: '/packageAfterSale/pages/apply/index',
  afterSales: '/packageAfterSale/pages/list/index',
  afterSale: '/packageAfterSale/pages/detail/index',
} as const;

const TAB_PAGES: string[] = [PAGES.home, PAGES.category, PAGES.cart, PAGES.mine];

export function isTabPage(url: string): boolean {
  return TAB_PAGES.includes(url.split('?')[0]!);
}

export function withQuery(path: string, query: Record<string, string | number | boolean | undefined>): string {
  const qs = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
  return qs ? `${path}?${qs}` : path;
}

/** URL of the page on top of the stack, with its query. */
export function currentUrl(): string {
  const pages = Taro.getCurrentPages();
  const page = pages[pages.length - 1];
  if (!page?.route) return PAGES.home;
  const route = page.route.startsWith('/') ? page.route : `/${page.route}`;
  // Mini-programs keep the query in `options`; Taro's H5 router in `$taroParams` (with Taro's own `$` keys).
  const p = page as { options?: Record<string, string>; $taroParams?: Record<string, string> };
  const opts = p.options && Object.keys(p.options).length ? p.options : (p.$taroParams ?? {});
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts)) if (!k.startsWith('$')) clean[k] = v;
  return withQuery(route.split('?')[0]!, clean);
}

let navigatingToLogin = false;

/**
 * Opens the login page; after logging in it goes to `redirect` (default: the page that is showing now).
 * `replace` swaps the current page for the login page, for pages that are useless without a session.
 */
export function goLogin(opts: { redirect?: string; replace?: boolean } = {}): void {
  const redirect = opts.redirect ?? currentUrl();
  if (redirect.startsWith(PAGES.login) || navigatingToLogin) return;
  navigatingToLogin = true;
  const url = withQuery(PAGES.login, { redirect });
  const done = () => {
    navigatingToLogin = false;
  };
  const go = opts.replace && !isTabPage(currentUrl()) ? Taro.redirectTo({ url }) : Taro.navigateTo({ url });
  void Promise.resolve(go).then(done, done);
}
