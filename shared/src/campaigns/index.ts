export * from './time';
export * from './format';
export * from './schema';
export * from './validate';
export * from './live';
export * from './promotions';
