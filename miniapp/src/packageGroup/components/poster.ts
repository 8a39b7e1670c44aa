import qrcode from 'qrcode-generator';
import { formatFen } from '../../utils/format';
import { formatCountdown } from '../../utils/format';

export const POSTER_WIDTH = 600;
export const POSTER_HEIGHT = 900;

/** The dark/light modules of a QR code for `text` (error correction M, size picked by the encoder). */
export function qrModules(text: string): boolean[][] {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  const rows: boolean[][] = [];
  for (let r = 0; r < n; r++) {
    const row: boolean[] = [];
    for (let c = 0; c < n; c++) row.push(qr.isDark(r, c));
    rows.push(row);
  }
  return rows;
}

export interface PosterData {
  productName: string;
  imageSrc: string | null;
  groupPriceFen: number;
  priceFen: number;
  seatsLeft: number;
  remainingMs: number;
  /** A mini-program code image (production) or the H5 link to draw as a QR code (local). */
  code: { kind: 'wxacode' | 'url'; data: string };
}

/** The part of CanvasRenderingContext2D the poster needs (H5 canvas and the weapp 2d canvas both have it). */
export interface PosterContext {
  fillStyle: unknown;
  font: string;
  textAlign: string;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number, maxWidth?: number): void;
  drawImage(image: never, x: number, y: number, w: number, h: number): void;
}

/** Draws the poster; `loadImage` resolves to a drawable image or null when it can't be loaded (then it is left out). */
export async function drawPoster(ctx: PosterContext, data: PosterData, loadImage: (src: string) => Promise<unknown>) {
  const W = POSTER_WIDTH;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, W, POSTER_HEIGHT);
  ctx.fillStyle = '#e93b3d';
  ctx.fillRect(0, 0, W, 80);
  ctx.fillStyle = '#ffffff';
  ctx.font = 'bold 32px sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText(data.seatsLeft > 0 ? `还差 ${data.seatsLeft} 人成团` : '拼团', W / 2, 52);

  if (data.imageSrc) {
    const img = await loadImage(data.imageSrc).catch(() => null);
    if (img) ctx.drawImage(img as never, 40, 100, W - 80, 400);
  }
  ctx.textAlign = 'left';
  ctx.fillStyle = '#333333';
  ctx.font = '28px sans-serif';
  ctx.fillText(data.productName, 40, 550, W - 80);
  ctx.fillStyle = '#e93b3d';
  ctx.font = 'bold 44px sans-serif';
  ctx.fillText(`拼团价 ${formatFen(data.groupPriceFen)}`, 40, 615);
  ctx.fillStyle = '#999999';
  ctx.font = '24px sans-serif';
  ctx.fillText(`单独购买 ${formatFen(data.priceFen)}`, 40, 655);
  ctx.fillText(data.remainingMs > 0 ? `剩余 ${formatCountdown(data.remainingMs)}` : '', 40, 695);
  ctx.fillText('长按识别，立即参团', 40, 820);

  const size = 200;
  const x = W - 40 - size;
  const y = 660;
  if (data.code.kind === 'url') {
    const modules = qrModules(data.code.data);
    const cell = size / modules.length;
    ctx.fillStyle = '#000000';
    modules.forEach((row, r) =>
      row.forEach((dark, c) => {
        if (dark) ctx.fillRect(x + c * cell, y + r * cell, Math.ceil(cell), Math.ceil(cell));
      }),
    );
  } else {
    const img = await loadImage(data.code.data).catch(() => null);
    if (img) ctx.drawImage(img as never, x, y, size, size);
  }
}
