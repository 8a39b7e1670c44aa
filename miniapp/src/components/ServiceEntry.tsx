import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { useShop } from '../store';
import './ServiceEntry.scss';

/**
 * 联系客服 on the order and after-sales pages: WeChat's own customer-service chat in the weapp (open-type="contact"); in H5 the
 * service hours and phone from the stage's configuration (GET /v1/shop-info), as the product page shows them.
 */
export function ServiceEntry() {
  const info = useShop((s) => s.shopInfo);
  const [open, setOpen] = useState(false);
  if (process.env.TARO_ENV === 'weapp') {
    return (
      <Button className="btn btn--ghost service-entry e2e-service-entry" openType="contact">
        联系客服
      </Button>
    );
  }
  const show = async () => {
    setOpen(true);
    await useShop.getState().loadShopInfo();
  };
  return (
    <View className="card service-entry e2e-service-entry">
      <View className="row row--between" onClick={() => void show()}>
        <Text>联系客服</Text>
        <Text className="muted">›</Text>
      </View>
      {open && (
        <View className="muted service-entry__info">
          {info ? (
            <>
              <View>服务时间：{info.serviceHours || '请留言，我们会尽快回复'}</View>
              {info.servicePhone && (
                <View onClick={() => void Taro.makePhoneCall({ phoneNumber: info.servicePhone }).catch(() => undefined)}>
                  客服电话：<Text className="service-entry__phone">{info.servicePhone}</Text>
                </View>
              )}
            </>
          ) : (
            '加载中…'
          )}
        </View>
      )}
    </View>
  );
}
