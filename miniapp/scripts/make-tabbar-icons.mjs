// Draws the tab bar icons (WeChat tabBar accepts only png/jpg) as small RGBA PNGs with no image library:
// each icon is a set of shapes, sampled 4x4 per pixel for smooth edges, written with node:zlib.
// Usage: node scripts/make-tabbar-icons.mjs  (writes src/assets/tabbar/*.png)
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SIZE = 81;
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'assets', 'tabbar');
// The same colours as the tab labels (app.config.ts), which meet 4.5:1 contrast on white.
const COLORS = { normal: [0x6e, 0x6e, 0x6e], active: [0xc8, 0x1d, 0x25] };

const crcTable = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Shapes work in a 0..1 coordinate space; each returns true when (x, y) is inside.
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx, cy, r, w) => (x, y) => {
  const d = Math.hypot(x - cx, y - cy);
  return d <= r && d >= r - w;
};
const frame = (x0, y0, x1, y1, w) => (x, y) =>
  rect(x0, y0, x1, y1)(x, y) && !rect(x0 + w, y0 + w, x1 - w, y1 - w)(x, y);
const triangle = (ax, ay, bx, by, cx, cy) => (x, y) => {
  const s = (px, py, qx, qy) => (x - qx) * (py - qy) - (px - qx) * (y - qy);
  const d1 = s(ax, ay, bx, by), d2 = s(bx, by, cx, cy), d3 = s(cx, cy, ax, ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
};
const minus = (a, b) => (x, y) => a(x, y) && !b(x, y);
const line = (x0, y0, x1, y1, w) => (x, y) => {
  const dx = x1 - x0, dy = y1 - y0;
  const t = Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (x0 + t * dx), y - (y0 + t * dy)) <= w / 2;
};

const ICONS = {
  home: [
    minus(triangle(0.5, 0.1, 0.08, 0.48, 0.92, 0.48), triangle(0.5, 0.22, 0.24, 0.44, 0.76, 0.44)),
    frame(0.2, 0.44, 0.8, 0.88, 0.07),
    rect(0.42, 0.62, 0.58, 0.88),
  ],
  category: [
    frame(0.12, 0.12, 0.44, 0.44, 0.07),
    frame(0.56, 0.12, 0.88, 0.44, 0.07),
    frame(0.12, 0.56, 0.44, 0.88, 0.07),
    ring(0.72, 0.72, 0.17, 0.07),
  ],
  cart: [
    line(0.06, 0.16, 0.2, 0.16, 0.07),
    line(0.2, 0.16, 0.3, 0.66, 0.07),
    line(0.3, 0.66, 0.82, 0.66, 0.07),
    line(0.25, 0.3, 0.9, 0.3, 0.07),
    line(0.9, 0.3, 0.82, 0.56, 0.07),
    line(0.82, 0.56, 0.28, 0.56, 0.07),
    circle(0.36, 0.8, 0.075),
    circle(0.76, 0.8, 0.075),
  ],
  mine: [
    ring(0.5, 0.32, 0.2, 0.07),
    minus(
      (x, y) => ((x - 0.5) / 0.38) ** 2 + ((y - 0.92) / 0.34) ** 2 <= 1 && y <= 0.9,
      (x, y) => ((x - 0.5) / 0.31) ** 2 + ((y - 0.92) / 0.27) ** 2 <= 1 && y <= 0.83,
    ),
  ],
};

function render(shapes, [r, g, b]) {
  const out = Buffer.alloc(SIZE * SIZE * 4);
  const N = 4;
  for (let py = 0; py < SIZE; py++) {
    for (let px = 0; px < SIZE; px++) {
      let hits = 0;
      for (let sy = 0; sy < N; sy++) {
        for (let sx = 0; sx < N; sx++) {
          const x = (px + (sx + 0.5) / N) / SIZE;
          const y = (py + (sy + 0.5) / N) / SIZE;
          if (shapes.some((s) => s(x, y))) hits++;
        }
      }
      const i = (py * SIZE + px) * 4;
      out[i] = r;
      out[i + 1] = g;
      out[i + 2] = b;
      out[i + 3] = Math.round((hits / (N * N)) * 255);
    }
  }
  return out;
}

mkdirSync(OUT, { recursive: true });
for (const [name, shapes] of Object.entries(ICONS)) {
  for (const [state, color] of Object.entries(COLORS)) {
    const file = join(OUT, `${name}${state === 'active' ? '-active' : ''}.png`);
    const bytes = png(SIZE, SIZE, render(shapes, color));
    writeFileSync(file, bytes);
    console.log(`${file} ${bytes.length} B`);
  }
}
