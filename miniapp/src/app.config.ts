export default defineAppConfig({
  pages: ['pages/index/index', 'pages/category/index', 'pages/cart/index', 'pages/mine/index'],
  subPackages: [
    { root: 'packageProduct', pages: ['pages/detail/index', 'pages/search/index', 'pages/reviews/index'] },
    { root: 'packageOrder', pages: ['pages/checkout/index', 'pages/list/index', 'pages/detail/index', 'pages/result/index'] },
    { root: 'packageUser', pages: ['pages/login/index', 'pages/addresses/index', 'pages/address-edit/index', 'pages/favorites/index', 'pages/footprints/index', 'pages/settings/index'] },
    { root: 'packageCoupon', pages: ['pages/center/index', 'pages/list/index'] },
    { root: 'packageGroup', pages: ['pages/landing/index', 'pages/buy/index', 'pages/mine/index'] },
    { root: 'packageMember', pages: ['pages/center/index', 'pages/points/index', 'pages/check-in/index', 'pages/mall/index', 'pages/invite/index'] },
    { root: 'packageReview', pages: ['pages/write/index', 'pages/feedback/index'] },
    { root: 'packageAfterSale', pages: ['pages/apply/index', 'pages/list/index', 'pages/detail/index'] },
  ],
  preloadRule: {
    'pages/index/index': { network: 'all', packages: ['packageProduct'] },
    'packageProduct/pages/detail/index': { network: 'all', packages: ['packageGroup'] },
    'pages/cart/index': { network: 'all', packages: ['packageOrder'] },
    'pages/mine/index': { network: 'all', packages: ['packageUser', 'packageOrder', 'packageCoupon', 'packageMember'] },
  },
  window: {
    backgroundTextStyle: 'dark',
    backgroundColor: '#f5f5f5',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '好物商城',
    navigationBarTextStyle: 'black',
  },
  tabBar: {
    // Tab labels are small text: 4.5:1 contrast on white (#999999 / #e93b3d were 2.8:1 / 4.1:1).
    color: '#6e6e6e',
    selectedColor: '#c81d25',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      {
        pagePath: 'pages/index/index',
        text: '首页',
        iconPath: 'assets/tabbar/home.png',
        selectedIconPath: 'assets/tabbar/home-active.png',
      },
      {
        pagePath: 'pages/category/index',
        text: '分类',
        iconPath: 'assets/tabbar/category.png',
        selectedIconPath: 'assets/tabbar/category-active.png',
      },
      {
        pagePath: 'pages/cart/index',
        text: '购物车',
        iconPath: 'assets/tabbar/cart.png',
        selectedIconPath: 'assets/tabbar/cart-active.png',
      },
      {
        pagePath: 'pages/mine/index',
        text: '我的',
        iconPath: 'assets/tabbar/mine.png',
        selectedIconPath: 'assets/tabbar/mine-active.png',
      },
    ],
  },
});
