import { monotonicFactory } from 'ulid';

const next = monotonicFactory();
/** Sortable ids (ULID): lexicographic order = creation order, so "newest first" is a key order. */
export function newId(at?: number): string {
  return next(at);
}
