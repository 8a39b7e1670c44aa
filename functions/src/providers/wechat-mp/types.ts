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
}
