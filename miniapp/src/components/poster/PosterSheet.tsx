import { Canvas, Image, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Popup } from '@nutui/nutui-react-taro';
import { useEffect, useState } from 'react';
import { POSTER_HEIGHT, POSTER_WIDTH, drawPoster, type PosterContext, type PosterLayout } from './draw';
import './poster.scss';

const IS_H5 = process.env.TARO_ENV === 'h5';
const CANVAS_ID = 'shop-poster-canvas';

/** H5: an off-page canvas; the poster becomes a data URL. */
async function renderH5(layout: PosterLayout): Promise<string> {
  const canvas = document.createElement('canvas');
  canvas.width = POSTER_WIDTH;
  canvas.height = POSTER_HEIGHT;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no canvas');
  const load = (src: string) =>
    new Promise<HTMLImageElement>((resolve, reject) => {
      const img = document.createElement('img');
      img.crossOrigin = 'anonymous';
      img.onload = () => resolve(img);
      img.onerror = reject;
      img.src = src;
    });
  await drawPoster(ctx as unknown as PosterContext, layout, load);
  try {
    return canvas.toDataURL('image/png');
  } catch {
    // A cross-origin picture taints the canvas: draw it again without the images.
    await drawPoster(ctx as unknown as PosterContext, { ...layout, image: null }, () => Promise.resolve(null));
    return canvas.toDataURL('image/png');
  }
}

/** Mini-program: the page's hidden 2d canvas; the poster becomes a temp file. */
async function renderWeapp(layout: PosterLayout): Promise<string> {
  const node = await new Promise<{ node?: unknown } | null>((resolve) => {
    Taro.createSelectorQuery()
      .select(`#${CANVAS_ID}`)
      .fields({ node: true, size: true })
      .exec((res: { node?: unknown }[]) => resolve(res?.[0] ?? null));
  });
  const canvas = node?.node as
    | { width: number; height: number; getContext(t: '2d'): unknown; createImage(): { src: string; onload: () => void; onerror: () => void } }
    | undefined;
  if (!canvas) throw new Error('no canvas');
  canvas.width = POSTER_WIDTH;
  canvas.height = POSTER_HEIGHT;
  const ctx = canvas.getContext('2d') as PosterContext;
  const load = (src: string) =>
    new Promise<unknown>((resolve, reject) => {
      const img = canvas.createImage();
      img.onload = () => resolve(img);
      img.onerror = reject;
      img.src = src;
    });
  await drawPoster(ctx, layout, load);
  const res = await Taro.canvasToTempFilePath({ canvas: canvas as never, fileType: 'png' } as never);
  return res.tempFilePath;
}

/**
 * A poster in a bottom sheet: drawn from `layout` when opened, shown as an image, saved to the album (mini-program)
 * or downloaded as `fileName` (H5). One per page.
 */
export function PosterSheet({
  visible,
  layout,
  onClose,
  title = '分享海报',
  fileName = 'poster.png',
}: {
  visible: boolean;
  layout: PosterLayout | null;
  onClose: () => void;
  title?: string;
  fileName?: string;
}) {
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!visible || !layout) return;
    let live = true;
    setSrc(null);
    setFailed(false);
    // The canvas must be on the page before drawing (mini-program).
    const t = setTimeout(() => {
      (IS_H5 ? renderH5(layout) : renderWeapp(layout)).then(
        (s) => live && setSrc(s),
        () => live && setFailed(true),
      );
    }, 50);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [visible, layout]);

  const save = async () => {
    if (!src) return;
    if (IS_H5) {
      const a = document.createElement('a');
      a.href = src;
      a.download = fileName;
      document.body.appendChild(a);
      a.click();
      a.remove();
      return;
    }
    try {
      await Taro.saveImageToPhotosAlbum({ filePath: src });
      void Taro.showToast({ title: '已保存到相册', icon: 'success' });
    } catch {
      void Taro.showToast({ title: '保存失败，请允许访问相册', icon: 'none' });
    }
  };

  return (
    <Popup visible={visible} position="bottom" round closeable title={title} onClose={onClose}>
      <View className="poster e2e-poster-sheet" data-ready={src ? 'true' : 'false'}>
        {!IS_H5 && (
          <Canvas type="2d" id={CANVAS_ID} className="poster__canvas" style={{ width: `${POSTER_WIDTH}px`, height: `${POSTER_HEIGHT}px` }} />
        )}
        {src ? (
          <Image className="poster__image" src={src} mode="widthFix" />
        ) : (
          <View className="muted poster__loading">{failed ? '海报生成失败' : '海报生成中…'}</View>
        )}
        <View className={`btn poster__save ${src ? '' : 'btn--disabled'}`} onClick={save}>
          {IS_H5 ? '下载图片' : '保存到相册'}
        </View>
      </View>
    </Popup>
  );
}
