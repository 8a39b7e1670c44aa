/**
 * 邀请好友 on DynamoDB Local through the HTTP handlers: a stable personal code, `invitedBy` recorded once for a new
 * account only, the friend's first paid order rewarding the inviter once however often its stream record arrives.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { campaignFolder, freshTable, TEST_WEB_BASE_URL } from '../../tests/support/table';
import { call } from '../../tests/support/http';
import { db, table } from '../src/lib/dynamo';
import { keys } from '../src/repositories/keys';
import { pointsRepo } from '../src/repositories/points-repo';
import * as auth from '../src/handlers/auth';
import * as members from '../src/handlers/members';
import { earn, expectInvariants, membersFolder, paidOrder } from './support-points';

const CONFIG = `
points:
  invite: { points: 20 }
  dailyCaps: { INVITE: null }
`;

const T0 = Date.UTC(2026, 5, 15, 4, 0, 0);
let n = 0;
const name = (what: string) => `${what}-${++n}-${Math.random().toString(36).slice(2, 8)}`;

beforeAll(async () => {
  await freshTable({ CAMPAIGNS_DIR: campaignFolder() });
  membersFolder(CONFIG);
});

async function login(code: string, inviteCode?: string) {
  const r = await call(auth.login, { body: { code: `demo-${code}`, ...(inviteCode === undefined ? {} : { inviteCode }) } });
  expect(r.status).toBe(200);
  return { token: r.body.token as string, userId: r.body.user.id as string, isNewUser: r.body.isNewUser as boolean };
}

async function invitedBy(userId: string): Promise<string | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: keys.user(userId), ConsistentRead: true }));
  return out.Item?.invitedBy;
}

async function invite(token: string) {
  const r = await call(members.memberInvite, { token });
  expect(r.status).toBe(200);
  return r.body;
}

describe('invite code', () => {
  it('is made once per shopper (also under concurrent first reads), never the user id, with the stage’s link', async () => {
    const s = await login(name('code'));
    const views = await Promise.all(Array.from({ length: 5 }, () => invite(s.token)));
    const codes = new Set(views.map((v) => v.code));
    expect(codes.size).toBe(1);
    const code = views[0].code as string;
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    expect(code).toMatch(/[2-9]/);
    expect(code).not.toContain(s.userId);
    expect((await invite(s.token)).code).toBe(code);
    expect(views[0].link).toBe(`${TEST_WEB_BASE_URL}/#/packageUser/pages/login/index?invite=${code}`);
    expect(views[0].path).toBe(`/packageUser/pages/login/index?invite=${code}`);
    expect(views[0].rules.join('')).toContain('20 积分');
    expect(views[0].friends).toEqual([]);
    expect(views[0].rewards).toEqual({ points: 0, friendsRewarded: 0 });
    const other = await login(name('code-other'));
    expect((await invite(other.token)).code).not.toBe(code);
  });

  it('needs a login', async () => {
    expect((await call(members.memberInvite)).status).toBe(401);
  });
});

describe('recording who invited a new account', () => {
  it('records the inviter once: a replayed login, a second inviter’s code, an existing account and a self-invite record nothing', async () => {
    const inviter = await login(name('inviter'));
    const rival = await login(name('rival'));
    const code = (await invite(inviter.token)).code as string;
    const rivalCode = (await invite(rival.token)).code as string;

    const friendName = name('friend');
    const friend = await login(friendName, code.toLowerCase());
    expect(friend.isNewUser).toBe(true);
    expect(await invitedBy(friend.userId)).toBe(inviter.userId);

    // The same shopper logging in again, with the same code or another inviter's: the first inviter stays.
    const again = await login(friendName, code);
    const switched = await login(friendName, rivalCode);
    expect([again.isNewUser, switched.isNewUser]).toEqual([false, false]);
    expect(await invitedBy(friend.userId)).toBe(inviter.userId);

    // An account that existed before the invite.
    const existingName = name('existing');
    const existing = await login(existingName);
    await login(existingName, code);
    expect(await invitedBy(existing.userId)).toBeUndefined();

    // The friend with their own code.
    const self = await call(auth.login, { body: { code: `demo-${friendName}`, inviteCode: (await invite(friend.token)).code } });
    expect(self.status).toBe(200);
    expect(await invitedBy(friend.userId)).toBe(inviter.userId);

    const view = await invite(inviter.token);
    expect(view.friends).toHaveLength(1);
    expect(view.friends[0]).toMatchObject({ firstOrderPaid: false });
    expect(view.friends[0].nickname).toMatch(/^微\*+$/);
    expect((await invite(rival.token)).friends).toEqual([]);
  });

  it('concurrent first logins of one new shopper, each with a code: one account, one inviter', async () => {
    const a = await login(name('a'));
    const b = await login(name('b'));
    const [codeA, codeB] = [(await invite(a.token)).code, (await invite(b.token)).code];
    const friendName = name('race');
    const logins = await Promise.all([login(friendName, codeA), login(friendName, codeB), login(friendName, codeA)]);
    expect(new Set(logins.map((l) => l.userId)).size).toBe(1);
    expect(logins.filter((l) => l.isNewUser)).toHaveLength(1);
    const by = await invitedBy(logins[0].userId);
    expect([a.userId, b.userId]).toContain(by);
    const friendsOfA = (await invite(a.token)).friends.length;
    const friendsOfB = (await invite(b.token)).friends.length;
    expect(friendsOfA + friendsOfB).toBe(1);
  });

  it('an unknown or malformed code: the login succeeds and nothing is recorded', async () => {
    const unknown = await login(name('unknown'), 'ZZZZZZZZ');
    const junk = await login(name('junk'), 'not a code!');
    expect(unknown.isNewUser && junk.isNewUser).toBe(true);
    expect(await invitedBy(unknown.userId)).toBeUndefined();
    expect(await invitedBy(junk.userId)).toBeUndefined();
  });
});

describe('生日', () => {
  it('is set, shown on the profile, and may be changed (the server keeps the latest)', async () => {
    const s = await login(name('birthday'));
    expect((await call(auth.me, { token: s.token })).body.birthday).toBeNull();
    expect((await call(auth.setBirthday, { token: s.token, body: { birthday: '02-29' } })).body).toEqual({ birthday: '02-29' });
    const second = await call(auth.setBirthday, { token: s.token, body: { birthday: '11-05' } });
    expect([second.status, second.body.birthday]).toEqual([200, '11-05']);
    expect((await call(auth.me, { token: s.token })).body.birthday).toBe('11-05');
    expect((await call(auth.setBirthday, { token: s.token, body: { birthday: '13-01' } })).status).toBe(400);
  });
});

describe('the friend’s first paid order', () => {
  it('rewards the inviter once even when its stream record is handled 5 times at once; a later order adds nothing', async () => {
    const inviter = await login(name('rewarded'));
    const code = (await invite(inviter.token)).code as string;
    const friend = await login(name('buyer'), code);
    const first = await paidOrder(friend.userId, 5000, T0);
    await Promise.all(Array.from({ length: 5 }, () => earn(first, T0)));
    const second = await paidOrder(friend.userId, 5000, T0 + 1000);
    await Promise.all([earn(second, T0 + 1000), earn(second, T0 + 1000)]);

    const { balance, entries } = await expectInvariants(inviter.userId);
    expect(balance.available).toBe(20);
    expect(entries.filter((e) => e.businessId === `INVITE#${friend.userId}`)).toHaveLength(1);
    expect((await pointsRepo.member(inviter.userId))?.invites).toBe(1);

    const view = await invite(inviter.token);
    expect(view.friends).toHaveLength(1);
    expect(view.friends[0].firstOrderPaid).toBe(true);
    expect(view.rewards).toEqual({ points: 20, friendsRewarded: 1 });
  });
});
