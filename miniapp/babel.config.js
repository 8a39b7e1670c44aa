// babel-preset-taro options: https://docs.taro.zone/docs/next/babel-config
// The H5 app is opened in current browsers (WeChat's own among them): there, async functions, classes and spreads stay
// as they are instead of being rewritten for ES5 (regenerator state machines and helpers made the first download
// larger and slower to start). The mini-program keeps package.json's browserslist.
const H5_TARGETS = { chrome: '87', safari: '14', ios: '14', edge: '88', firefox: '78' };

module.exports = {
  presets: [
    [
      'taro',
      {
        framework: 'react',
        ts: true,
        compiler: 'webpack5',
        ...(process.env.TARO_ENV === 'h5' ? { targets: H5_TARGETS } : {}),
      },
    ],
  ],
  plugins: [
    [
      'import',
      {
        libraryName: '@nutui/nutui-react-taro',
        libraryDirectory: 'dist/es/packages',
        camel2DashComponentName: false,
        customName: (name) => `@nutui/nutui-react-taro/dist/es/packages/${name.toLowerCase()}`,
        customStyleName: (name) => `@nutui/nutui-react-taro/dist/es/packages/${name.toLowerCase()}/style/css`,
      },
      'nutui-react-taro',
    ],
    // One module per icon instead of the package index (which pulls in every icon); style_icon.css is
    // imported once in app.tsx. NutUI's own files are compiled by Babel too, so this covers them as well.
    [
      'import',
      {
        libraryName: '@nutui/icons-react-taro',
        camel2DashComponentName: false,
        customName: (name) => `@nutui/icons-react-taro/dist/es/icons/${name}.js`,
        style: false,
      },
      'nutui-icons-react-taro',
    ],
  ],
};
