import { Image, Switch, Text, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { REVIEW_LIMITS, STAR_LABEL } from '@shop/shared/src/reviews';
import { resolveAsset } from '../../../api/assets';
import { PhotoPicker } from '../../../components/PhotoPicker';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { useShop } from '../../../store';
import { useRequireLogin } from '../../../utils/hooks';
import '../review.scss';

/**
 * 发表评价 (`?order=<id>&sku=<id>`) or 追评 (`&mode=follow`) of one line of a received order: stars, tags from the
 * shop's list, text, up to 9 photos (uploaded straight to storage as they are chosen), 匿名评价. The server decides whether the line can be reviewed (and refuses banned words in words).
 */
export default function WriteReviewPage() {
  const loggedIn = useRequireLogin();
  const { params } = useRouter();
  const orderId = params.order ?? '';
  const skuId = params.sku ?? '';
  const follow = params.mode === 'follow';
  const info = useShop((s) => s.orderReviews[orderId]);
  const submitting = useShop((s) => s.reviewSubmitting);
  const [failed, setFailed] = useState(false);
  const [stars, setStars] = useState(5);
  const [text, setText] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [anonymous, setAnonymous] = useState(false);
  const [photoKeys, setPhotoKeys] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);

  useEffect(() => {
    if (!loggedIn || !orderId) return;
    void Taro.setNavigationBarTitle({ title: follow ? '追加评价' : '发表评价' });
    void useShop
      .getState()
      .loadOrderReviews(orderId)
      .then((r) => setFailed(!r));
  }, [loggedIn, orderId]);

  const line = info?.lines.find((l) => l.skuId === skuId);
  if (!loggedIn) return null;
  if (failed) return <EmptyState status="network" text="订单信息加载失败" />;
  if (!info) return <ListSkeleton count={1} />;
  if (!line) return <EmptyState text="订单中没有该商品" />;
  const allowed = follow ? line.canFollowUp : line.canReview;
  const toggleTag = (t: string) =>
    setTags((now) => (now.includes(t) ? now.filter((x) => x !== t) : now.length >= REVIEW_LIMITS.maxTags ? now : [...now, t]));

  const submit = async () => {
    const { submitReview, submitFollowUp } = useShop.getState();
    const ok = follow
      ? await submitFollowUp({ orderId, skuId, text: text.trim(), photoKeys })
      : await submitReview({ orderId, skuId, stars, text: text.trim(), tags, anonymous, photoKeys });
    if (ok) setTimeout(() => void Taro.navigateBack(), 600);
  };

  return (
    <View className="page review-write">
      <View className="card row review-write__line">
        <Image className="review-write__img" src={resolveAsset(line.image)} mode="aspectFill" />
        <View className="grow">
          <View className="review-write__title">{line.title}</View>
          <View className="muted review-write__spec">{line.specText}</View>
        </View>
      </View>
      {!allowed ? (
        <EmptyState text={follow ? '该商品已追评或尚未评价' : line.review ? '该商品已评价' : info.note || '暂不能评价'} />
      ) : (
        <View className="card">
          {!follow && (
            <>
              <View className="row review-write__stars e2e-review-stars">
                <Text className="review-write__label">商品评分</Text>
                {[1, 2, 3, 4, 5].map((n) => (
                  <Text key={n} className={`review-write__star${n <= stars ? ' review-write__star--on' : ''} e2e-star-${n}`} onClick={() => setStars(n)}>
                    ★
                  </Text>
                ))}
                <Text className="muted review-write__star-label">{STAR_LABEL[stars]}</Text>
              </View>
              {info.tags.length > 0 && (
                <View className="review-write__tags">
                  {info.tags.map((t) => (
                    <Text key={t} className={`review-write__tag${tags.includes(t) ? ' review-write__tag--on' : ''}`} onClick={() => toggleTag(t)}>
                      {t}
                    </Text>
                  ))}
                </View>
              )}
            </>
          )}
          <Textarea
            className="review-write__text e2e-review-text"
            value={text}
            maxlength={REVIEW_LIMITS.maxText}
            placeholder={follow ? '用了一段时间，说说使用感受吧' : '说说宝贝的质量、使用感受，帮助更多想买的人'}
            onInput={(e) => setText(e.detail.value)}
          />
          <View className="muted review-write__count">
            {[...text].length}/{REVIEW_LIMITS.maxText}
          </View>
          <PhotoPicker purpose="review" max={REVIEW_LIMITS.maxPhotos} hook="review" onChange={setPhotoKeys} onUploading={setUploading} />
          {!follow && (
            <View className="row review-write__anon">
              <Text className="grow">匿名评价</Text>
              <Switch checked={anonymous} color="#e93b3d" onChange={(e) => setAnonymous(e.detail.value)} />
            </View>
          )}
        </View>
      )}
      {allowed && (
        <View className="bottom-bar">
          <View
            className={`btn grow e2e-review-submit${submitting || uploading || (follow && !text.trim()) ? ' btn--disabled' : ''}`}
            onClick={() => !submitting && !uploading && !(follow && !text.trim()) && void submit()}
          >
            {submitting ? '提交中…' : uploading ? '图片上传中…' : follow ? '发布追评' : '发布评价'}
          </View>
        </View>
      )}
    </View>
  );
}
