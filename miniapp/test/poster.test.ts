import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { POSTER_HEIGHT, POSTER_WIDTH, drawPoster, qrModules, type PosterContext, type PosterLayout } from '../src/components/poster/draw';
import { groupPoster } from '../src/packageGroup/components/poster';
import { invitePoster } from '../src/packageMember/pages/invite/poster';

type Call =
  | { op: 'rect'; x: number; y: number; w: number; h: number; fill: unknown }
  | { op: 'text'; text: string; x: number; y: number; maxWidth?: number; font: string; fill: unknown }
  | { op: 'image'; image: unknown; x: number; y: number; w: number; h: number; clipped: boolean }
  | { op: 'arc'; x: number; y: number; r: number };

/** A 2d context that records what is drawn, in order, with the style in force at the time. */
function recorder() {
  const calls: Call[] = [];
  let clipDepth = 0;
  let saved: number[] = [];
  const ctx: PosterContext = {
    fillStyle: '',
    font: '',
    textAlign: '',
    fillRect(x, y, w, h) {
      calls.push({ op: 'rect', x, y, w, h, fill: this.fillStyle });
    },
    fillText(text, x, y, maxWidth) {
      calls.push({ op: 'text', text, x, y, maxWidth, font: this.font, fill: this.fillStyle });
    },
    drawImage(image, x, y, w, h) {
      calls.push({ op: 'image', image, x, y, w, h, clipped: clipDepth > 0 });
    },
    save: () => void (saved = [...saved, clipDepth]),
    restore: () => {
      clipDepth = saved.at(-1) ?? 0;
      saved = saved.slice(0, -1);
    },
    beginPath: () => undefined,
    arc: (x, y, r) => void calls.push({ op: 'arc', x, y, r }),
    clip: () => void (clipDepth += 1),
  };
  const texts = () => calls.flatMap((c) => (c.op === 'text' ? [c.text] : []));
  return { ctx, calls, texts };
}

/** The black squares drawn in the code's corner, painted into a white RGBA bitmap of the whole poster. */
function bitmap(calls: Call[]) {
  const data = new Uint8ClampedArray(POSTER_WIDTH * POSTER_HEIGHT * 4).fill(255);
  for (const c of calls) {
    if (c.op !== 'rect' || c.fill !== '#000000') continue;
    for (let y = Math.floor(c.y); y < Math.min(POSTER_HEIGHT, Math.ceil(c.y + c.h)); y++)
      for (let x = Math.floor(c.x); x < Math.min(POSTER_WIDTH, Math.ceil(c.x + c.w)); x++) {
        const i = (y * POSTER_WIDTH + x) * 4;
        data[i] = data[i + 1] = data[i + 2] = 0;
      }
  }
  return data;
}

const images = new Map<string, object>();
const loadImage = (src: string) => Promise.resolve(images.get(src) ?? null);

const LINK = 'http://localhost:10086/#/packageUser/pages/login/index?invite=K7M2Q9XA';

