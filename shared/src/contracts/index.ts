export * from './common';
export * from './auth';
export * from './catalog';
export * from './cart';
export * from './address';
export * from './checkout';
export * from './order';
export * from './coupons';
export * from './group';
export * from './favorites';
export * from './members';
export * from './events';
export * from './recs';
export * from './reviews';

