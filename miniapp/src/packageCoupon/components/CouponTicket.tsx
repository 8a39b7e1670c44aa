import type { ReactNode } from 'react';
import { View } from '@tarojs/components';
import { CouponFace } from '../../components/CouponFace';
import './CouponTicket.scss';

/**
 * A coupon as a ticket: its face value (label) on the left, name and terms in the middle, an action or a state on
 * the right. `off` greys it (used, expired, not claimable).
 */
export function CouponTicket({
  label,
  name,
  lines,
  aside,
  stamp,
  off = false,
  className = '',
  data = {},
}: {
  label: string;
  name: string;
  lines: (string | null | undefined | false)[];
  aside?: ReactNode;
  stamp?: string | null;
  off?: boolean;
  className?: string;
  data?: Record<string, string>;
}) {
  const attrs = Object.fromEntries(Object.entries(data).map(([k, v]) => [`data-${k}`, v]));
  return (
    <View className={`ticket ${off ? 'ticket--off' : ''} ${className}`} {...attrs}>
      <CouponFace label={label} className="ticket__face" />
      <View className="ticket__body">
        <View className="ticket__name ellipsis">{name}</View>
        {lines.filter(Boolean).map((l) => (
          <View className="ticket__line" key={String(l)}>
            {l}
          </View>
        ))}
      </View>
      {aside && <View className="ticket__aside">{aside}</View>}
      {stamp && <View className="ticket__stamp">{stamp}</View>}
    </View>
  );
}
