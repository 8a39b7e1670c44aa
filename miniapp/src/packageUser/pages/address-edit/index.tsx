import { Input, Switch, Text, Textarea, View } from '@tarojs/components';
import Taro, { useLoad, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { Cascader } from '@nutui/nutui-react-taro';
import { useShop } from '../../../store';
import { useRequireLogin } from '../../../utils/hooks';
import { parseAddressText } from './parse';
import { areaList, regionCodes, regionOptions } from './region';
import { validateAddress, type AddressField, type AddressForm } from './validate';
import './index.scss';

const EMPTY: AddressForm = { name: '', phone: '', province: '', city: '', district: '', detail: '', isDefault: false };

const FIELDS: { key: 'name' | 'phone'; label: string; placeholder: string; type?: 'number' }[] = [
  { key: 'name', label: '收货人', placeholder: '请填写收货人姓名' },
  { key: 'phone', label: '手机号', placeholder: '请填写 11 位手机号', type: 'number' },
];
const IS_WEAPP = process.env.TARO_ENV === 'weapp';

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
  const [pasted, setPasted] = useState('');
  const [picking, setPicking] = useState(false);
  const region = [form.province, form.city, form.district].filter(Boolean).join(' ');
  const regionError = errors.province ?? errors.city ?? errors.district;

  useLoad(() => {
    void Taro.setNavigationBarTitle({ title: id ? '编辑收货地址' : '新增收货地址' });
  });

  const set = <K extends keyof AddressForm>(key: K, value: AddressForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    if (errors[key as AddressField]) setErrors((e) => ({ ...e, [key]: undefined }));
  };

  const fill = (patch: Partial<AddressForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setErrors({});
  };

  /** 粘贴识别: whatever the line gives (name, phone, region, street) replaces the form's field; the rest stays. */
  const recognise = () => {
    const p = parseAddressText(pasted, areaList);
    const patch: Partial<AddressForm> = {};
    for (const k of ['name', 'phone', 'detail'] as const) if (p[k]) patch[k] = p[k];
    if (p.province) Object.assign(patch, { province: p.province, city: p.city, district: p.district });
    if (Object.keys(patch).length === 0) {
      void Taro.showToast({ title: '未识别到地址信息', icon: 'none' });
      return;
    }
    fill(patch);
    void Taro.showToast({ title: p.district ? '已识别，请核对' : '已识别部分信息，请补全', icon: 'none' });
  };

  /** 导入微信地址 (weapp): the shopper's WeChat addresses. */
  const importWechat = async () => {
    try {
      const a = await Taro.chooseAddress();
      fill({ name: a.userName, phone: a.telNumber, province: a.provinceName, city: a.cityName, district: a.countyName, detail: a.detailInfo });
    } catch {
      // Cancelled or not authorised: the form stays as it was.
    }
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
      <View className="card address-paste">
        <Textarea
          className="address-paste__input e2e-address-paste"
          value={pasted}
          maxlength={200}
          autoHeight
          placeholder="粘贴整段地址，自动识别姓名、电话和地址，如：张三 13800138000 广东省深圳市南山区科技园路1号"
          onInput={(e) => setPasted(e.detail.value)}
        />
        <View className="row address-paste__actions">
          {IS_WEAPP && (
            <View className="btn btn--small btn--ghost" onClick={importWechat}>
              导入微信地址
            </View>
          )}
          <View className={`btn btn--small e2e-address-recognise ${pasted.trim() ? '' : 'btn--disabled'}`} onClick={() => pasted.trim() && recognise()}>
            识别
          </View>
        </View>
      </View>
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
          <View className="address-form__row e2e-address-region" onClick={() => setPicking(true)}>
            <Text className="address-form__label">所在地区</Text>
            <Text className={`address-form__input e2e-address-region-text ${region ? '' : 'address-form__placeholder'}`}>
              {region || '请选择省 / 市 / 区'}
            </Text>
            <Text className="muted">›</Text>
          </View>
          {regionError && <View className="address-form__error">{regionError}</View>}
        </View>
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
      <Cascader
        visible={picking}
        title="选择所在地区"
        options={regionOptions()}
        value={picking ? regionCodes(form) : undefined}
        onClose={() => setPicking(false)}
        onChange={(_value, path) => {
          const [province, city, district] = path.map((n) => String(n.text ?? ''));
          fill({ province: province ?? '', city: city ?? '', district: district ?? '' });
        }}
      />
      <View className="bottom-bar">
        <View className={`btn grow e2e-address-save ${saving ? 'btn--disabled' : ''}`} onClick={save}>
          {saving ? '保存中…' : '保存'}
        </View>
      </View>
    </View>
  );
}
