/**
 * 粘贴识别: one pasted line such as "张三 13800138000 广东省深圳市南山区科技园路1号" split into name, phone, 省/市/区
 * and the street address. Pure: the region names come from the dataset passed in (@vant/area-data's areaList shape:
 * codes PP0000 for provinces, PPCC00 for cities, PPCCDD for districts).
 */
interface AreaList {
  province_list: Record<string, string>;
  city_list: Record<string, string>;
  county_list: Record<string, string>;
}

interface ParsedAddress {
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
}

/** Field names people paste along with an address, with their colon ("收货人：张三，手机号码：…"). */
const FIELD_WORDS = /(收货人|收件人|联系人|姓名|手机号码|手机号|手机|联系电话|电话|所在地区|所在地|地区|详细地址|收货地址|地址)\s*[:：]/g;
const SEPARATORS = /[\s,，;；、|]+/;
const PHONE = /(?:\+?86[-\s]?)?(1\d{2})[-\s]?(\d{4})[-\s]?(\d{4})(?!\d)/;

/** The name without its administrative suffix, when what is left is still a name (两个字以上). */
function shortName(name: string, suffixes: RegExp): string | null {
  const short = name.replace(suffixes, '');
  return short !== name && short.length >= 2 ? short : null;
}
const PROVINCE_SUFFIX = /(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/;
const CITY_SUFFIX = /(市|地区|盟|自治州)$/;
const DISTRICT_SUFFIX = /(区|县|市|旗)$/;

interface Hit {
  code: string;
  name: string;
  start: number;
  end: number;
}

/** The earliest (then longest) mention at or after `from` of any entry whose code passes `within`. */
function findIn(text: string, from: number, list: Record<string, string>, within: (code: string) => boolean, suffix: RegExp): Hit | null {
  let best: Hit | null = null;
  for (const [code, name] of Object.entries(list)) {
    if (!within(code)) continue;
    for (const word of [name, shortName(name, suffix)]) {
      if (!word) continue;
      const at = text.indexOf(word, from);
      if (at < 0) continue;
      if (!best || at < best.start || (at === best.start && word.length > best.end - best.start)) {
        best = { code, name, start: at, end: at + word.length };
      }
    }
  }
  return best;
}

/** Finds 省, 市 and 区 in order; a line that starts at the city ("深圳市南山区…") still finds its province. */
function findRegion(text: string, area: AreaList): { province: string; city: string; district: string; start: number; end: number } | null {
  let province = findIn(text, 0, area.province_list, () => true, PROVINCE_SUFFIX);
  let city = findIn(text, province ? province.end : 0, area.city_list, (c) => !province || c.slice(0, 2) === province.code.slice(0, 2), CITY_SUFFIX);
  // 直辖市: the city bears the province's name and is usually written once.
  if (province && !city) {
    const only = Object.entries(area.city_list).filter(([c]) => c.slice(0, 2) === province!.code.slice(0, 2));
    if (only.length === 1) city = { code: only[0]![0], name: only[0]![1], start: province.end, end: province.end };
  }
  if (!city) return null;
  if (!province) {
    const code = `${city.code.slice(0, 2)}0000`;
    const name = area.province_list[code];
    if (!name) return null;
    province = { code, name, start: city.start, end: city.start };
  }
  const district = findIn(text, city.end, area.county_list, (c) => c.slice(0, 4) === city!.code.slice(0, 4), DISTRICT_SUFFIX);
  return {
    province: province.name,
    city: city.name,
    district: district?.name ?? '',
    start: Math.min(province.start, city.start),
    end: district?.end ?? city.end,
  };
}

/** A token that reads as a person's name: 2–20 characters, no digits. */
const looksLikeName = (t: string) => t.length >= 1 && t.length <= 20 && !/\d/.test(t);

export function parseAddressText(input: string, area: AreaList): ParsedAddress {
  let text = input.replace(FIELD_WORDS, ' ').trim();
  let phone = '';
  const p = PHONE.exec(text);
  if (p) {
    phone = `${p[1]}${p[2]}${p[3]}`;
    text = `${text.slice(0, p.index)} ${text.slice(p.index + p[0].length)}`;
  }
  const region = findRegion(text, area);
  const before = (region ? text.slice(0, region.start) : '').split(SEPARATORS).filter(Boolean);
  const after = (region ? text.slice(region.end) : text).split(SEPARATORS).filter(Boolean);

  let name = before.find(looksLikeName) ?? '';
  if (!name && after.length > 1) {
    // The name is the short token, before or after the street address.
    const candidates = [after[after.length - 1]!, after[0]!].filter((t) => looksLikeName(t) && t.length <= 6);
    const pick = candidates[0];
    if (pick) {
      name = pick;
      after.splice(after.indexOf(pick), 1);
    }
  }
  return {
    name,
    phone,
    province: region?.province ?? '',
    city: region?.city ?? '',
    district: region?.district ?? '',
    detail: after.join(''),
  };
}
