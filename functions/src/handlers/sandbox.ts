import { route } from '../lib/http';
import { sandboxPay as simulate } from '../services/payment';

/** Local stage only (route refuses elsewhere): the 模拟支付 sheet. */
export const sandboxPay = route('sandboxPay', ({ userId, body, now }) => simulate(userId, body, now));
