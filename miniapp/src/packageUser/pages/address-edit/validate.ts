import { AddressInput } from '@shop/shared/src/contracts/address';

export type AddressField = 'name' | 'phone' | 'province' | 'city' | 'district' | 'detail';
export interface AddressForm {
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
  isDefault: boolean;
}

/**
 * Checks the form with the same schema the server uses (messages in Chinese), so most mistakes are caught before
 * a round trip; the server validates again.
 */
export function validateAddress(
  form: AddressForm,
): { ok: true; value: AddressInput } | { ok: false; errors: Partial<Record<AddressField, string>> } {
  const r = AddressInput.safeParse(form);
  if (r.success) return { ok: true, value: r.data };
  const errors: Partial<Record<AddressField, string>> = {};
  for (const issue of r.error.issues) {
    const field = issue.path[0] as AddressField | undefined;
    if (field && !errors[field]) errors[field] = issue.message;
  }
  return { ok: false, errors };
}
