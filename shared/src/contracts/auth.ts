import { z } from 'zod';
import { Label, Ref, Url } from './common';

export const LoginRequest = z.object({
  /** The code from `Taro.login` (valid 5 minutes, usable once). */
  code: z.string().min(1, '缺少登录凭证').max(128, '登录凭证格式不正确'),
  /** A friend's 邀请码 (the login page opened with `?invite=`): recorded once, for a new account only. */
  inviteCode: z.string().max(32).optional(),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const UserView = z.object({
  id: Ref,
  nickname: Label,
  avatar: Url,
  createdAt: z.number(),
  /** 生日 as MM-DD, once set (PUT /v1/me/birthday). */
  birthday: z.string().max(5).nullable().optional(),
});
export type UserView = z.infer<typeof UserView>;

/** The shopper's birthday, month and day (生日礼券 in the birthday month). */
export const SetBirthdayRequest = z.object({
  birthday: z.string().max(5).regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '生日格式应为 月-日，如 03-18'),
});

export const LoginResponse = z.object({
  token: z.string().max(4096),
  expiresAt: z.number(),
  user: UserView,
  isNewUser: z.boolean(),
});
export type LoginResponse = z.infer<typeof LoginResponse>;

/** Local stage only: the demo shoppers whose sandbox login codes the H5 app offers (选择演示用户). */
export const DemoUser = z.object({ code: z.string().max(128), nickname: Label, avatar: Url });
export const DemoUsersResponse = z.object({ users: z.array(DemoUser) });
export type DemoUser = z.infer<typeof DemoUser>;
