export default definePageConfig({
  navigationBarTitleText: '商品详情',
  // The share menu (to a chat, to 朋友圈) with the product's title, picture and page: components/Share.tsx.
  enableShareAppMessage: true,
  enableShareTimeline: true,
});
