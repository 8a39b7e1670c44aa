import { z } from 'zod';
import { Id } from './common';

export const AddressInput = z.object({
  name: z.string().trim().min(1, '请填写收货人').max(20, '收货人姓名太长'),
  phone: z.string().trim().max(11, '请填写正确的手机号').regex(/^1\d{10}$/, '请填写正确的手机号'),
  province: z.string().trim().min(1, '请选择省份').max(20, '省份名称太长'),
  city: z.string().trim().min(1, '请选择城市').max(20, '城市名称太长'),
  district: z.string().trim().min(1, '请选择区县').max(20, '区县名称太长'),
  detail: z.string().trim().min(2, '请填写详细地址').max(100, '详细地址太长'),
  isDefault: z.boolean().default(false),
});
export type AddressInput = z.infer<typeof AddressInput>;

export const Address = AddressInput.extend({ id: Id, createdAt: z.number() });
export type Address = z.infer<typeof Address>;
export const AddressesResponse = z.object({ items: z.array(Address) });
