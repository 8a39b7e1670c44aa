export default definePageConfig({
  navigationBarTitleText: '足迹',
});
