import { Text, View } from '@tarojs/components';
import { Popup } from '@nutui/nutui-react-taro';
import { ShieldCheck } from '@nutui/icons-react-taro';
import type { ProductDetail } from '@shop/shared';
import { useState } from 'react';
import './Guarantees.scss';

/** 服务保障: the product's guarantees on one line; tapping it explains each in a sheet. Nothing when it has none. */
export function Guarantees({ guarantees }: { guarantees: ProductDetail['guarantees'] }) {
  const [open, setOpen] = useState(false);
  if (!guarantees?.length) return null;
  return (
    <>
      <View className="card guarantees row e2e-guarantees" onClick={() => setOpen(true)}>
        <Text className="muted guarantees__label">保障</Text>
        <View className="guarantees__list grow">
          {guarantees.map((g) => (
            <View className="guarantees__item" key={g.title}>
              <ShieldCheck size={12} color="#e93b3d" />
              <Text className="guarantees__title">{g.title}</Text>
            </View>
          ))}
        </View>
        <Text className="muted">›</Text>
      </View>
      <Popup visible={open} position="bottom" round closeable title="服务保障" onClose={() => setOpen(false)}>
        <View className="guarantees-sheet e2e-guarantees-sheet">
          {guarantees.map((g) => (
            <View className="guarantees-sheet__item" key={g.title}>
              <View className="guarantees-sheet__title">
                <ShieldCheck size={14} color="#e93b3d" />
                <Text>{g.title}</Text>
              </View>
              <View className="muted guarantees-sheet__note">{g.note}</View>
            </View>
          ))}
        </View>
      </Popup>
    </>
  );
}
