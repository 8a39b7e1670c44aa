import qrcode from 'qrcode-generator';

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

/** A mini-program code image from the server (production) or a link to draw as a QR code (H5, local). */
export interface PosterCode {
  kind: 'wxacode' | 'url';
  data: string;
}

/**
 * What a poster says, top to bottom. Every text is final (prices already formatted from the server's figures): the
 * drawing only places it.
 */
export interface PosterLayout {
  /** The line in the red band at the top. */
  header: string;
  /** A product picture (wide, under the band) or a shopper's avatar (round, centred); left out when it can't load. */
  image: { src: string; shape: 'wide' | 'round' } | null;
  title: string;
  /** The big red line: a price, a code. */
  highlight: string;
  /** Grey lines beside the code (at most 3 are drawn). */
  lines: string[];
  /** The hint under the lines: what scanning the code does. */
  footer: string;
  code: PosterCode;
}

/** The part of CanvasRenderingContext2D the poster needs (H5 canvas and the weapp 2d canvas both have it). */
export interface PosterContext {
  fillStyle: unknown;
  font: string;
  textAlign: string;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number, maxWidth?: number): void;
  drawImage(image: never, x: number, y: number, w: number, h: number): void;
  save(): void;
  restore(): void;
  beginPath(): void;
  arc(x: number, y: number, r: number, start: number, end: number): void;
  clip(): void;
}

const MARGIN = 40;
const CODE_SIZE = 200;
const CODE_TOP = 660;
const AVATAR_RADIUS = 120;

/** Draws the poster; `loadImage` resolves to a drawable image or null when it can't be loaded (then it is left out). */
export async function drawPoster(ctx: PosterContext, layout: PosterLayout, loadImage: (src: string) => Promise<unknown>) {
  const W = POSTER_WIDTH;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, W, POSTER_HEIGHT);
  ctx.fillStyle = '#e93b3d';
  ctx.fillRect(0, 0, W, 80);
  ctx.fillStyle = '#ffffff';
  ctx.font = 'bold 32px sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText(layout.header, W / 2, 52, W - 2 * MARGIN);

  if (layout.image) {
    const img = await loadImage(layout.image.src).catch(() => null);
    if (img && layout.image.shape === 'wide') ctx.drawImage(img as never, MARGIN, 100, W - 2 * MARGIN, 400);
    else if (img) {
      const cy = 100 + 200;
      ctx.save();
      ctx.beginPath();
      ctx.arc(W / 2, cy, AVATAR_RADIUS, 0, Math.PI * 2);
      ctx.clip();
      ctx.drawImage(img as never, W / 2 - AVATAR_RADIUS, cy - AVATAR_RADIUS, 2 * AVATAR_RADIUS, 2 * AVATAR_RADIUS);
      ctx.restore();
    }
  }
  ctx.textAlign = 'left';
  ctx.fillStyle = '#333333';
  ctx.font = '28px sans-serif';
  ctx.fillText(layout.title, MARGIN, 550, W - 2 * MARGIN);
  ctx.fillStyle = '#e93b3d';
  ctx.font = 'bold 44px sans-serif';
  ctx.fillText(layout.highlight, MARGIN, 615, W - 2 * MARGIN);

  // The grey lines share the lower half with the code on the right.
  const x = W - MARGIN - CODE_SIZE;
  const textWidth = x - 20 - MARGIN;
  ctx.fillStyle = '#999999';
  ctx.font = '24px sans-serif';
  layout.lines.slice(0, 3).forEach((line, i) => ctx.fillText(line, MARGIN, 655 + i * 40, textWidth));
  ctx.fillText(layout.footer, MARGIN, 820, textWidth);

  if (layout.code.kind === 'url') {
    const modules = qrModules(layout.code.data);
    const cell = CODE_SIZE / modules.length;
    ctx.fillStyle = '#000000';
    modules.forEach((row, r) =>
      row.forEach((dark, c) => {
        if (dark) ctx.fillRect(x + c * cell, CODE_TOP + r * cell, Math.ceil(cell), Math.ceil(cell));
      }),
    );
  } else {
    const img = await loadImage(layout.code.data).catch(() => null);
    if (img) ctx.drawImage(img as never, x, CODE_TOP, CODE_SIZE, CODE_SIZE);
  }
}