describe('the poster drawing', () => {
  it('encodes a link as a square QR matrix whose size grows with the text', () => {
    const short = qrModules('http://x/#/a');
    const long = qrModules(LINK);
    for (const m of [short, long]) {
      expect(m.every((row) => row.length === m.length)).toBe(true);
      // A QR code of version v has 4v + 17 modules a side.
      expect((m.length - 17) % 4).toBe(0);
    }
    expect(short.length).toBe(21);
    // 70 bytes at error correction M: more than version 4 holds (62), within version 5 (84).
    expect(LINK.length).toBe(70);
    expect(long.length).toBe(37);
  });

  it('draws the invite poster: nickname, code, what a friend gets, the round avatar and a QR code that scans to the link', async () => {
    const avatar = { name: 'avatar' };
    images.set('https://cdn.test/avatars/xiaoming.svg', avatar);
    const layout = invitePoster({ nickname: '小明', avatarSrc: 'https://cdn.test/avatars/xiaoming.svg', code: 'K7M2Q9XA', link: LINK });
    const { ctx, calls, texts } = recorder();
    await drawPoster(ctx, layout, loadImage);

    expect(texts()).toEqual([
      '邀你一起来逛好物商城',
      '小明 邀请你加入',
      '邀请码 K7M2Q9XA',
      '登录即成会员，签到领积分',
      '积分抵现金，兑换好礼',
      '升级会员享专属折扣',
      '长按识别，登录领会员福利',
    ]);
    const code = calls.find((c) => c.op === 'text' && c.text.startsWith('邀请码'));
    expect(code).toMatchObject({ font: 'bold 44px sans-serif', fill: '#e93b3d' });
    // The avatar is drawn once, inside a circle clip centred on the poster.
    const drawn = calls.filter((c) => c.op === 'image');
    expect(drawn).toEqual([{ op: 'image', image: avatar, x: 180, y: 180, w: 240, h: 240, clipped: true }]);
    expect(calls.filter((c) => c.op === 'arc')).toEqual([{ op: 'arc', x: 300, y: 300, r: 120 }]);

    // One black square per dark module of the link's QR code, each 200/37 px, inside the code's 200 px square.
    const modules = qrModules(LINK);
    const squares = calls.filter((c): c is Extract<Call, { op: 'rect' }> => c.op === 'rect' && c.fill === '#000000');
    expect(squares.length).toBe(modules.flat().filter(Boolean).length);
    expect(new Set(squares.map((s) => Math.round((s.x - 360) / (200 / 37))))).toEqual(new Set([...Array(37).keys()]));
    for (const s of squares) {
      expect(s.x).toBeGreaterThanOrEqual(360);
      expect(s.x + s.w).toBeLessThanOrEqual(561);
      expect(s.y).toBeGreaterThanOrEqual(660);
      expect(s.y + s.h).toBeLessThanOrEqual(861);
    }
    // And a reader finds the link in the picture.
    expect(jsQR(bitmap(calls), POSTER_WIDTH, POSTER_HEIGHT)?.data).toBe(LINK);
    // The grey lines and the hint never run under the code.
    for (const c of calls) if (c.op === 'text' && c.y > 640) expect(c.x + (c.maxWidth ?? Infinity)).toBeLessThanOrEqual(340);
  });

  it('leaves the avatar out when it cannot be loaded, and has no avatar when the shopper has none', async () => {
    const failing = recorder();
    await drawPoster(
      failing.ctx,
      invitePoster({ nickname: '小红', avatarSrc: 'https://cdn.test/missing.svg', code: 'ABCD2345', link: LINK }),
      () => Promise.reject(new Error('404')),
    );
    expect(failing.calls.some((c) => c.op === 'image' || c.op === 'arc')).toBe(false);
    expect(failing.texts()).toContain('小红 邀请你加入');

    expect(invitePoster({ nickname: '小红', avatarSrc: null, code: 'ABCD2345', link: LINK }).image).toBeNull();
  });

  it('draws the group poster as before: seats, product picture, group price, single price, countdown and the code', async () => {
    const picture = { name: 'nuts' };
    images.set('https://cdn.test/nuts.svg', picture);
    const url = 'http://localhost:10086/#/packageGroup/pages/landing/index?t=AbCdEf123456';
    const { ctx, calls, texts } = recorder();
    await drawPoster(
      ctx,
      groupPoster({
        productName: '每日坚果',
        imageSrc: 'https://cdn.test/nuts.svg',
        groupPriceFen: 3990,
        priceFen: 4990,
        seatsLeft: 1,
        remainingMs: 61_000,
        code: { kind: 'url', data: url },
      }),
      loadImage,
    );
    expect(texts()).toEqual(['还差 1 人成团', '每日坚果', '拼团价 ¥39.90', '单独购买 ¥49.90', '剩余 01:01', '长按识别，立即参团']);
    expect(calls.filter((c) => c.op === 'image')).toEqual([{ op: 'image', image: picture, x: 40, y: 100, w: 520, h: 400, clipped: false }]);
    expect(jsQR(bitmap(calls), POSTER_WIDTH, POSTER_HEIGHT)?.data).toBe(url);

    // A full group with no time left: the band says 拼团 and no countdown line is drawn.
    const done = recorder();
    await drawPoster(
      done.ctx,
      groupPoster({ productName: '每日坚果', imageSrc: null, groupPriceFen: 3990, priceFen: 4990, seatsLeft: 0, remainingMs: 0, code: { kind: 'url', data: url } }),
      loadImage,
    );
    expect(done.texts()).toEqual(['拼团', '每日坚果', '拼团价 ¥39.90', '单独购买 ¥49.90', '长按识别，立即参团']);
  });

  it('draws a mini-program code image from the server in the code square instead of a QR code', async () => {
    const wxacode = { name: 'wxacode' };
    images.set('https://cdn.test/wxacode/g1.png', wxacode);
    const layout: PosterLayout = {
      ...invitePoster({ nickname: '小明', avatarSrc: null, code: 'K7M2Q9XA', link: LINK }),
      code: { kind: 'wxacode', data: 'https://cdn.test/wxacode/g1.png' },
    };
    const { ctx, calls } = recorder();
    await drawPoster(ctx, layout, loadImage);
    expect(calls.filter((c) => c.op === 'image')).toEqual([{ op: 'image', image: wxacode, x: 360, y: 660, w: 200, h: 200, clipped: false }]);
    expect(calls.some((c) => c.op === 'rect' && c.fill === '#000000')).toBe(false);
  });
});
