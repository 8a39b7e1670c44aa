/**
 * Generates the demo catalog illustrations in assets/catalog-images/.
 *
 *   npx tsx scripts/seed/make-images.ts
 *
 * Every image path referenced by catalog-data.ts (product galleries, SKU
 * colour images, category icons, avatars) is written as a small SVG; any
 * other .svg left in the folder is removed. Output is deterministic.
 */
import { mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { categories, demoUsers, products, type SeedProduct, type SeedSku } from './catalog-data';

const OUT_DIR = fileURLToPath(new URL('../../assets/catalog-images/', import.meta.url));
const FONT = 'PingFang SC, Microsoft YaHei, sans-serif';
const MAX_BYTES = 3 * 1024;

// ───────────── colour helpers ─────────────

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of text) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function hsl(h: number, s: number, l: number): string {
  h = ((h % 360) + 360) % 360;
  s /= 100;
  l /= 100;
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  return '#' + [f(0), f(8), f(4)].map((x) => Math.round(x * 255).toString(16).padStart(2, '0')).join('');
}

function toHsl(hex: string): [number, number, number] {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l * 100];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  const h = max === r ? (g - b) / d + (g < b ? 6 : 0) : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return [h * 60, s * 100, l * 100];
}

interface Palette {
  main: string;
  dark: string;
  bgFrom: string;
  bgTo: string;
  ink: string;
  light: boolean;
}

function paletteFromHue(h: number): Palette {
  return {
    main: hsl(h, 62, 56),
    dark: hsl(h, 52, 36),
    bgFrom: hsl(h - 12, 75, 96),
    bgTo: hsl(h + 24, 60, 84),
    ink: hsl(h, 45, 24),
    light: false,
  };
}

function paletteFromColour(hex: string): Palette {
  const [h, s, l] = toHsl(hex);
  const bgS = Math.min(s, 55);
  return {
    main: hex,
    dark: hsl(h, Math.min(s, 60), Math.max(l - 22, 10)),
    bgFrom: hsl(h - 10, bgS, l > 82 ? 90 : 96),
    bgTo: hsl(h + 18, bgS, l > 82 ? 72 : 86),
    ink: hsl(h, Math.min(s, 40), 22),
    light: l > 82,
  };
}

/** Colour names used by SKU specs, mapped to swatches. */
const SWATCHES: Record<string, string> = {
  正红: '#d7263d',
  豆沙: '#c07d76',
  枫叶棕: '#a4502e',
  白色: '#f5f5f2',
  黑色: '#2b2b2e',
  星空黑: '#25272d',
  月光银: '#c5cad1',
  远峰蓝: '#7ea6cc',
  奶油白: '#f3ece0',
  墨绿: '#2f6b52',
  雾粉: '#e2aeb5',
  香芋紫: '#9b7fc4',
  雾霾蓝: '#7d98b5',
  曜石黑: '#2a2c33',
};

// ───────────── shapes (centred on 0,0, roughly ±210) ─────────────

type Shape = (c: string, d: string) => string;

