import { Image, Text, View } from '@tarojs/components';
import Taro, { useLoad, useRouter } from '@tarojs/taro';
import type { DemoUser } from '@shop/shared';
import { resolveAsset } from '../../../api/assets';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { useShop } from '../../../store';
import { PAGES, isTabPage } from '../../../utils/nav';
import './index.scss';

const IS_WEAPP = process.env.TARO_ENV === 'weapp';

/** Back to where the login was asked for: the page below (if it is that page), a tab, or in its place. */
function leave(redirect: string | undefined) {
  const target = redirect ? decodeURIComponent(redirect) : '';
  const pages = Taro.getCurrentPages();
  const below = pages[pages.length - 2];
  const belowPath = below?.route ? `/${below.route.replace(/^\//, '')}`.split('?')[0] : undefined;
  if (target && isTabPage(target)) {
    void Taro.switchTab({ url: target.split('?')[0]! });
  } else if (target && belowPath === target.split('?')[0]) {
    void Taro.navigateBack();
  } else if (target) {
    void Taro.redirectTo({ url: target });
  } else if (below) {
    void Taro.navigateBack();
  } else {
    void Taro.switchTab({ url: PAGES.home });
  }
}

export default function LoginPage() {
  const { params } = useRouter();
  const demoUsers = useShop((s) => s.demoUsers);
  const demoStatus = useShop((s) => s.demoUsersStatus);
  const loggingIn = useShop((s) => s.loggingIn);
  const { loadDemoUsers, loginWithCode, loginWithWechat, rememberInvite } = useShop.getState();

  useLoad(() => {
    // A friend's invite link (`?invite=<code>`): kept in the session until the login sends it.
    rememberInvite(params.invite);
    void loadDemoUsers();
  });

  const done = () => {
    void Taro.showToast({ title: '登录成功', icon: 'success' });
    setTimeout(() => leave(params.redirect), 400);
  };
  const pickDemo = async (u: DemoUser) => {
    if (loggingIn) return;
    try {
      await loginWithCode(u.code);
      done();
    } catch {
      // toasted by the client
    }
  };
  const wechat = async () => {
    if (loggingIn) return;
    try {
      await loginWithWechat();
      done();
    } catch {
      // toasted
    }
  };

  return (
    <View className="page login">
      <View className="login__brand">
        <View className="login__logo">好</View>
        <View className="login__name">好物商城</View>
      </View>

      {IS_WEAPP && (
        <View className="login__wechat">
          <View className={`btn login__wechat-btn e2e-wechat-login ${loggingIn ? 'btn--disabled' : ''}`} onClick={wechat}>
            {loggingIn ? '登录中…' : '微信一键登录'}
          </View>
        </View>
      )}

      {(demoStatus === 'loading' || demoStatus === 'idle') && <ListSkeleton count={1} rows={3} />}

      {demoStatus === 'ready' && demoUsers && (
        <View className="card login__demo">
          <View className="card__title">选择演示用户</View>
          <View className="muted login__demo-hint">本地演示环境：选择一个演示账号直接登录</View>
          {demoUsers.map((u) => (
            <View key={u.code} className="login__user e2e-demo-user" data-code={u.code} onClick={() => pickDemo(u)}>
              {u.avatar ? (
                <Image className="login__avatar" src={resolveAsset(u.avatar)} mode="aspectFill" />
              ) : (
                <View className="login__avatar login__avatar--text">{u.nickname.slice(0, 1)}</View>
              )}
              <Text className="grow">{u.nickname}</Text>
              <Text className="muted">登录 ›</Text>
            </View>
          ))}
        </View>
      )}

      {demoStatus === 'unavailable' && !IS_WEAPP && (
        <EmptyState status="error" text="当前环境不支持登录，请在微信中打开" actionText="重试" onAction={loadDemoUsers} />
      )}
    </View>
  );
}
