/**
 * Product images come from the API as root-relative paths (`/catalog-images/x.svg`); they are served from
 * ASSET_BASE (build-time constant). Absolute URLs and data URIs pass through.
 */
export function resolveAsset(path: string | null | undefined, base: string = ASSET_BASE): string {
  if (!path) return '';
  if (/^(https?:)?\/\//i.test(path) || path.startsWith('data:')) return path;
  const b = base.replace(/\/+$/, '');
  return `${b}${path.startsWith('/') ? '' : '/'}${path}`;
}