const SHAPES: Record<string, Shape> = {
  bottle: (c, d) =>
    `<rect x="-95" y="-100" width="190" height="270" rx="44" fill="${c}"/><rect x="-38" y="-150" width="76" height="56" fill="${d}"/><rect x="-58" y="-205" width="116" height="62" rx="14" fill="${d}"/><rect x="-62" y="-20" width="124" height="100" rx="12" fill="#fff" opacity=".55"/>`,
  jar: (c, d) =>
    `<rect x="-170" y="-60" width="340" height="200" rx="50" fill="${c}"/><rect x="-180" y="-130" width="360" height="86" rx="24" fill="${d}"/><rect x="-100" y="10" width="200" height="70" rx="12" fill="#fff" opacity=".5"/>`,
  tube: (c, d) =>
    `<path d="M-90 -185H90L70 120H-70Z" fill="${c}"/><rect x="-96" y="-205" width="192" height="28" rx="6" fill="${d}"/><rect x="-60" y="115" width="120" height="75" rx="12" fill="${d}"/><rect x="-50" y="-110" width="100" height="120" rx="10" fill="#fff" opacity=".5"/>`,
  lipstick: (c, d) =>
    `<rect x="-62" y="10" width="124" height="185" rx="16" fill="${d}"/><rect x="-50" y="-60" width="100" height="76" fill="#d8b46a"/><path d="M-42 -60V-170L42 -212V-60Z" fill="${c}"/>`,
  mask: (c) =>
    `<ellipse rx="150" ry="200" fill="${c}"/><ellipse cx="-58" cy="-40" rx="36" ry="18" fill="#fff" opacity=".75"/><ellipse cx="58" cy="-40" rx="36" ry="18" fill="#fff" opacity=".75"/><rect x="-45" y="85" width="90" height="22" rx="11" fill="#fff" opacity=".75"/>`,
  shirt: (c, d) =>
    `<path d="M-70 -170L-185 -118L-140 -28L-100 -48V175H100V-48L140 -28L185 -118L70 -170Q0 -110 -70 -170Z" fill="${c}"/><path d="M-70 -170Q0 -110 70 -170" fill="none" stroke="${d}" stroke-width="14"/>`,
  pants: (c, d) =>
    `<path d="M-120 -190H120L145 195H30L0 -30L-30 195H-145Z" fill="${c}"/><rect x="-120" y="-190" width="240" height="34" fill="${d}"/>`,
  dress: (c, d) =>
    `<path d="M-55 -205H55L72 -85L195 195H-195L-72 -85Z" fill="${c}"/><rect x="-78" y="-98" width="156" height="24" rx="6" fill="${d}"/><circle cx="-60" cy="60" r="16" fill="#fff" opacity=".7"/><circle cx="50" cy="120" r="16" fill="#fff" opacity=".7"/><circle cx="20" cy="10" r="12" fill="#fff" opacity=".7"/>`,
  shoe: (c, d) =>
    `<path d="M-205 60Q-205 -20 -150 -30L-60 -40Q-20 -105 40 -112L75 -60Q145 -20 200 10Q218 55 205 85H-195Q-210 78 -205 60Z" fill="${c}"/><rect x="-210" y="78" width="420" height="34" rx="16" fill="${d}"/>`,
  socks: (c, d) =>
    `<path d="M-150 -200H-40V40Q-40 140 -130 140H-180Q-215 140 -215 100Q-215 62 -170 55L-150 45Z" fill="${c}"/><path d="M40 -180H150V60Q150 160 60 160H10Q-25 160 -25 120Q-25 82 20 75L40 65Z" fill="${d}"/>`,
  bag: (c, d) =>
    `<path d="M-70 -110V-150Q-70 -205 0 -205Q70 -205 70 -150V-110" fill="none" stroke="${d}" stroke-width="22"/><rect x="-150" y="-120" width="300" height="300" rx="44" fill="${c}"/><rect x="-95" y="10" width="190" height="95" rx="18" fill="${d}" opacity=".55"/>`,
  phone: (c, d) =>
    `<rect x="-115" y="-210" width="230" height="420" rx="38" fill="${d}"/><rect x="-100" y="-190" width="200" height="380" rx="24" fill="${c}"/><rect x="-30" y="-180" width="60" height="12" rx="6" fill="${d}"/><path d="M-100 40L100 -80V60L-100 160Z" fill="#fff" opacity=".18"/>`,
  headphones: (c, d) =>
    `<path d="M-135 40V-20A135 135 0 0 1 135 -20V40" fill="none" stroke="${d}" stroke-width="26"/><rect x="-180" y="5" width="86" height="150" rx="36" fill="${c}"/><rect x="94" y="5" width="86" height="150" rx="36" fill="${c}"/>`,
  powerbank: (c, d) =>
    `<rect x="-120" y="-200" width="240" height="400" rx="42" fill="${c}"/><rect x="-70" y="-150" width="140" height="60" rx="12" fill="#fff" opacity=".55"/><circle cx="-40" cy="130" r="14" fill="${d}"/><circle cy="130" r="14" fill="${d}"/><circle cx="40" cy="130" r="14" fill="${d}"/>`,
  watch: (c, d) =>
    `<rect x="-72" y="-215" width="144" height="430" rx="30" fill="${d}"/><rect x="-125" y="-125" width="250" height="250" rx="62" fill="${c}"/><rect x="-100" y="-100" width="200" height="200" rx="46" fill="#1d1d22"/><path d="M0 -55V0H45" stroke="#fff" stroke-width="12" fill="none" stroke-linecap="round"/>`,
  kettle: (c, d) =>
    `<path d="M-135 -115H105L135 165H-165Z" fill="${c}"/><path d="M105 -75Q205 -60 185 80L135 110" fill="none" stroke="${d}" stroke-width="26"/><rect x="-145" y="-150" width="260" height="42" rx="16" fill="${d}"/><rect x="-175" y="160" width="320" height="38" rx="12" fill="${d}"/>`,
  speaker: (c, d) =>
    `<rect x="-115" y="-200" width="230" height="400" rx="115" fill="${c}"/><circle cy="-45" r="72" fill="${d}"/><circle cy="-45" r="30" fill="${c}"/><circle cy="105" r="42" fill="${d}"/>`,
  charger: (c, d) =>
    `<rect x="-70" y="-205" width="28" height="100" rx="6" fill="${d}"/><rect x="42" y="-205" width="28" height="100" rx="6" fill="${d}"/><rect x="-125" y="-115" width="250" height="290" rx="40" fill="${c}"/><rect x="-70" y="70" width="40" height="22" rx="8" fill="${d}"/><rect x="30" y="70" width="40" height="22" rx="8" fill="${d}"/><rect x="-25" y="120" width="50" height="22" rx="4" fill="${d}"/>`,
  pouch: (c, d) =>
    `<path d="M-150 -170H150L175 195H-175Z" fill="${c}"/><rect x="-158" y="-200" width="316" height="44" rx="8" fill="${d}"/><circle cy="30" r="75" fill="#fff" opacity=".55"/>`,
  can: (c, d) =>
    `<rect x="-125" y="-130" width="250" height="320" rx="22" fill="${c}"/><ellipse cy="-130" rx="125" ry="32" fill="${d}"/><rect x="-125" y="-10" width="250" height="90" fill="#fff" opacity=".45"/>`,
  fruit: (c, d) =>
    `<circle cy="30" r="165" fill="${c}"/><path d="M0 -130Q45 -210 120 -188Q80 -122 0 -130Z" fill="#4caf50"/><path d="M0 -125V-165" stroke="${d}" stroke-width="12"/><circle cx="-60" cy="-20" r="28" fill="#fff" opacity=".35"/>`,
  steak: (c, d) =>
    `<path d="M-195 -40Q-175 -175 0 -155Q195 -145 195 20Q185 175 20 165Q-205 155 -195 -40Z" fill="${c}"/><path d="M-195 -40Q-175 -175 0 -155Q195 -145 195 20" fill="none" stroke="${d}" stroke-width="14"/><path d="M-90 -30Q0 -100 90 -10M-60 60Q20 10 100 70" stroke="#fff" stroke-width="16" fill="none" opacity=".6"/>`,
  gift: (c, d) =>
    `<rect x="-170" y="-80" width="340" height="260" rx="16" fill="${c}"/><rect x="-190" y="-145" width="380" height="80" rx="14" fill="${d}"/><rect x="-25" y="-145" width="50" height="325" fill="#fff" opacity=".6"/><path d="M0 -145Q-90 -230 -100 -160Q-90 -140 0 -145Q90 -230 100 -160Q90 -140 0 -145Z" fill="${d}"/>`,
  bowl: (c, d) =>
    `<path d="M-120 -60Q-95 -150 -70 -90M-10 -60Q15 -170 40 -90M95 -60Q115 -140 130 -90" stroke="${d}" stroke-width="14" fill="none" stroke-linecap="round" opacity=".6"/><path d="M-200 -30H200Q190 170 0 170Q-190 170 -200 -30Z" fill="${c}"/><rect x="-210" y="-40" width="420" height="28" rx="14" fill="${d}"/>`,
  cup: (c, d) =>
    `<rect x="-105" y="-150" width="210" height="340" rx="34" fill="${c}"/><rect x="-115" y="-205" width="230" height="70" rx="22" fill="${d}"/><rect x="-105" y="-20" width="210" height="40" fill="#fff" opacity=".45"/>`,
  mug: (c, d) =>
    `<path d="M80 -90Q195 -90 195 0Q195 90 80 90" fill="none" stroke="${d}" stroke-width="36"/><rect x="-170" y="-160" width="260" height="320" rx="40" fill="${c}"/><rect x="-140" y="-130" width="40" height="200" rx="20" fill="#fff" opacity=".35"/>`,
  towel: (c, d) =>
    `<rect x="-190" y="60" width="380" height="100" rx="34" fill="${d}"/><rect x="-175" y="-40" width="350" height="100" rx="34" fill="${c}"/><rect x="-160" y="-140" width="320" height="100" rx="34" fill="${d}" opacity=".75"/><path d="M-175 10H175" stroke="#fff" stroke-width="8" opacity=".5"/>`,
  bed: (c, d) =>
    `<rect x="-210" y="-170" width="46" height="340" rx="12" fill="${d}"/><rect x="-180" y="-20" width="390" height="170" rx="22" fill="${c}"/><rect x="-150" y="-85" width="130" height="70" rx="28" fill="#fff" opacity=".85"/><rect x="-190" y="140" width="400" height="34" rx="10" fill="${d}"/>`,
  pillow: (c, d) =>
    `<path d="M-195 -125Q0 -170 195 -125Q225 0 195 125Q0 170 -195 125Q-225 0 -195 -125Z" fill="${c}"/><path d="M-150 0Q0 -50 150 0" stroke="${d}" stroke-width="12" fill="none" opacity=".5"/>`,
  crate: (c, d) =>
    `<rect x="-190" y="-100" width="380" height="260" rx="22" fill="${c}" opacity=".9"/><rect x="-205" y="-155" width="410" height="62" rx="14" fill="${d}"/><rect x="-120" y="-40" width="240" height="36" rx="18" fill="#fff" opacity=".5"/><circle cx="-130" cy="180" r="22" fill="${d}"/><circle cx="130" cy="180" r="22" fill="${d}"/>`,
  jug: (c, d) =>
    `<path d="M-130 -120Q-130 -160 -90 -160H60Q130 -160 130 -90V175Q130 195 110 195H-110Q-130 195 -130 175Z" fill="${c}"/><rect x="-95" y="-212" width="76" height="58" rx="10" fill="${d}"/><path d="M35 -150Q100 -150 100 -80" stroke="${d}" fill="none" stroke-width="24"/><rect x="-90" y="0" width="180" height="110" rx="14" fill="#fff" opacity=".55"/>`,
  diaper: (c, d) =>
    `<path d="M-195 -140H195Q175 60 60 155H-60Q-175 60 -195 -140Z" fill="${c}"/><rect x="-200" y="-160" width="400" height="44" rx="14" fill="${d}"/><circle cx="-40" cy="10" r="18" fill="#fff" opacity=".7"/><circle cx="40" cy="50" r="14" fill="#fff" opacity=".7"/>`,
  blocks: (c, d) =>
    `<rect x="-190" y="20" width="180" height="150" rx="14" fill="${c}"/><rect x="10" y="20" width="180" height="150" rx="14" fill="${d}"/><rect x="-90" y="-140" width="180" height="150" rx="14" fill="${c}" opacity=".8"/><rect x="-60" y="-175" width="40" height="36" rx="6" fill="${d}"/><rect x="20" y="-175" width="40" height="36" rx="6" fill="${d}"/>`,
  babybottle: (c, d) =>
    `<path d="M-30 -150Q-30 -215 0 -215Q30 -215 30 -150Z" fill="#f3d7b6"/><rect x="-80" y="-160" width="160" height="50" rx="14" fill="${d}"/><rect x="-95" y="-115" width="190" height="310" rx="60" fill="${c}"/><path d="M60 -40H30M60 20H30M60 80H30" stroke="#fff" stroke-width="10"/>`,
  bear: (c, d) =>
    `<circle cx="-110" cy="-130" r="55" fill="${c}"/><circle cx="110" cy="-130" r="55" fill="${c}"/><circle cx="-110" cy="-130" r="26" fill="${d}"/><circle cx="110" cy="-130" r="26" fill="${d}"/><circle cy="20" r="170" fill="${c}"/><circle cx="-58" cy="-10" r="16" fill="#333"/><circle cx="58" cy="-10" r="16" fill="#333"/><ellipse cy="60" rx="60" ry="44" fill="#fff" opacity=".7"/><circle cy="45" r="14" fill="#333"/>`,
  stroller: (c, d) =>
    `<path d="M-170 -20A170 170 0 0 1 0 -190V-20Z" fill="${d}"/><path d="M-180 -20H150Q150 110 -20 110Q-180 110 -180 -20Z" fill="${c}"/><path d="M150 -20L210 -150" stroke="${d}" stroke-width="18" stroke-linecap="round"/><circle cx="-120" cy="170" r="38" fill="#444"/><circle cx="90" cy="170" r="38" fill="#444"/>`,
  mat: (c, d) =>
    `<rect x="-210" y="40" width="320" height="130" rx="14" fill="${c}"/><circle cx="110" cy="20" r="150" fill="${d}"/><circle cx="110" cy="20" r="100" fill="${c}"/><circle cx="110" cy="20" r="48" fill="${d}"/>`,
  dumbbell: (c, d) =>
    `<rect x="-160" y="-22" width="320" height="44" rx="14" fill="${d}"/><rect x="-210" y="-110" width="64" height="220" rx="18" fill="${c}"/><rect x="-140" y="-80" width="44" height="160" rx="14" fill="${c}"/><rect x="146" y="-110" width="64" height="220" rx="18" fill="${c}"/><rect x="96" y="-80" width="44" height="160" rx="14" fill="${c}"/>`,
  tent: (c, d) =>
    `<path d="M0 -205L215 175H-215Z" fill="${c}"/><path d="M0 -60L75 175H-75Z" fill="${d}"/><path d="M0 -205V-235" stroke="${d}" stroke-width="10"/>`,
  rope: (c, d) =>
    `<path d="M-140 -80Q-140 230 0 200Q140 230 140 -80" fill="none" stroke="${d}" stroke-width="12"/><rect x="-170" y="-210" width="60" height="150" rx="30" fill="${c}"/><rect x="110" y="-210" width="60" height="150" rx="30" fill="${c}"/>`,
  wipes: (c, d) =>
    `<rect x="-205" y="-120" width="410" height="260" rx="56" fill="${c}"/><ellipse cy="-30" rx="115" ry="52" fill="${d}"/><path d="M-50 -40Q0 -90 50 -40" stroke="#fff" stroke-width="14" fill="none"/>`,
};

