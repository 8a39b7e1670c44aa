import { Canvas, Image, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Popup } from '@nutui/nutui-react-taro';
import { useEffect, useState } from 'react';
import { POSTER_HEIGHT, POSTER_WIDTH, drawPoster, type PosterContext, type PosterData } from './poster';

const IS_H5 = process.env.TARO_ENV === 'h5';
const CANVAS_ID = 'group-poster-canvas';

/** H5: an off-page canvas; the poster becomes a data URL. */
async function renderH5(data: PosterData): Promise<string> {
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
  await drawPoster(ctx as unknown as PosterContext, data, load);
  try {
    return canvas.toDataURL('image/png');
  } catch {
    // A cross-origin product image taints the canvas: draw it again without the images.
    await drawPoster(ctx as unknown as PosterContext, { ...data, imageSrc: null }, () => Promise.resolve(null));
    return canvas.toDataURL('image/png');
  }
}

/** Mini-program: the page's hidden 2d canvas; the poster becomes a temp file. */
async function renderWeapp(data: PosterData): Promise<string> {
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
  await drawPoster(ctx, data, load);
  const res = await Taro.canvasToTempFilePath({ canvas: canvas as never, fileType: 'png' } as never);
  return res.tempFilePath;
}

/** 分享海报: product image, group price, seats left, countdown and a code to scan; saved to the album or downloaded. */
export function PosterSheet({ visible, data, onClose }: { visible: boolean; data: PosterData | null; onClose: () => void }) {
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!visible || !data) return;
    let live = true;
    setSrc(null);
    setFailed(false);
    // The canvas must be on the page before drawing (mini-program).
    const t = setTimeout(() => {
      (IS_H5 ? renderH5(data) : renderWeapp(data)).then(
        (s) => live && setSrc(s),
        () => live && setFailed(true),
      );
    }, 50);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [visible, data]);

  const save = async () => {
    if (!src) return;
    if (IS_H5) {
      const a = document.createElement('a');
      a.href = src;
      a.download = 'group-poster.png';
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
    <Popup visible={visible} position="bottom" round closeable title="分享海报" onClose={onClose}>
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
