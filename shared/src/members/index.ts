/** Points and levels: the rules the server and the mini-app share (the YAML reader stays out: config-file.ts). */
export * from './config';
export * from './points';
export * from './levels';
