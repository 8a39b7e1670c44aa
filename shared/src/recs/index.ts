export * from './model';
export * from './score';
export * from './metrics';