const CATEGORY_SHAPE: Record<string, string> = {
  beauty: 'bottle',
  fashion: 'shirt',
  digital: 'phone',
  food: 'fruit',
  home: 'mug',
  baby: 'bear',
  sports: 'dumbbell',
};

const CATEGORY_HUE: Record<string, number> = {
  beauty: 340,
  fashion: 265,
  digital: 210,
  food: 28,
  home: 160,
  baby: 48,
  sports: 120,
};

const PRODUCT_SHAPE: Record<string, string> = {
  'p-lipstick-01': 'lipstick',
  'p-essence-01': 'bottle',
  'p-cream-01': 'jar',
  'p-sunscreen-01': 'tube',
  'p-mask-01': 'mask',
  'p-cleanser-01': 'tube',
  'p-tshirt-01': 'shirt',
  'p-jeans-01': 'pants',
  'p-sneaker-01': 'shoe',
  'p-hoodie-01': 'shirt',
  'p-backpack-01': 'bag',
  'p-dress-01': 'dress',
  'p-socks-01': 'socks',
  'p-earbuds-01': 'headphones',
  'p-phone-01': 'phone',
  'p-powerbank-01': 'powerbank',
  'p-watch-01': 'watch',
  'p-kettle-01': 'kettle',
  'p-speaker-01': 'speaker',
  'p-charger-01': 'charger',
  'p-nuts-01': 'pouch',
  'p-tea-01': 'can',
  'p-coffee-01': 'pouch',
  'p-orange-01': 'fruit',
  'p-beef-01': 'steak',
  'p-mooncake-01': 'gift',
  'p-noodles-01': 'bowl',
  'p-test-flash-01': 'cup',
  'p-towel-01': 'towel',
  'p-bedding-01': 'bed',
  'p-pillow-01': 'pillow',
  'p-storage-01': 'crate',
  'p-detergent-01': 'jug',
  'p-mug-01': 'mug',
  'p-diapers-01': 'diaper',
  'p-blocks-01': 'blocks',
  'p-babybottle-01': 'babybottle',
  'p-plush-01': 'bear',
  'p-wipes-01': 'wipes',
  'p-stroller-01': 'stroller',
  'p-yogamat-01': 'mat',
  'p-runshoe-01': 'shoe',
  'p-dumbbell-01': 'dumbbell',
  'p-tent-01': 'tent',
  'p-jumprope-01': 'rope',
  'p-sportbottle-01': 'cup',
};

