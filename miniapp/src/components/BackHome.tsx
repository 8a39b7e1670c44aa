import { View } from '@tarojs/components';
import { ArrowLeft, Home } from '@nutui/icons-react-taro';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { PAGES } from '../utils/nav';
import './BackHome.scss';

/**
 * H5 has no navigation bar of WeChat's: a round button at the top left goes back, or — on a page opened directly
 * from a link, with nothing to go back to — home. Renders nothing in the mini-program.
 */
export function BackHome() {
  // Read once: the page under this one does not change while this page is showing.
  const [canGoBack] = useState(() => process.env.TARO_ENV === 'h5' && Taro.getCurrentPages().length > 1);
  if (process.env.TARO_ENV !== 'h5') return null;
  const go = () => {
    if (canGoBack) Taro.navigateBack().catch(() => Taro.reLaunch({ url: PAGES.home }));
    else void Taro.reLaunch({ url: PAGES.home });
  };
  return (
    <View className={`back-home ${canGoBack ? 'e2e-back' : 'e2e-home'}`} aria-label={canGoBack ? '返回' : '回首页'} onClick={go}>
      {canGoBack ? <ArrowLeft size={16} color="#fff" /> : <Home size={16} color="#fff" />}
    </View>
  );
}
