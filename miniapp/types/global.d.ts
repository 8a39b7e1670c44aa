/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.gif';
declare module '*.jpg';
declare module '*.jpeg';
declare module '*.svg';
declare module '*.css';
declare module '*.scss';

/** Origin of the HTTP API, fixed at build time (Taro defineConstants, env SHOP_API_BASE). '' = same origin. */
declare const API_BASE: string;
/** Origin that serves catalog images, fixed at build time (env SHOP_ASSET_BASE). '' = same origin. */
declare const ASSET_BASE: string;

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test';
    TARO_ENV: 'weapp' | 'swan' | 'alipay' | 'h5' | 'rn' | 'tt' | 'qq' | 'jd' | 'harmony' | 'jdrn';
    TARO_APP_ID: string;
  }
}

/** Subscribe-message template ids of the group result notices (env SHOP_GROUP_TEMPLATE_IDS, comma-separated). */
declare const GROUP_NOTICE_TEMPLATES: string[];
/** …and of the 已发货 / 已签收 notices (env SHOP_ORDER_TEMPLATE_IDS, comma-separated: shipped, delivered). */
declare const ORDER_NOTICE_TEMPLATES: string[];
