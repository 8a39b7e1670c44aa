import type { Address, AddressInput } from '@shop/shared';
import type { LoadStatus, Slice } from '../types';

export interface AddressSlice {
  addresses: Address[];
  addressesStatus: LoadStatus;
  addressSaving: boolean;

  loadAddresses(): Promise<Address[]>;
  /** Creates (no id) or updates an address; returns it, or undefined when the server refused. */
  saveAddress(input: AddressInput, id?: string): Promise<Address | undefined>;
  deleteAddress(id: string): Promise<boolean>;
  resetAddresses(): void;
}

/** The default address, else the newest one. */
export function pickDefaultAddress(list: Address[]): Address | undefined {
  return list.find((a) => a.isDefault) ?? [...list].sort((a, b) => b.createdAt - a.createdAt)[0];
}

/** Default first, then newest first. */
function sortAddresses(list: Address[]): Address[] {
  return [...list].sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || b.createdAt - a.createdAt);
}

export const addressSlice: Slice<AddressSlice> = (set, get, deps) => ({
  addresses: [],
  addressesStatus: 'idle',
  addressSaving: false,

  async loadAddresses() {
    if (get().addressesStatus !== 'ready') set({ addressesStatus: 'loading' });
    try {
      const res = await deps.api.call('listAddresses');
      const addresses = sortAddresses(res.items);
      set({ addresses, addressesStatus: 'ready' });
      return addresses;
    } catch {
      set({ addressesStatus: get().addressesStatus === 'ready' ? 'ready' : 'error' });
      return get().addresses;
    }
  },

  async saveAddress(input, id) {
    set({ addressSaving: true });
    try {
      const saved = id
        ? await deps.api.call('updateAddress', { params: { addressId: id }, body: input })
        : await deps.api.call('createAddress', { body: input });
      const others = get().addresses.filter((a) => a.id !== saved.id);
      // Only one default: the server moved the flag, mirror it until the next reload.
      const rest = saved.isDefault ? others.map((a) => ({ ...a, isDefault: false })) : others;
      set({ addresses: sortAddresses([saved, ...rest]) });
      deps.toast('地址已保存', 'success');
      return saved;
    } catch {
      return undefined;
    } finally {
      set({ addressSaving: false });
    }
  },

  async deleteAddress(id) {
    try {
      await deps.api.call('deleteAddress', { params: { addressId: id } });
      set({ addresses: get().addresses.filter((a) => a.id !== id) });
      if (get().checkout.addressId === id) set((s) => ({ checkout: { ...s.checkout, addressId: null } }));
      deps.toast('地址已删除', 'success');
      return true;
    } catch {
      return false;
    }
  },

  resetAddresses() {
    set({ addresses: [], addressesStatus: 'idle', addressSaving: false });
  },
});
