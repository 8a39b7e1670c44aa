import { Switch, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { ArrowRight } from '@nutui/icons-react-taro';
import type { PrivacySettings } from '@shop/shared';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { useShop } from '../../../store';
import { useRequireLogin } from '../../../utils/hooks';
import { PAGES } from '../../../utils/nav';
import './index.scss';

type PrivacyKey = keyof PrivacySettings;

/** Each switch, with one plain sentence on what it does. */
const SWITCHES: { key: PrivacyKey; title: string; text: string; className: string }[] = [
  {
    key: 'personalizedRecs',
    title: '个性化推荐',
    text: '开启后，猜你喜欢等推荐会按你的浏览和购买来挑选商品；关闭后，你看到的是所有人相同的热销和新品。',
    className: 'e2e-settings-personalized',
  },
  {
    key: 'behaviourData',
    title: '行为数据',
    text: '开启后，我们会保存你的浏览、搜索、加购等记录，用于足迹和个性化推荐；关闭后，这些记录不再保存。',
    className: 'e2e-settings-behaviour',
  },
];

/** 设置: the shopper's privacy switches, as the server keeps them. */
export default function SettingsPage() {
  const loggedIn = useRequireLogin();
  const privacy = useShop((s) => s.privacy);
  const status = useShop((s) => s.privacyStatus);
  const busy = useShop((s) => s.privacyBusy);
  // A native switch shows what was tapped even when the change is called off: redrawing it shows the kept value.
  const [redraw, setRedraw] = useState(0);

  useDidShow(() => {
    if (useShop.getState().isLoggedIn()) void useShop.getState().loadPrivacy();
  });

  const change = async (key: PrivacyKey, value: boolean) => {
    if (key === 'behaviourData' && !value) {
      const res = await Taro.showModal({
        title: '关闭行为数据',
        content: '关闭后，你的浏览、搜索等记录不再保存，足迹也将停止记录（已有足迹仍可查看和删除）。确定关闭吗？',
        confirmText: '关闭',
        confirmColor: '#e93b3d',
      });
      if (!res.confirm) {
        setRedraw((n) => n + 1);
        return;
      }
    }
    if (!(await useShop.getState().setPrivacy(key, value))) setRedraw((n) => n + 1);
  };

  let body;
  if (!loggedIn || (!privacy && status !== 'error')) body = <ListSkeleton count={1} />;
  else if (!privacy)
    body = <EmptyState status="error" text="设置加载失败" actionText="重新加载" onAction={() => useShop.getState().loadPrivacy()} />;
  else
    body = (
      <>
        <View className="card settings__group">
          {SWITCHES.map((s) => (
            <View className="settings__item" key={s.key}>
              <View className="row row--between">
                <Text className="settings__title">{s.title}</Text>
                <Switch
                  key={`${s.key}-${redraw}`}
                  className={s.className}
                  data-checked={privacy[s.key]}
                  checked={privacy[s.key]}
                  disabled={!!busy[s.key]}
                  color="#e93b3d"
                  onChange={(e) => void change(s.key, e.detail.value)}
                />
              </View>
              <View className="settings__text muted">{s.text}</View>
            </View>
          ))}
        </View>
        <View className="card settings__group">
          <View className="settings__link row row--between" onClick={() => void Taro.navigateTo({ url: PAGES.footprints })}>
            <Text>我的足迹</Text>
            <ArrowRight size={12} color="#999" />
          </View>
        </View>
      </>
    );

  return <View className="page settings">{body}</View>;
}
