import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ReviewView } from '@shop/shared';
import { resolveAsset } from '../../api/assets';
import { formatDate } from '../../utils/format';
import './Reviews.scss';

function preview(urls: string[], current: string) {
  void Taro.previewImage({ urls: urls.map((u) => resolveAsset(u)), current: resolveAsset(current) });
}

/** ★★★★☆ */
function Stars({ stars }: { stars: number }) {
  return (
    <Text className="review-stars">
      {'★'.repeat(stars)}
      <Text className="review-stars__off">{'★'.repeat(5 - stars)}</Text>
    </Text>
  );
}

function Photos({ photos }: { photos: string[] }) {
  if (photos.length === 0) return null;
  return (
    <View className="review-photos">
      {photos.map((p, i) => (
        <Image
          key={p}
          className="review-photos__img"
          src={resolveAsset(p)}
          mode="aspectFill"
          ariaLabel={`买家晒图 ${i + 1}`}
          nativeProps={{ alt: `买家晒图 ${i + 1}` }}
          onClick={() => preview(photos, p)}
        />
      ))}
    </View>
  );
}

/** One review as shoppers read it: who (masked when anonymous), stars, spec, text, tags, photos and the 追评. */
export function ReviewCard({ review, compact = false }: { review: ReviewView; compact?: boolean }) {
  return (
    <View className="review-card e2e-review">
      <View className="row review-card__who">
        {review.avatar ? (
          <Image className="review-card__avatar" src={resolveAsset(review.avatar)} nativeProps={{ alt: '' }} />
        ) : (
          <View className="review-card__avatar review-card__avatar--blank" />
        )}
        <Text className="review-card__name">{review.nickname || '买家'}</Text>
        <Stars stars={review.stars} />
        {!compact && <Text className="muted review-card__date">{formatDate(review.createdAt)}</Text>}
      </View>
      {review.specText && <View className="muted review-card__spec">{review.specText}</View>}
      <View className={compact ? 'review-card__text review-card__text--clamp' : 'review-card__text'}>{review.text || '买家未填写评价内容'}</View>
      {review.tags.length > 0 && (
        <View className="review-card__tags">
          {review.tags.map((t) => (
            <Text key={t} className="tag tag--gray">
              {t}
            </Text>
          ))}
        </View>
      )}
      <Photos photos={compact ? review.photos.slice(0, 3) : review.photos} />
      {review.followUp && !compact && (
        <View className="review-card__follow">
          <Text className="review-card__follow-label">{review.followUp.label}</Text>
          <View className="review-card__text">{review.followUp.text}</View>
          <Photos photos={review.followUp.photos} />
        </View>
      )}
    </View>
  );
}
