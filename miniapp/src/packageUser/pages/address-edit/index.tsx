import { Input, Switch, Text, Textarea, View } from '@tarojs/components';
import Taro, { useLoad, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { useShop } from '../../../store';
import { useRequireLogin } from '../../../utils/hooks';
import { validateAddress, type AddressField, type AddressForm } from './validate';
import './index.scss';

const EMPTY: AddressForm = { name: '', phone: '', province: '', city: '', district: '', detail: '', isDefault: false };

const FIELDS: { key: Exclude<AddressField, 'detail'>; label: string; placeholder: string; type?: 'number' }[] = [
  { key: 'name', label: '收货人', placeholder: '请填写收货人姓名' },
  { key: 'phone', label: '手机号', placeholder: '请填写 11 位手机号', type: 'number' },
  { key: 'province', label: '省份', placeholder: '如：广东省' },
  { key: 'city', label: '城市', placeholder: '如：深圳市' },
  { key: 'district', label: '区县', placeholder: '如：南山区' },
];

export default function AddressEditPage() {
  useRequireLogin();
  const { params } = useRouter();
  const id = params.id;
  const selecting = params.select === '1';
  const saving = useShop((s) => s.addressSaving);
  const { saveAddress, setCheckoutAddress, addresses } = useShop.getState();
  const [form, setForm] = useState<AddressForm>(() => {
    const a = id ? addresses.find((x) => x.id === id) : undefined;
    if (!a) return { ...EMPTY, isDefault: addresses.length === 0 };
    return { name: a.name, phone: a.phone, province: a.province, city: a.city, district: a.district, detail: a.detail, isDefault: a.isDefault };
  });
  const [errors, setErrors] = useState<Partial<Record<AddressField, string>>>({});

  useLoad(() => {
    void Taro.setNavigationBarTitle({ title: id ? '编辑收货地址' : '新增收货地址' });
  });

  const set = <K extends keyof AddressForm>(key: K, value: AddressForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    if (errors[key as AddressField]) setErrors((e) => ({ ...e, [key]: undefined }));
  };

  const save = async () => {
    if (saving) return;
    const checked = validateAddress(form);
    if (!checked.ok) {
      setErrors(checked.errors);
      const first = Object.values(checked.errors)[0];
      if (first) void Taro.showToast({ title: first, icon: 'none' });
      return;
    }
    const saved = await saveAddress(checked.value, id);
    if (!saved) return;
    if (selecting) await setCheckoutAddress(saved.id);
    setTimeout(() => void Taro.navigateBack(), 300);
  };

  return (
    <View className="page page--with-bar address-edit">
      <View className="card address-form">
        {FIELDS.map((f) => (
          <View key={f.key} className="address-form__field">
            <View className="address-form__row">
              <Text className="address-form__label">{f.label}</Text>
              <Input
                className={`address-form__input e2e-address-${f.key}`}
                value={form[f.key]}
                type={f.type === 'number' ? 'number' : 'text'}
                maxlength={f.key === 'phone' ? 11 : 20}
                placeholder={f.placeholder}
                onInput={(e) => set(f.key, e.detail.value)}
              />
            </View>
            {errors[f.key] && <View className="address-form__error">{errors[f.key]}</View>}
          </View>
        ))}
        <View className="address-form__field">
          <View className="address-form__row address-form__row--top">
            <Text className="address-form__label">详细地址</Text>
            <Textarea
              className="address-form__input address-form__textarea e2e-address-detail"
              value={form.detail}
              maxlength={100}
              autoHeight
              placeholder="街道、楼牌号等"
              onInput={(e) => set('detail', e.detail.value)}
            />
          </View>
          {errors.detail && <View className="address-form__error">{errors.detail}</View>}
        </View>
        <View className="address-form__row address-form__row--switch">
          <Text className="address-form__label grow">设为默认地址</Text>
          <Switch
            className="e2e-address-default"
            checked={form.isDefault}
            color="#e93b3d"
            onChange={(e) => set('isDefault', e.detail.value)}
          />
        </View>
      </View>
      <View className="bottom-bar">
        <View className={`btn grow e2e-address-save ${saving ? 'btn--disabled' : ''}`} onClick={save}>
          {saving ? '保存中…' : '保存'}
        </View>
      </View>
    </View>
  );
}
