import { route } from '../lib/http';
import { shopInfo as readShopInfo } from '../services/shop-info';

export const shopInfo = route('shopInfo', () => readShopInfo());
