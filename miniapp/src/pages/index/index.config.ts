export default definePageConfig({
  navigationBarTitleText: '好物商城',
  enablePullDownRefresh: true,
  onReachBottomDistance: 200,
});
