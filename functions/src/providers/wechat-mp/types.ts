/** The poster's code: a mini-program code image (data URL) or, where there is none, the H5 link to draw as a QR code. */
export interface PosterCode {
  kind: 'wxacode' | 'url';
  data: string;
}

export interface WxaCodeRequest {
  /** At most 32 visible characters (shareScene gives `t=<token>`). */
  scene: string;
  /** The page, without a leading '/' and without a query (GROUP_LANDING_CODE_PAGE). */
  page: string;
  /** What the sandbox answers instead: the H5 link of the same page. */
  h5Url: string;
}

export interface SubscribeMessage {
  /** Recipient's openid (touser). */
  openid: string;
  /** Our user id: the sandbox files the message under it; WeChat does not need it. */
  userId: string;
  templateId: string;
  /** Page opened from the message, no leading '/', query allowed. */
  page: string;
  /** Template keywords, e.g. { thing1: '商品名', amount3: '¥39.90' } → { thing1: { value } }. */
  data: Record<string, string>;
}

/** `SENT`, or `NOT_SUBSCRIBED` when the user has not (or no longer) agreed to this template (errcode 43101). */
export type SendOutcome = 'SENT' | 'NOT_SUBSCRIBED';

/** The mini-program's server APIs (服务端 API) the shop uses. Failures throw DomainError INTERNAL with the errcode. */
export interface WechatMp {
  posterCode(req: WxaCodeRequest): Promise<PosterCode>;
  sendSubscribeMessage(msg: SubscribeMessage): Promise<SendOutcome>;
  /** 小程序发货信息管理: POST /wxa/sec/order/upload_shipping_info. Failures throw DomainError INTERNAL with the errcode. */
  uploadShippingInfo(info: ShippingInfo): Promise<void>;
}

/** upload_shipping_info's body, as WeChat names it. */
export interface ShippingInfo {
  /** 2 = by WeChat Pay transaction id (1 = mchid + out_trade_no). */
  order_key: { order_number_type: 1; mchid: string; out_trade_no: string } | { order_number_type: 2; transaction_id: string };
  /** 1 express, 2 same-city, 3 virtual, 4 self pick-up. */
  logistics_type: 1 | 2 | 3 | 4;
  /** 1 one parcel, 2 split (≤ 15 parcels, with is_all_delivered). */
  delivery_mode: 1 | 2;
  is_all_delivered?: boolean;
  shipping_list: { tracking_no: string; express_company: string; item_desc: string; contact?: { consignor_contact?: string; receiver_contact?: string } }[];
  /** RFC 3339 with offset; must increase on each update of the same order. */
  upload_time: string;
  payer: { openid: string };
}