/** Some products read better with a fixed hue than a hashed one. */
const PRODUCT_HUE: Record<string, number> = {
  'p-lipstick-01': 350,
  'p-orange-01': 30,
  'p-beef-01': 355,
  'p-tea-01': 110,
  'p-jeans-01': 215,
  'p-mooncake-01': 10,
  'p-coffee-01': 25,
};

function shapeFor(product: SeedProduct): Shape {
  return SHAPES[PRODUCT_SHAPE[product.id] ?? CATEGORY_SHAPE[product.categoryId] ?? 'gift']!;
}

// ───────────── SVG templates ─────────────

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function svg(size: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">${body}</svg>\n`;
}

function gradient(p: Palette, id = 'g'): string {
  return `<defs><linearGradient id="${id}" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${p.bgFrom}"/><stop offset="1" stop-color="${p.bgTo}"/></linearGradient></defs>`;
}

function place(shape: Shape, p: Palette, transform: string): string {
  const outline = p.light ? ` stroke="${p.dark}" stroke-opacity=".5" stroke-width="5"` : '';
  return `<g transform="${transform}"${outline}>${shape(p.main, p.dark)}</g>`;
}

function label(p: Palette, title: string, caption: string): string {
  let out = `<text x="375" y="${caption ? 628 : 650}" font-family="${FONT}" font-size="60" font-weight="600" text-anchor="middle" fill="${p.ink}">${esc(title)}</text>`;
  if (caption) {
    out += `<text x="375" y="690" font-family="${FONT}" font-size="32" text-anchor="middle" fill="${p.ink}" opacity=".7">${esc(caption)}</text>`;
  }
  return out;
}

