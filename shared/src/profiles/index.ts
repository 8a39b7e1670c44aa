/** Shopper profiles and segments: the pure rules (the YAML reader stays out: config-file.ts). */
export * from './config';
export * from './profile';
