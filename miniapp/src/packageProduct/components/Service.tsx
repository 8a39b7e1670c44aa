import { Button, Text, View } from '@tarojs/components';
import { Popup } from '@nutui/nutui-react-taro';
import { Service } from '@nutui/icons-react-taro';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { useShop } from '../../store';
import './Favorite.scss';
import './Service.scss';

/**
 * 客服 in the product page's bottom bar. In WeChat: the mini-program's own customer-service chat (open-type="contact").
 * In H5: a sheet with the service hours and phone the server's stage configuration gives (GET /v1/shop-info).
 */
export function ServiceButton() {
  if (process.env.TARO_ENV === 'weapp') {
    return (
      <Button className="extras-bar-icon e2e-service" openType="contact">
        <Service size={20} />
        <Text className="extras-bar-icon__text">客服</Text>
      </Button>
    );
  }
  return <ServiceSheetButton />;
}

function ServiceSheetButton() {
  const [open, setOpen] = useState(false);
  const info = useShop((s) => s.shopInfo);
  const [failed, setFailed] = useState(false);

  const show = async () => {
    setOpen(true);
    setFailed(false);
    if (!(await useShop.getState().loadShopInfo())) setFailed(true);
  };
  const call = () => {
    if (info?.servicePhone) Taro.makePhoneCall({ phoneNumber: info.servicePhone }).catch(() => undefined);
  };

  return (
    <>
      <View className="extras-bar-icon e2e-service" onClick={() => void show()}>
        <Service size={20} />
        <Text className="extras-bar-icon__text">客服</Text>
      </View>
      <Popup visible={open} position="bottom" round closeable title="联系客服" onClose={() => setOpen(false)} className="service-sheet">
        <View className="service-sheet__body e2e-service-sheet">
          {info ? (
            <>
              <View className="service-sheet__row">
                <Text className="muted">服务时间</Text>
                <Text className="e2e-service-hours">{info.serviceHours || '请留言，我们会尽快回复'}</Text>
              </View>
              {info.servicePhone && (
                <View className="service-sheet__row">
                  <Text className="muted">客服电话</Text>
                  <Text className="service-sheet__phone e2e-service-phone" onClick={call}>
                    {info.servicePhone}
                  </Text>
                </View>
              )}
              {info.servicePhone && (
                <View className="btn service-sheet__call" onClick={call}>
                  拨打电话
                </View>
              )}
            </>
          ) : (
            <View className="muted service-sheet__row">{failed ? '客服信息加载失败，请稍后再试' : '加载中…'}</View>
          )}
        </View>
      </Popup>
    </>
  );
}
