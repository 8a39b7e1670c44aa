/**
 * How a typed word matches a product's names — pure rules, shared by the search service and the mini-app.
 *
 * A name (keyword, title, subtitle) is kept as its normalized characters and, per character, its toneless pinyin
 * (ü written v; a character that is not Han stands for itself). The caller supplies the pinyin (the functions use
 * `pinyin-pro`), so nothing here carries a dictionary.
 *
 * A word scores against a name, best tier first:
 *   exact (the whole name) > prefix > contains (characters) > pinyin > fuzzy
 * - pinyin: Latin letters spelling a run of the name's syllables in full (luosifen), by initials (lsf) or mixed
 *   (luosf), the last one possibly half typed (luosif); or Han characters with the same pinyin (星耀 for 星曜).
 * - fuzzy: the same with the usual 模糊音 (zh/z, ch/c, sh/s, -ng/-n: 螺狮粉 for 螺蛳粉, luoshifen), or one character
 *   wrong in a word of three or more.
 * Within a tier a whole-name match ranks above one at the start of a name, above one inside it; spelled pinyin above
 * initials; a subtitle's match below a keyword's or title's. A word that matches nowhere as a whole may match in
 * pieces of two or more characters (星耀手机 → 星耀 + 手机), one step lower.
 */

const MATCH_TIER = { exact: 100, prefix: 90, contains: 70, pinyin: 50, fuzzy: 30 } as const;

export interface SearchName {
  /** Normalized text (see normalizeSearchText). */
  text: string;
  chars: string[];
  /** One per character: toneless pinyin for a Han character, else the character itself. */
  syllables: string[];
  /** A subtitle: its matches rank a little lower. */
  secondary: boolean;
}

/** The pinyin of a normalized text, one entry per character (as `pinyin(text, {type: 'array'})` answers). */
type ToSyllables = (text: string) => string[];

const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /^[a-z]+$/;
/** Words longer than this are not tried in pieces (a pasted sentence is not a shopper's word). */
const MAX_SPLIT_CHARS = 16;
const SPLIT_PENALTY = 2;
const SECONDARY_PENALTY = 5;

