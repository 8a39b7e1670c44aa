import { Text, View } from '@tarojs/components';
import { Popup } from '@nutui/nutui-react-taro';
import { useShop } from '../../store';
import { formatFen, formatRemaining } from '../../utils/format';
import { useCountdown } from '../../utils/hooks';
import './SandboxPaySheet.scss';

export type SandboxResult = 'pay' | 'cancel' | 'dismiss';

/**
 * 模拟支付: the local stage's stand-in for the WeChat Pay cashier. Its buttons answer the sandbox, which then
 * notifies the server the way WeChat Pay would; whether the order got paid is read back from the order itself.
 */
export function SandboxPaySheet({ onFinished }: { onFinished: (r: SandboxResult) => void }) {
  const payment = useShop((s) => s.payment);
  const { confirmSandbox, closePayment } = useShop.getState();
  const remaining = useCountdown(payment.response?.deadlineAt);
  const res = payment.response;

  const answer = async (action: 'pay' | 'cancel') => {
    if (payment.busy) return;
    const ok = await confirmSandbox(action);
    if (ok || !useShop.getState().payment.sandboxOpen) {
      closePayment();
      onFinished(ok ? action : 'dismiss');
    }
  };

  return (
    <Popup
      visible={payment.sandboxOpen && res !== null}
      position="bottom"
      round
      closeable={!payment.busy}
      title="模拟支付"
      onClose={() => {
        if (payment.busy) return;
        closePayment();
        onFinished('dismiss');
      }}
    >
      {res && (
        <View className="sandbox-pay e2e-sandbox-sheet">
          <View className="sandbox-pay__hint">本地演示环境，不会产生真实扣款</View>
          <View className="sandbox-pay__amount e2e-sandbox-amount">{formatFen(res.payableFen)}</View>
          <View className="muted sandbox-pay__deadline">
            {remaining > 0 ? `请在 ${formatRemaining(remaining)} 内完成支付` : '支付时间已过'}
          </View>
          <View className="sandbox-pay__actions">
            <View
              className={`btn btn--ghost grow e2e-sandbox-cancel ${payment.busy ? 'btn--disabled' : ''}`}
              onClick={() => answer('cancel')}
            >
              取消支付
            </View>
            <View
              className={`btn grow e2e-sandbox-pay ${payment.busy ? 'btn--disabled' : ''}`}
              onClick={() => answer('pay')}
            >
              {payment.busy ? <Text>处理中…</Text> : '确认支付'}
            </View>
          </View>
        </View>
      )}
    </Popup>
  );
}
