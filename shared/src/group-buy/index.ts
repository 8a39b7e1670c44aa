/** Group-buy (拼团) rules shared by the group service and the mini-app. Pure: no I/O, the clock is a parameter. */
export * from './messages';
export * from './types';
export * from './state';
export * from './rules';
export * from './landing';
export * from './share';
