/** Stands in for @tarojs/taro in unit tests; a test that reaches it without a fake of its own fails loudly. */
const fail = (name: string) => () => {
  throw new Error(`Taro.${name} is not available in unit tests`);
};
const Taro = {
  request: fail('request'),
  showToast: fail('showToast'),
  getStorageSync: fail('getStorageSync'),
  setStorageSync: fail('setStorageSync'),
  removeStorageSync: fail('removeStorageSync'),
};
export default Taro;
