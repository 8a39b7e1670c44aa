import { areaList, useCascaderAreaData } from '@vant/area-data';

/**
 * 省/市/区 from @vant/area-data, a maintained dataset package. Imported only by the address form, so it stays in the
 * packageUser subpackage and out of the mini-program's main package.
 */
export { areaList };

interface RegionOption {
  text: string;
  value: string;
  children?: RegionOption[];
}

let options: RegionOption[] | null = null;
/** The cascader's tree, built once (the dataset's own builder; not a React hook despite its name). */
export function regionOptions(): RegionOption[] {
  options ??= useCascaderAreaData();
  return options;
}

/** The cascader's value (codes) for region names, as far as they are found. */
export function regionCodes(names: { province: string; city: string; district: string }): string[] {
  const out: string[] = [];
  let level = regionOptions();
  for (const name of [names.province, names.city, names.district]) {
    const hit = level.find((o) => o.text === name);
    if (!hit) break;
    out.push(hit.value);
    level = hit.children ?? [];
  }
  return out;
}
