/*
 * Stable hooks for browser tests of the H5 build (visible Chinese text is the first choice of selector;
 * these classes are for elements whose text repeats or is data). The full list, page by page, is in
 * miniapp/E2E-HOOKS.md; keep the two in step.
 *   .e2e-demo-user  .e2e-wechat-login  .e2e-login-button  .e2e-home-search  .e2e-search-input
 *   .e2e-search-submit  .e2e-suggestion  .e2e-product-card  .e2e-category-item  .e2e-sort-tab
 *   .e2e-open-spec  .e2e-spec-value  .e2e-spec-confirm  .e2e-add-to-cart  .e2e-buy-now
 *   .e2e-cart-line  .e2e-cart-check  .e2e-cart-select-all  .e2e-cart-delete  .e2e-checkout
 *   .e2e-address-card  .e2e-address-item  .e2e-address-add  .e2e-address-save  .e2e-submit-order
 *   .e2e-payable  .e2e-sandbox-pay  .e2e-sandbox-cancel  .e2e-order-status  .e2e-order-tab
 *   .e2e-order-card  .e2e-pay-order  .e2e-cancel-order  .e2e-pay-countdown  .e2e-logout
 *   .e2e-banner  .e2e-flash-item  .e2e-flash-countdown  .e2e-entry-coupon-center  .e2e-entry-my-coupons
 *   .e2e-coupon-center-item  .e2e-claim-coupon  .e2e-my-coupon  .e2e-my-coupon-tab  .e2e-coupon-row
 *   .e2e-coupon-amount  .e2e-coupon-sheet  .e2e-coupon-option  .e2e-coupon-none  .e2e-discount-line  .e2e-hint
 *   .e2e-gift  .e2e-refund-item  .e2e-refund-status  .e2e-paid-total  .e2e-refunded-total  .e2e-cancel-refund
 *   .e2e-start-group  .e2e-group-deal  .e2e-open-group  .e2e-join-group  .e2e-group-status  .e2e-group-seats
 *   .e2e-group-countdown  .e2e-group-price  .e2e-group-member  .e2e-copy-link  .e2e-poster  .e2e-poster-sheet
 *   .e2e-my-group  .e2e-my-group-tab  .e2e-reshare  .e2e-entry-my-groups  .e2e-order-group
 *   .e2e-code (a code meant to be read: not counted as leaked text)  .e2e-points-order  .e2e-service-entry  .e2e-after-sale-until
 *   .e2e-review-stars  .e2e-star-N  .e2e-review-text  .e2e-review-submit  .e2e-feedback-types  .e2e-feedback-text
 *   .e2e-feedback-phone  .e2e-feedback-submit  .e2e-photo-picker  .e2e-review-add-photo  .e2e-review-photo
 *   .e2e-feedback-add-photo  .e2e-feedback-photo  .e2e-photo-remove  .e2e-photo-error
 */
import type { PropsWithChildren } from 'react';
import Taro, { useLaunch } from '@tarojs/taro';
import { useShop } from './store';
import '@nutui/icons-react-taro/dist/style_icon.css';
import './app.scss';

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    // A stored session may be stale: refresh the profile quietly (a 401 clears it).
    if (useShop.getState().isLoggedIn()) void useShop.getState().refreshMe().catch(() => undefined);
    // Behaviour events waiting in their batch go out when the app is put away.
    Taro.onAppHide(() => void useShop.getState().flushEvents());
  });
  return children;
}

export default App;
