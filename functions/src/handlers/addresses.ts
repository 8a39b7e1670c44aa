import { z } from 'zod';
import { Id } from '@shop/shared';
import { route } from '../lib/http';
import * as addresses from '../services/address';

const AddressPath = z.object({ addressId: Id });

export const listAddresses = route('listAddresses', ({ userId }) => addresses.listAddresses(userId));
export const createAddress = route('createAddress', ({ userId, body, now }) => addresses.createAddress(userId, body, now), {
  status: 201,
});
export const updateAddress = route(
  'updateAddress',
  ({ userId, params, body, now }) => addresses.updateAddress(userId, params.addressId, body, now),
  { params: AddressPath },
);
export const deleteAddress = route('deleteAddress', ({ userId, params }) => addresses.deleteAddress(userId, params.addressId), {
  params: AddressPath,
});
