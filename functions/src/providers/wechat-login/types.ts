export interface WechatSession {
  openid: string;
  unionid?: string;
  /** Never leaves the server. */
  sessionKey: string;
}

export interface WechatLogin {
  /** Exchanges a `wx.login` code (single use, valid 5 minutes) for the user's identity. Throws DomainError LOGIN_*. */
  code2session(code: string): Promise<WechatSession>;
}