/** Full-width letters and digits to ASCII, lower case, one space between words. */
function normalizeSearchText(raw: string): string {
  return raw
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** The distinct words of a query. */
export function searchWords(query: string): string[] {
  return [...new Set(normalizeSearchText(query).split(' ').filter(Boolean))];
}

export function searchName(raw: string, toSyllables: ToSyllables, secondary = false): SearchName {
  const text = normalizeSearchText(raw);
  const chars = Array.from(text);
  const pinyin = chars.some((c) => HAN.test(c)) ? toSyllables(text) : [];
  // A converter that does not answer one entry per character is not trusted for alignment.
  const aligned = pinyin.length === chars.length;
  const syllables = chars.map((c, i) => (HAN.test(c) ? (aligned ? pinyin[i] : toSyllables(c)[0] ?? c) : c));
  return { text, chars, syllables, secondary };
}

/** 模糊音: zh/ch/sh as z/c/s, -ng as -n. */
function blur(s: string): string {
  return s.replace(/([zcs])h/g, '$1').replace(/ng/g, 'n');
}

interface Run {
  end: number;
  initials: boolean;
}

/**
 * Latin letters `q` against the syllables from `start`: each syllable spelled in full, by its initial (zh/ch/sh may
 * be one or two letters) or, for the last, half typed; spaces in the name are skipped, other characters must be typed
 * as they are. The best run spells in full where it can.
 */
function pinyinRun(q: string, chars: string[], syllables: string[], start: number): Run | null {
  const memo = new Map<number, Run | null>();
  const go = (k: number, j: number): Run | null => {
    if (k === q.length) return { end: j, initials: false };
    if (j >= syllables.length) return null;
    const key = k * (syllables.length + 1) + j;
    if (memo.has(key)) return memo.get(key)!;
    let best: Run | null = null;
    const take = (r: Run | null, initials: boolean) => {
      if (!r) return;
      const run = { end: r.end, initials: r.initials || initials };
      if (!best || (best.initials && !run.initials)) best = run;
    };
    const s = syllables[j];
    if (chars[j] === ' ') {
      if (j > start) take(go(k, j + 1), false);
    } else if (!HAN.test(chars[j])) {
      if (q.startsWith(s, k)) take(go(k + s.length, j + 1), false);
    } else {
      if (q.startsWith(s, k)) take(go(k + s.length, j + 1), false);
      const rest = q.slice(k);
      if (rest.length > 1 && rest.length < s.length && s.startsWith(rest)) take({ end: j + 1, initials: false }, false);
      if (q[k] === s[0]) take(go(k + 1, j + 1), true);
      if (/^[zcs]h/.test(s) && q.startsWith(s.slice(0, 2), k)) take(go(k + 2, j + 1), true);
    }
    memo.set(key, best);
    return best;
  };
  return go(0, start);
}

function placed(tier: number, start: number, end: number, length: number): number {
  return tier + (start === 0 && end === length ? 8 : start === 0 ? 4 : 0);
}

function latinPinyin(q: string, name: SearchName): number {
  let best = 0;
  const fuzzy = { q: blur(q), syllables: name.syllables.map(blur) };
  for (let start = 0; start < name.chars.length; start++) {
    if (!HAN.test(name.chars[start])) continue;
    const exact = pinyinRun(q, name.chars, name.syllables, start);
    if (exact) best = Math.max(best, placed(MATCH_TIER.pinyin, start, exact.end, name.chars.length) - (exact.initials ? 6 : 0));
    else if (best < MATCH_TIER.pinyin) {
      const near = pinyinRun(fuzzy.q, name.chars, fuzzy.syllables, start);
      if (near) best = Math.max(best, placed(MATCH_TIER.fuzzy, start, near.end, name.chars.length) - (near.initials ? 6 : 0));
    }
  }
  return best;
}

/** Han characters against a same-length window of the name: homophones, 模糊音 and one wrong character. */
function hanWindow(word: SearchName, name: SearchName): number {
  const n = word.chars.length;
  const maxWrong = n >= 3 ? 1 : 0;
  const maxNear = n >= 5 ? 2 : 1;
  let best = 0;
  for (let start = 0; start + n <= name.chars.length; start++) {
    let near = 0;
    let wrong = 0;
    for (let i = 0; i < n && wrong <= maxWrong && near <= maxNear; i++) {
      const a = word.chars[i];
      const b = name.chars[start + i];
      if (a === b) continue;
      const [sa, sb] = [word.syllables[i], name.syllables[start + i]];
      if (HAN.test(a) && HAN.test(b) && sa === sb) continue;
      if (HAN.test(a) && HAN.test(b) && blur(sa) === blur(sb)) near++;
      else {
        wrong++;
        near++;
      }
    }
    if (wrong > maxWrong || near > maxNear) continue;
    best = Math.max(best, placed(near === 0 ? MATCH_TIER.pinyin : MATCH_TIER.fuzzy, start, start + n, name.chars.length));
  }
  return best;
}

/** How well one word matches one name; 0 = not at all. */
export function matchName(word: SearchName, name: SearchName): number {
  const penalty = name.secondary ? SECONDARY_PENALTY : 0;
  let score = 0;
  if (name.text === word.text) score = MATCH_TIER.exact;
  else if (name.text.startsWith(word.text)) score = MATCH_TIER.prefix;
  else if (name.text.includes(word.text)) score = MATCH_TIER.contains;
  else if (LATIN_WORD.test(word.text) && word.text.length >= 2) score = latinPinyin(word.text, name);
  else if (word.chars.length >= 2 && word.chars.some((c) => HAN.test(c))) score = hanWindow(word, name);
  return score > 0 ? score - penalty : 0;
}

function bestOver(word: SearchName, names: SearchName[]): number {
  let best = 0;
  for (const name of names) best = Math.max(best, matchName(word, name));
  return best;
}

function slice(word: SearchName, from: number, to: number): SearchName {
  const chars = word.chars.slice(from, to);
  return { text: chars.join(''), chars, syllables: word.syllables.slice(from, to), secondary: false };
}

/** One word against a product's names: as a whole, else in pieces of two or more characters (the weakest counts). */
function matchWord(word: SearchName, names: SearchName[]): number {
  const whole = bestOver(word, names);
  const n = word.chars.length;
  if (whole > 0 || n < 4 || n > MAX_SPLIT_CHARS) return whole;
  // best[i]: the best weakest-piece score covering the first i characters.
  const best: number[] = [Infinity, ...Array<number>(n).fill(0)];
  for (let i = 2; i <= n; i++) {
    for (let j = 0; j <= i - 2; j++) {
      if (best[j] === 0) continue;
      const s = Math.min(best[j], bestOver(slice(word, j, i), names));
      if (s > best[i]) best[i] = s;
    }
  }
  return best[n] > 0 ? best[n] - SPLIT_PENALTY : 0;
}

/** A product's relevance to the words: every word must match one of its names; the weakest word counts. */
export function matchProduct(words: SearchName[], names: SearchName[]): number {
  let score = Infinity;
  for (const w of words) {
    score = Math.min(score, matchWord(w, names));
    if (score === 0) return 0;
  }
  return score === Infinity ? 0 : score;
}

/** A suggestion split where the typed words appear in it (case-insensitive), for highlighting. */
export function highlightParts(text: string, query: string): { text: string; hit: boolean }[] {
  const lower = text.toLowerCase();
  const hit = Array<boolean>(text.length).fill(false);
  for (const w of searchWords(query)) {
    for (let at = lower.indexOf(w); at >= 0; at = lower.indexOf(w, at + 1)) hit.fill(true, at, at + w.length);
  }
  const parts: { text: string; hit: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const last = parts[parts.length - 1];
    if (last && last.hit === hit[i]) last.text += text[i];
    else parts.push({ text: text[i], hit: hit[i] });
  }
  return parts;
}
