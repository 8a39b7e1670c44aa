import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import devConfig from './dev';
import prodConfig from './prod';

/**
 * Build-time constants.
 * - API_BASE: origin of the HTTP API. H5 defaults to '' (same origin); weapp defaults to the local dev server.
 * - ASSET_BASE: origin that serves catalog images (paths like /catalog-images/x.svg). Same defaults logic.
 * Override with SHOP_API_BASE / SHOP_ASSET_BASE in the environment of `taro build`.
 */
function buildConstants(env: string | undefined) {
  const isH5 = env === 'h5';
  const apiBase = process.env.SHOP_API_BASE ?? (isH5 ? '' : 'http://localhost:3000');
  const assetBase = process.env.SHOP_ASSET_BASE ?? (isH5 ? '' : 'http://localhost:10086');
  return {
    API_BASE: JSON.stringify(apiBase.replace(/\/+$/, '')),
    ASSET_BASE: JSON.stringify(assetBase.replace(/\/+$/, '')),
    // Subscribe-message templates of the group result notices (the same ids the functions send with).
    GROUP_NOTICE_TEMPLATES: JSON.stringify((process.env.SHOP_GROUP_TEMPLATE_IDS ?? '').split(',').map((s) => s.trim()).filter(Boolean)),
    // …and of 已发货 / 已签收 (WECHAT_TMPL_ORDER_SHIPPED, WECHAT_TMPL_ORDER_DELIVERED of the functions).
    ORDER_NOTICE_TEMPLATES: JSON.stringify((process.env.SHOP_ORDER_TEMPLATE_IDS ?? '').split(',').map((s) => s.trim()).filter(Boolean)),
  };
}

const sharedSrc = path.resolve(__dirname, '..', '..', 'shared', 'src');

export default defineConfig<'webpack5'>(async (merge) => {
  const taroEnv = process.env.TARO_ENV;
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'wechat-shop',
    date: '2025-1-1',
    // NutUI is drawn on a 375 px design; everything of ours on 750.
    designWidth(input) {
      const file = typeof input === 'object' && input !== null ? (input as { file?: string }).file : undefined;
      if (file?.replace(/\\+/g, '/').includes('@nutui')) return 375;
      return 750;
    },
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    // SHOP_H5_OUT: a build of its own (npm run lighthouse), so a concurrent build of dist/h5 cannot pull files away.
    outputRoot: taroEnv === 'h5' ? (process.env.SHOP_H5_OUT ?? 'dist/h5') : `dist/${taroEnv ?? 'weapp'}`,
    plugins: ['@tarojs/plugin-html'],
    defineConstants: buildConstants(taroEnv),
    alias: {
      '@': path.resolve(__dirname, '..', 'src'),
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    mini: {
      optimizeMainPackage: { enable: true },
      // NutUI's per-component CSS is imported in different orders by different pages; the order does not matter.
      miniCssExtractPluginOption: { ignoreOrder: true },
      compile: { include: [sharedSrc] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
    h5: {
      publicPath: './',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      compile: { include: [sharedSrc] },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      webpackChain(chain) {
        // Taro splits only initial chunks on H5, so every lazily loaded page would carry its own copy of the
        // components and NutUI; share them between pages instead. Shared script under 20 KB stays in the pages that use
        // it: with Taro's minSize 0 a page waited on a second round of a dozen sub-2 KB requests before it could draw.
        const split = chain.optimization.get('splitChunks');
        if (split) chain.optimization.splitChunks({ ...split, chunks: 'all', minSize: { javascript: 20000 } });
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
  };

  if (process.env.NODE_ENV === 'development') return merge({}, baseConfig, devConfig);
  return merge({}, baseConfig, prodConfig);
});
