export * from './rules';
export * from './checkout';
