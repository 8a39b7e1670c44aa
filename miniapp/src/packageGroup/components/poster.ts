import type { PosterCode, PosterLayout } from '../../components/poster/draw';
import { formatCountdown, formatFen } from '../../utils/format';

/** 分享海报 of a group: product image, group price, seats left, countdown and a code to scan. */
export function groupPoster(group: {
  productName: string;
  imageSrc: string | null;
  groupPriceFen: number;
  priceFen: number;
  seatsLeft: number;
  remainingMs: number;
  code: PosterCode;
}): PosterLayout {
  return {
    header: group.seatsLeft > 0 ? `还差 ${group.seatsLeft} 人成团` : '拼团',
    image: group.imageSrc ? { src: group.imageSrc, shape: 'wide' } : null,
    title: group.productName,
    highlight: `拼团价 ${formatFen(group.groupPriceFen)}`,
    lines: [`单独购买 ${formatFen(group.priceFen)}`, ...(group.remainingMs > 0 ? [`剩余 ${formatCountdown(group.remainingMs)}`] : [])],
    footer: '长按识别，立即参团',
    code: group.code,
  };
}
