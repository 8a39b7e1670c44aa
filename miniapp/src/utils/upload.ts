import Taro from '@tarojs/taro';
import type { UploadPurpose } from '@shop/shared';
import { useShop } from '../store';

const TYPES: Record<string, 'image/jpeg' | 'image/png' | 'image/webp'> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/** The photo's bytes and type: WeChat reads the temp file; H5 reads the blob: URL chooseImage gave. */
async function readPhoto(filePath: string): Promise<{ bytes: ArrayBuffer; type: string }> {
  if (process.env.TARO_ENV === 'weapp') {
    const bytes = await new Promise<ArrayBuffer>((resolve, reject) =>
      Taro.getFileSystemManager().readFile({ filePath, success: (r) => resolve(r.data as ArrayBuffer), fail: reject }),
    );
    const ext = (/\.([a-z0-9]+)$/i.exec(filePath)?.[1] ?? 'jpg').toLowerCase();
    return { bytes, type: TYPES[ext] ?? 'image/jpeg' };
  }
  const blob = await (await fetch(filePath)).blob();
  return { bytes: await blob.arrayBuffer(), type: blob.type || 'image/jpeg' };
}

/**
 * Uploads one chosen photo straight to the shop's storage: the server signs a PUT for this type and size, the bytes go
 * to it, and the key names the photo in the request. Throws with words the page can show.
 */
export async function uploadPhoto(filePath: string, purpose: UploadPurpose): Promise<string> {
  const { bytes, type } = await readPhoto(filePath);
  if (!Object.values(TYPES).includes(type as never)) throw new Error('只能上传 JPG、PNG 或 WebP 图片');
  const ticket = await useShop.getState().uploadTicket({ purpose, contentType: type as 'image/jpeg', size: bytes.byteLength });
  if (process.env.TARO_ENV === 'weapp') {
    const res = await Taro.request({ url: ticket.url, method: 'PUT', header: ticket.headers, data: bytes, dataType: '其他', responseType: 'text' });
    if (res.statusCode !== 200) throw new Error('图片上传失败，请重试');
  } else {
    const res = await fetch(ticket.url, { method: 'PUT', headers: ticket.headers, body: bytes });
    if (!res.ok) throw new Error('图片上传失败，请重试');
  }
  return ticket.key;
}
