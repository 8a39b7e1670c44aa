import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import type { Address } from '@shop/shared';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { useShop } from '../../../store';
import { useRequireLogin } from '../../../utils/hooks';
import { PAGES, withQuery } from '../../../utils/nav';
import './index.scss';

export default function AddressesPage() {
  const loggedIn = useRequireLogin();
  const { params } = useRouter();
  const selecting = params.select === '1';
  const addresses = useShop((s) => s.addresses);
  const status = useShop((s) => s.addressesStatus);
  const chosenId = useShop((s) => s.checkout.addressId);
  const { loadAddresses, deleteAddress, setCheckoutAddress } = useShop.getState();

  useDidShow(() => {
    if (useShop.getState().isLoggedIn()) void loadAddresses();
  });

  const choose = (a: Address) => {
    if (!selecting) return;
    void setCheckoutAddress(a.id);
    void Taro.navigateBack();
  };
  const edit = (a: Address) =>
    Taro.navigateTo({ url: withQuery(PAGES.addressEdit, { id: a.id, select: selecting ? 1 : undefined }) });
  const remove = async (a: Address) => {
    const res = await Taro.showModal({ title: '删除地址', content: '确定删除该收货地址吗？', confirmColor: '#e93b3d' });
    if (res.confirm) await deleteAddress(a.id);
  };
  const add = () => Taro.navigateTo({ url: withQuery(PAGES.addressEdit, { select: selecting ? 1 : undefined }) });

  let body;
  if (!loggedIn || (status === 'loading' && addresses.length === 0) || status === 'idle') body = <ListSkeleton />;
  else if (status === 'error' && addresses.length === 0)
    body = <EmptyState status="error" text="地址加载失败" actionText="重新加载" onAction={loadAddresses} />;
  else if (addresses.length === 0) body = <EmptyState text="还没有收货地址" />;
  else
    body = addresses.map((a) => (
      <View
        key={a.id}
        className={`card address-item e2e-address-item ${selecting && a.id === chosenId ? 'address-item--chosen' : ''}`}
        data-address-id={a.id}
        onClick={() => choose(a)}
      >
        <View className="address-item__who">
          {a.name}
          <Text className="address-item__phone">{a.phone}</Text>
          {a.isDefault && <Text className="tag tag--solid address-item__default">默认</Text>}
        </View>
        <View className="address-item__detail">
          {a.province} {a.city} {a.district} {a.detail}
        </View>
        <View className="address-item__actions">
          <Text
            className="address-item__action"
            onClick={(e) => {
              e.stopPropagation();
              void edit(a);
            }}
          >
            编辑
          </Text>
          <Text
            className="address-item__action"
            onClick={(e) => {
              e.stopPropagation();
              void remove(a);
            }}
          >
            删除
          </Text>
        </View>
      </View>
    ));

  return (
    <View className="page page--with-bar addresses">
      {selecting && addresses.length > 0 && <View className="addresses__tip muted">点击地址选择收货地址</View>}
      {body}
      <View className="bottom-bar">
        <View className="btn grow e2e-address-add" onClick={add}>
          新增收货地址
        </View>
      </View>
    </View>
  );
}
