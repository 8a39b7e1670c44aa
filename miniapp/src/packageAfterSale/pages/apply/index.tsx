import { Image, Text, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { AFTER_SALE_MAX_PHOTOS, AFTER_SALE_REASONS, type AfterSaleReason, type AfterSaleType } from '@shop/shared/src/after-sales';
import { resolveAsset } from '../../../api/assets';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { afterSaleChoices, useShop } from '../../../store';
import { useRequireLogin } from '../../../utils/hooks';
import { PAGES, withQuery } from '../../../utils/nav';
import { ServiceEntry } from '../../../components/ServiceEntry';
import { uploadPhoto } from '../../../utils/upload';
import '../after-sale.scss';

const REASONS = Object.entries(AFTER_SALE_REASONS) as [AfterSaleReason, string][];

/**
 * 申请售后 for one line of an order (`?order=<id>&sku=<id>`): 仅退款 or 退货退款 (each offered only when the order can
 * have it, else why not), how many, the reason, a description and up to 6 photos uploaded straight to storage.
 */
export default function ApplyAfterSalePage() {
  const loggedIn = useRequireLogin();
  const { params } = useRouter();
  const orderId = params.order ?? '';
  const skuId = params.sku ?? '';
  const order = useShop((s) => s.orders[orderId]);
  const busy = useShop((s) => s.afterSaleBusy);
  const [failed, setFailed] = useState(false);
  const [type, setType] = useState<AfterSaleType | null>(null);
  const [quantity, setQuantity] = useState(1);
  const [reason, setReason] = useState<AfterSaleReason | null>(null);
  const [description, setDescription] = useState('');
  const [photos, setPhotos] = useState<{ path: string; key: string }[]>([]);
  const [uploading, setUploading] = useState(false);

  useEffect(() => {
    if (!loggedIn || !orderId) return;
    void useShop
      .getState()
      .loadOrder(orderId)
      .then((o) => setFailed(!o));
  }, [loggedIn, orderId]);

  if (!loggedIn) return null;
  if (failed) return <EmptyState status="network" text="订单信息加载失败" />;
  if (!order) return <ListSkeleton count={1} />;
  const line = order.lines.find((l) => l.skuId === skuId);
  if (!line) return <EmptyState text="订单中没有该商品" />;
  const choices = afterSaleChoices(order);
  const chosen = type ?? choices.find((c) => c.refusal === null)?.type ?? null;

  const addPhotos = async () => {
    const left = AFTER_SALE_MAX_PHOTOS - photos.length;
    if (left <= 0) return;
    const picked = await Taro.chooseImage({ count: left, sizeType: ['compressed'] }).catch(() => null);
    if (!picked) return;
    setUploading(true);
    try {
      for (const path of picked.tempFilePaths) {
        const key = await uploadPhoto(path, 'after_sales');
        setPhotos((now) => [...now, { path, key }]);
      }
    } catch (e) {
      void Taro.showToast({ title: (e as Error).message || '图片上传失败，请重试', icon: 'none' });
    } finally {
      setUploading(false);
    }
  };

  const submit = async () => {
    if (!chosen) return;
    if (!reason) {
      void Taro.showToast({ title: '请选择售后原因', icon: 'none' });
      return;
    }
    const created = await useShop.getState().applyAfterSale({
      orderId,
      skuId,
      quantity,
      type: chosen,
      reason,
      description: description.trim(),
      photoKeys: photos.map((p) => p.key),
    });
    if (created) void Taro.redirectTo({ url: withQuery(PAGES.afterSale, { id: created.id }) });
  };

  return (
    <View className="page page--with-bar after-sale">
      <View className="card row after-sale__line">
        <Image className="after-sale__img" src={resolveAsset(line.image)} mode="aspectFill" />
        <View className="grow">
          <View>{line.title}</View>
          <View className="muted">{line.specText}</View>
          <View className="muted">共 {line.quantity} 件</View>
        </View>
      </View>

      <View className="card">
        <View className="card__title">售后类型</View>
        {choices.map((c) => (
          <View
            key={c.type}
            className={`after-sale__option e2e-after-sale-type ${chosen === c.type ? 'after-sale__option--on' : ''} ${c.refusal ? 'after-sale__option--off' : ''}`}
            data-type={c.type}
            onClick={() => !c.refusal && setType(c.type)}
          >
            <Text>{c.label}</Text>
            {c.refusal && <Text className="muted after-sale__why">{c.refusal}</Text>}
          </View>
        ))}
      </View>

      <View className="card row row--between">
        <Text>申请数量</Text>
        <View className="row after-sale__stepper">
          <Text className="after-sale__step" onClick={() => setQuantity((q) => Math.max(1, q - 1))}>
            －
          </Text>
          <Text className="e2e-after-sale-quantity">{quantity}</Text>
          <Text className="after-sale__step" onClick={() => setQuantity((q) => Math.min(line.quantity, q + 1))}>
            ＋
          </Text>
        </View>
      </View>

      <View className="card">
        <View className="card__title">售后原因</View>
        <View className="after-sale__reasons">
          {REASONS.map(([code, label]) => (
            <Text key={code} className={`after-sale__chip e2e-after-sale-reason ${reason === code ? 'after-sale__chip--on' : ''}`} onClick={() => setReason(code)}>
              {label}
            </Text>
          ))}
        </View>
      </View>

      <View className="card">
        <View className="card__title">问题描述</View>
        <Textarea
          className="after-sale__text e2e-after-sale-description"
          value={description}
          maxlength={500}
          placeholder="请描述遇到的问题（选填）"
          onInput={(e) => setDescription(e.detail.value)}
        />
        <View className="after-sale__photos">
          {photos.map((p) => (
            <View key={p.key} className="after-sale__photo">
              <Image className="after-sale__photo-img" src={p.path} mode="aspectFill" />
              <Text className="after-sale__photo-del" onClick={() => setPhotos((now) => now.filter((x) => x.key !== p.key))}>
                ×
              </Text>
            </View>
          ))}
          {photos.length < AFTER_SALE_MAX_PHOTOS && (
            <View className="after-sale__photo after-sale__photo--add e2e-after-sale-add-photo" onClick={() => void addPhotos()}>
              {uploading ? '上传中…' : `上传凭证 ${photos.length}/${AFTER_SALE_MAX_PHOTOS}`}
            </View>
          )}
        </View>
      </View>

      <ServiceEntry />

      <View className="bottom-bar">
        <View
          className={`btn grow e2e-after-sale-submit ${!chosen || busy || uploading ? 'btn--disabled' : ''}`}
          onClick={() => !busy && !uploading && void submit()}
        >
          {busy ? '提交中…' : '提交申请'}
        </View>
      </View>
    </View>
  );
}
