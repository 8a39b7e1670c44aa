import type { ApiName } from '@shop/shared/src/api';
import type {
  Address,
  CartLineView,
  CartView,
  OrderView,
  PayOrderResponse,
  ProductSummary,
  QuoteView,
} from '@shop/shared';
import { createApiClient, type TransportRequest, type TransportResponse } from '../../src/api/client';
import { ROUTES } from '../../src/api/routes';
import { createShopStore } from '../../src/store/create';
import type { StoreDeps } from '../../src/store/types';

export type Handler = (req: TransportRequest & { name: ApiName; body: unknown }) => TransportResponse | Promise<TransportResponse>;

/** Finds which route a request is for, by method and path pattern. */
function routeOf(req: TransportRequest): ApiName {
  const path = new URL(req.url).pathname;
  for (const [name, r] of Object.entries(ROUTES) as [ApiName, (typeof ROUTES)[ApiName]][]) {
    const re = new RegExp(`^${r.path.replace(/\{\w+\}/g, '[^/]+')}$`);
    if (r.method === req.method && re.test(path)) return name;
  }
  throw new Error(`no route for ${req.method} ${path}`);
}

export const ok = (data: unknown, statusCode = 200): TransportResponse => ({ statusCode, data });
export const fail = (statusCode: number, code: string, message: string): TransportResponse => ({
  statusCode,
  data: { code, message },
});

/** A store wired to a scripted server; every request is recorded. */
export function makeStore(handlers: Partial<Record<ApiName, Handler>>, over: Partial<StoreDeps> = {}) {
  const requests: (TransportRequest & { name: ApiName; body: unknown })[] = [];
  const toasts: string[] = [];
  const storage = new Map<string, string>();
  let keyN = 0;
  let unauthorized = 0;
  const store: { current?: ReturnType<typeof createShopStore> } = {};
  const api = createApiClient({
    baseUrl: 'https://api.test',
    transport: async (req) => {
      const name = routeOf(req);
      const r = { ...req, name, body: req.data };
      requests.push(r);
      const h = handlers[name];
      if (!h) throw new Error(`unexpected call ${name}`);
      return h(r);
    },
    getToken: () => store.current?.getState().token,
    onUnauthorized: () => {
      unauthorized++;
      store.current?.getState().clearSession();
    },
    toast: (m) => toasts.push(m),
  });
  const deps: StoreDeps = {
    api,
    storage: {
      get: (k) => storage.get(k) ?? null,
      set: (k, v) => void storage.set(k, v),
      remove: (k) => void storage.delete(k),
    },
    toast: (m) => toasts.push(m),
    wxLogin: async () => 'wx-code',
    requestPayment: async () => undefined,
    sleep: async () => undefined,
    newKey: () => `key${String(++keyN).padStart(29, '0')}`,
    now: () => 1_700_000_000_000,
    ...over,
  };
  store.current = createShopStore(deps);
  return {
    store: store.current,
    requests,
    toasts,
    storage,
    get unauthorized() {
      return unauthorized;
    },
  };
}

export const ORDER_ID = '01HZZZZZZZZZZZZZZZZZZZZZZZ';
export const ADDRESS_ID = '01HAAAAAAAAAAAAAAAAAAAAAAA';

export function product(id: string, over: Partial<ProductSummary> = {}): ProductSummary {
  return {
    id,
    categoryId: 'c-food',
    title: `商品 ${id}`,
    subtitle: '',
    image: `/catalog-images/${id}.svg`,
    priceFromFen: 1000,
    originalPriceFen: null,
    sales: 5,
    stock: 10,
    createdAt: 1,
    tags: [],
    ...over,
  };
}

export function cartLine(skuId: string, over: Partial<CartLineView> = {}): CartLineView {
  return {
    productId: 'p-1',
    skuId,
    title: '商品',
    specText: '红色',
    image: '/catalog-images/p-1.svg',
    quantity: 1,
    selected: false,
    unitPriceFen: 1000,
    priceLabel: null,
    crossedOutFen: null,
    priceNote: null,
    flashEndsAt: null,
    addedPriceFen: 1000,
    stock: 10,
    state: 'OK',
    purchasable: true,
    ...over,
  };
}

export function cart(lines: CartLineView[]): CartView {
  const sel = lines.filter((l) => l.selected && l.purchasable);
  return {
    lines,
    selectedCount: sel.length,
    selectedTotalFen: sel.reduce((n, l) => n + l.unitPriceFen * l.quantity, 0),
    subtotalFen: sel.reduce((n, l) => n + l.unitPriceFen * l.quantity, 0),
    shippingFen: 0,
    savedFen: 0,
    savings: [],
    progress: [],
    shipping: { feeFen: 1000, freeFromFen: 9900, text: '运费 ¥10，满 ¥99 包邮', estimate: '付款后 48 小时内发货' },
  };
}

export const QUOTE: QuoteView = {
  lines: [],
  itemCount: 1,
  subtotalFen: 1000,
  shippingFen: 1000,
  discountFen: 0,
  discounts: [],
  payableFen: 2000,
  couponIds: [],
  coupons: [],
  gifts: [],
  hints: [],
};

export function order(over: Partial<OrderView> = {}): OrderView {
  return {
    id: ORDER_ID,
    status: 'PENDING_PAYMENT',
    statusLabel: '待付款',
    lines: [],
    itemCount: 1,
    subtotalFen: 1000,
    shippingFen: 1000,
    discountFen: 0,
    discounts: [],
    payableFen: 2000,
    address: { name: '张三', phone: '13800000000', province: '广东省', city: '深圳市', district: '南山区', detail: '科技园 1 号' },
    remark: '',
    createdAt: 1,
    deadlineAt: 2,
    paidAt: null,
    afterSaleUntil: null,
    cancelledAt: null,
    cancelReason: null,
    transactionId: null,
    paidFen: null,
    refundedFen: 0,
    refunds: [],
    couponIds: [],
    timeline: [],
    group: null,
    ...over,
  };
}

export function payResponse(mode: 'wechat' | 'sandbox'): PayOrderResponse {
  return {
    orderId: ORDER_ID,
    prepayId: 'wx-prepay-1',
    mode,
    params: { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=wx-prepay-1', signType: 'RSA', paySign: 's' },
    payableFen: 2000,
    deadlineAt: 2,
  };
}

export function address(id: string, over: Partial<Address> = {}): Address {
  return {
    id,
    name: '张三',
    phone: '13800000000',
    province: '广东省',
    city: '深圳市',
    district: '南山区',
    detail: '科技园 1 号',
    isDefault: false,
    createdAt: 1,
    ...over,
  };
}

export const LOGIN = {
  token: 'tok-1',
  expiresAt: 1_800_000_000_000,
  user: { id: 'u1', nickname: '小明', avatar: '', createdAt: 1 },
  isNewUser: false,
};
