import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { UploadPurpose } from '@shop/shared';
import { uploadPhoto } from '../utils/upload';
import './PhotoPicker.scss';

interface Picked {
  /** Where the page shows the thumbnail from (the local file the picker gave). */
  path: string;
  /** The uploaded photo's key, what the request names it by. */
  key: string;
}

/**
 * Up to `max` photos, each uploaded straight to the shop's storage as soon as it is chosen (purpose `purpose`):
 * thumbnails with ×, 上传中… while uploading, and what went wrong in words. The page gets the keys (`onChange`) and
 * whether an upload is still running (`onUploading`, to hold its submit button). `hook` names the browser-test classes:
 * `.e2e-<hook>-add-photo` (opens the picker) and `.e2e-<hook>-photo` (a thumbnail).
 */
export function PhotoPicker({
  purpose,
  max,
  hook,
  onChange,
  onUploading,
}: {
  purpose: UploadPurpose;
  max: number;
  hook: string;
  onChange: (keys: string[]) => void;
  onUploading: (busy: boolean) => void;
}) {
  const [photos, setPhotos] = useState<Picked[]>([]);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => onChange(photos.map((p) => p.key)), [photos]);
  useEffect(() => onUploading(uploading), [uploading]);

  const add = async () => {
    const left = max - photos.length;
    if (left <= 0 || uploading) return;
    const picked = await Taro.chooseImage({ count: left, sizeType: ['compressed'] }).catch(() => null);
    if (!picked || picked.tempFilePaths.length === 0) return;
    setError('');
    setUploading(true);
    try {
      for (const path of picked.tempFilePaths.slice(0, left)) {
        const key = await uploadPhoto(path, purpose);
        setPhotos((now) => (now.length < max ? [...now, { path, key }] : now));
      }
    } catch (e) {
      setError((e as Error).message || '图片上传失败，请重试');
    } finally {
      setUploading(false);
    }
  };

  return (
    <View className="photo-picker e2e-photo-picker" data-purpose={purpose}>
      <View className="photo-picker__grid">
        {photos.map((p) => (
          <View key={p.key} className={`photo-picker__item e2e-${hook}-photo`}>
            <Image className="photo-picker__img" src={p.path} mode="aspectFill" />
            <Text className="photo-picker__remove e2e-photo-remove" onClick={() => setPhotos((now) => now.filter((x) => x.key !== p.key))}>
              ×
            </Text>
          </View>
        ))}
        {photos.length < max && (
          <View className={`photo-picker__item photo-picker__add e2e-${hook}-add-photo`} onClick={() => void add()}>
            {uploading ? (
              <Text>上传中…</Text>
            ) : (
              <>
                <Text className="photo-picker__plus">＋</Text>
                <Text>
                  添加图片 {photos.length}/{max}
                </Text>
              </>
            )}
          </View>
        )}
      </View>
      {error && <View className="photo-picker__error e2e-photo-error">{error}</View>}
    </View>
  );
}
