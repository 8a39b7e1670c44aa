import { route } from '../lib/http';
import { demoUsers as listDemoUsers, login as loginUser, me as currentUser } from '../services/auth';
import { wechatLogin } from '../providers/wechat-login/index';
import { setBirthday as setUserBirthday } from '../services/drops';
import { preloadCampaignConfig } from '../providers/campaign-config';

preloadCampaignConfig();

export const login = route('login', async ({ body, now }) => loginUser(body.code, { wechatLogin: await wechatLogin(), now, inviteCode: body.inviteCode }));
export const demoUsers = route('demoUsers', () => listDemoUsers());
export const me = route('me', ({ userId }) => currentUser(userId));
export const setBirthday = route('setBirthday', ({ userId, body }) => setUserBirthday(userId, body.birthday));