function productImage(product: SeedProduct, index: number): string {
  const baseHue = PRODUCT_HUE[product.id] ?? hash(product.id) % 360;
  const p = paletteFromHue(baseHue + (index - 1) * 18);
  const shape = shapeFor(product);
  const name = product.keywords[0] ?? product.title.slice(0, 6);
  const shadow = `<ellipse cx="375" cy="540" rx="190" ry="22" fill="${p.ink}" opacity=".12"/>`;
  let art: string;
  let caption = '';
  if (index === 1) {
    art = `<circle cx="640" cy="110" r="170" fill="#fff" opacity=".28"/>${shadow}${place(shape, p, 'translate(375 320)')}`;
  } else if (index === 2) {
    caption = '品质细节';
    art = `<circle cx="120" cy="640" r="200" fill="#fff" opacity=".25"/><circle cx="600" cy="170" r="90" fill="#fff" opacity=".3"/>${shadow}${place(shape, p, 'translate(385 310) rotate(-10) scale(.9)')}`;
  } else {
    caption = product.specDimensions.length > 0 && product.skus.length > 1 ? '多款可选' : '实拍展示';
    const q = paletteFromHue(baseHue + 150);
    art = `<rect x="60" y="60" width="630" height="480" rx="40" fill="#fff" opacity=".3"/>${place(shape, p, 'translate(245 320) scale(.62)')}${place(shape, q, 'translate(505 320) scale(.62)')}`;
  }
  return svg(750, `${gradient(p)}<rect width="750" height="750" fill="url(#g)"/>${art}${label(p, name, caption)}`);
}

