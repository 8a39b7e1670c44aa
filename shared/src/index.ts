export * from './money';
export * from './errors';
export * from './order-state';
export * from './quote';
export * from './contracts/index';
export * from './api';
export * from './refund';
