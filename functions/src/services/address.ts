import { DomainError, type Address, type AddressInput } from '@shop/shared';
import { newId } from '../lib/ids';
import { addressRepo, type AddressItem } from '../repositories/address-repo';
import { userRepo } from '../repositories/user-repo';

const MAX_ADDRESSES = 20;

function view(a: AddressItem, defaultId: string | null): Address {
  const { name, phone, province, city, district, detail, id, createdAt } = a;
  return { id, name, phone, province, city, district, detail, createdAt, isDefault: id === defaultId };
}

async function defaultIdOf(userId: string): Promise<string | null> {
  return (await userRepo.get(userId))?.defaultAddressId ?? null;
}

/** Default first, then newest. */
export async function listAddresses(userId: string): Promise<{ items: Address[] }> {
  const [items, defaultId] = await Promise.all([addressRepo.list(userId), defaultIdOf(userId)]);
  return {
    items: items
      .map((a) => view(a, defaultId))
      .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || b.id.localeCompare(a.id)),
  };
}

export async function createAddress(userId: string, input: AddressInput, now: number): Promise<Address> {
  const existing = await addressRepo.list(userId);
  if (existing.length >= MAX_ADDRESSES) throw new DomainError('ADDRESS_LIMIT');
  const { isDefault, ...fields } = input;
  const item: AddressItem = { ...fields, id: newId(now), userId, createdAt: now, updatedAt: now };
  await addressRepo.create(item);
  // The first address becomes the default, so checkout always has one to preselect.
  if (isDefault || existing.length === 0) await addressRepo.setDefault(userId, item.id);
  return view(item, await defaultIdOf(userId));
}

export async function updateAddress(userId: string, addressId: string, input: AddressInput, now: number): Promise<Address> {
  const { isDefault, ...fields } = input;
  const updated = await addressRepo.update(userId, addressId, fields, now);
  if (!updated) throw new DomainError('ADDRESS_NOT_FOUND');
  if (isDefault) await addressRepo.setDefault(userId, addressId);
  return view(updated, await defaultIdOf(userId));
}

export async function deleteAddress(userId: string, addressId: string): Promise<{ ok: true }> {
  if (!(await addressRepo.remove(userId, addressId))) throw new DomainError('ADDRESS_NOT_FOUND');
  await addressRepo.clearDefaultIf(userId, addressId);
  return { ok: true };
}
