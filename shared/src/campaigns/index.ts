/**
 * The campaign rules the server and the mini-app share. `validate.ts` (the YAML reader behind campaigns:check and the
 * config loaders) is left out on purpose: it pulls in the YAML parser, which the mini-app's 2 MB main package does
 * not need. Server code and scripts import it directly.
 */
export * from './time';
export * from './format';
export * from './schema';
export * from './live';
export * from './promotions';