function skuImage(product: SeedProduct, sku: SeedSku): string {
  const colourName = Object.values(sku.specs).find((v) => SWATCHES[v]);
  const p = colourName ? paletteFromColour(SWATCHES[colourName]!) : paletteFromHue(hash(sku.id) % 360);
  const caption = colourName ?? Object.values(sku.specs).join(' / ');
  const name = product.keywords[0] ?? product.title.slice(0, 6);
  return svg(
    750,
    `${gradient(p)}<rect width="750" height="750" fill="url(#g)"/><circle cx="640" cy="110" r="170" fill="#fff" opacity=".28"/><ellipse cx="375" cy="540" rx="190" ry="22" fill="${p.ink}" opacity=".12"/>${place(shapeFor(product), p, 'translate(375 320)')}${label(p, name, caption)}`,
  );
}

/** 商品详情 pictures (750×560): 1 = a close-up of the design, 2 = the specs on offer. */
function detailImage(product: SeedProduct, index: number): string {
  const baseHue = PRODUCT_HUE[product.id] ?? hash(product.id) % 360;
  const p = paletteFromHue(baseHue + 40 * index);
  const shape = shapeFor(product);
  const name = product.keywords[0] ?? product.title.slice(0, 6);
  const text = (x: number, y: number, size: number, body: string, extra = '') =>
    `<text x="${x}" y="${y}" font-family="${FONT}" font-size="${size}" fill="${p.ink}"${extra}>${esc(body)}</text>`;
  let art: string;
  if (index === 1) {
    art =
      `<circle cx="220" cy="280" r="190" fill="#fff" opacity=".45"/>${place(shape, p, 'translate(220 285) scale(.78)')}` +
      `<circle cx="330" cy="170" r="70" fill="none" stroke="${p.dark}" stroke-width="10"/><path d="M380 220L430 270" stroke="${p.dark}" stroke-width="16" stroke-linecap="round"/>` +
      text(440, 230, 52, name, ' font-weight="600"') +
      text(440, 300, 30, '匠心细节 · 品质之选', ' opacity=".75"') +
      text(440, 350, 30, '用料考究 做工精细', ' opacity=".75"');
  } else {
    const rows = product.specDimensions.slice(0, 3).map((d, i) => {
      const values = d.values.join(' / ');
      return text(70, 240 + i * 80, 32, `${d.name}：${values.length > 22 ? `${values.slice(0, 21)}…` : values}`);
    });
    const bottom = 190 + rows.length * 80;
    art =
      `<rect x="30" y="160" width="690" height="${bottom - 160}" rx="28" fill="#fff" opacity=".55"/>` +
      `${place(shape, p, 'translate(640 90) scale(.28)')}` +
      text(60, 110, 48, `${name} · 规格一览`, ' font-weight="600"') +
      rows.join('') +
      text(60, bottom + 56, 26, '多种规格可选，下单时在「规格」中选择', ' opacity=".7"');
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="750" height="560" viewBox="0 0 750 560">${gradient(p)}<rect width="750" height="560" fill="url(#g)"/>${art}</svg>\n`;
}

function categoryIcon(categoryId: string): string {
  const h = CATEGORY_HUE[categoryId] ?? hash(categoryId) % 360;
  const shape = SHAPES[CATEGORY_SHAPE[categoryId] ?? 'gift']!;
  const bg = `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${hsl(h - 10, 80, 68)}"/><stop offset="1" stop-color="${hsl(h + 20, 70, 50)}"/></linearGradient></defs>`;
  return svg(96, `${bg}<rect width="96" height="96" rx="26" fill="url(#g)"/><g transform="translate(48 50) scale(.15)">${shape('#fff', '#ffffffb3')}</g>`);
}

function avatar(nickname: string, seed: string): string {
  const h = hash(seed) % 360;
  const chars = [...nickname];
  const glyph = chars.length <= 2 ? chars[chars.length - 1]! : chars[0]!;
  const bg = `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${hsl(h, 75, 72)}"/><stop offset="1" stop-color="${hsl(h + 35, 65, 52)}"/></linearGradient></defs>`;
  return svg(
    128,
    `${bg}<circle cx="64" cy="64" r="64" fill="url(#g)"/><text x="64" y="82" font-family="${FONT}" font-size="52" font-weight="600" text-anchor="middle" fill="#fff">${esc(glyph)}</text>`,
  );
}

// ───────────── main ─────────────

function fileName(publicPath: string): string {
  return basename(publicPath);
}

function main(): void {
  mkdirSync(OUT_DIR, { recursive: true });
  const files = new Map<string, string>();
  const put = (publicPath: string, content: string) => {
    const name = fileName(publicPath);
    if (!files.has(name)) files.set(name, content);
  };

  for (const category of categories) put(category.icon, categoryIcon(category.id));
  for (const product of products) {
    product.images.forEach((img, i) => put(img, productImage(product, i + 1)));
    for (const sku of product.skus) if (sku.image) put(sku.image, skuImage(product, sku));
    (product.detailImages ?? []).forEach((img, i) => put(img, detailImage(product, i + 1)));
  }
  demoUsers.forEach((user) => put(user.avatar, avatar(user.nickname, user.code)));

  for (const existing of readdirSync(OUT_DIR)) {
    if (existing.endsWith('.svg') && !files.has(existing)) unlinkSync(join(OUT_DIR, existing));
  }

  let total = 0;
  const oversized: string[] = [];
  for (const [name, content] of files) {
    const bytes = Buffer.byteLength(content);
    total += bytes;
    if (bytes > MAX_BYTES) oversized.push(`${name} (${bytes} B)`);
    writeFileSync(join(OUT_DIR, name), content);
  }
  console.log(`wrote ${files.size} images, ${(total / 1024).toFixed(1)} KB total → ${OUT_DIR}`);
  if (oversized.length > 0) {
    console.error(`images over ${MAX_BYTES} B:\n  ${oversized.join('\n  ')}`);
    process.exitCode = 1;
  }
}

main();
