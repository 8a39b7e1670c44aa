import { Text, View } from '@tarojs/components';

/**
 * A coupon's face value from its label (满99减10 / 88折 最高减50 / 满99享88折 最高减50): the first part large, what
 * follows the first space on a smaller line.
 */
export function CouponFace({ label, className }: { label: string; className: string }) {
  const cut = label.indexOf(' ');
  const main = cut > 0 ? label.slice(0, cut) : label;
  const rest = cut > 0 ? label.slice(cut + 1) : '';
  return (
    <View className={`coupon-face ${className}`}>
      <Text className="coupon-face__main">{main}</Text>
      {rest && <Text className="coupon-face__sub">{rest}</Text>}
    </View>
  );
}
