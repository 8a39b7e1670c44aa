import { Picker, ScrollView, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { Progress } from '@nutui/nutui-react-taro';
import { ArrowRight } from '@nutui/icons-react-taro';
import { BackHome } from '../../../components/BackHome';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { useShop } from '../../../store';
import { formatDate, formatFen } from '../../../utils/format';
import { useRequireLogin } from '../../../utils/hooks';
import { expiringText, growthHint, tierThreshold } from '../../../utils/members';
import { PAGES } from '../../../utils/nav';
import './index.scss';

const ENTRIES = [
  { label: '积分明细', url: PAGES.pointsHistory, className: 'e2e-entry-points' },
  { label: '每日签到', url: PAGES.checkIn, className: 'e2e-entry-check-in' },
  { label: '积分商城', url: PAGES.pointsMall, className: 'e2e-entry-mall' },
  { label: '邀请好友', url: PAGES.invite, className: 'e2e-entry-invite' },
];

/** '03-18' → '3月18日'. */
function birthdayText(birthday: string): string {
  const [m, d] = birthday.split('-');
  return `${Number(m)}月${Number(d)}日`;
}

/** 生日: month and day from a date picker over a leap year (so 2月29日 can be chosen), saved by the server. */
function BirthdayRow() {
  const birthday = useShop((s) => s.user?.birthday ?? null);
  const { saveBirthday } = useShop.getState();
  const pick = async (value: string) => {
    const md = value.slice(5, 10);
    if (!/^\d{2}-\d{2}$/.test(md) || md === birthday) return;
    if (await saveBirthday(md)) void Taro.showToast({ title: '生日已保存', icon: 'success' });
  };
  return (
    <Picker mode="date" fields="day" start="2000-01-01" end="2000-12-31" value={`2000-${birthday ?? '01-01'}`} onChange={(e) => void pick(String(e.detail.value))}>
      <View className="member-entries__item row row--between e2e-birthday">
        <Text>生日</Text>
        <Text className="muted">
          {birthday ? birthdayText(birthday) : '去设置'}
          <ArrowRight size={12} color="#999" />
        </Text>
      </View>
    </Picker>
  );
}

/** 会员中心: the level with its growth to the next tier, every tier's benefits, the points and where to use them. */
export default function MemberCenterPage() {
  const loggedIn = useRequireLogin();
  const member = useShop((s) => s.member);
  const status = useShop((s) => s.memberStatus);
  const tiers = useShop((s) => s.tiers);
  const tiersStatus = useShop((s) => s.tiersStatus);
  const { loadMember, loadTiers } = useShop.getState();

  useDidShow(() => {
    if (!useShop.getState().isLoggedIn()) return;
    void loadMember();
    void loadTiers();
  });

  let body;
  if (!loggedIn || (!member && (status === 'idle' || status === 'loading'))) body = <ListSkeleton count={3} />;
  else if (!member) body = <EmptyState status="error" text="会员信息加载失败" actionText="重新加载" onAction={() => void loadMember()} />;
  else
    body = (
      <>
        <View className="member-card e2e-level-card" data-level={member.level}>
          <View className={`row row--between${process.env.TARO_ENV === 'h5' ? ' member-card__top--h5' : ''}`}>
            <Text className="member-card__level e2e-center-level">{member.levelName}会员</Text>
            {member.levelSince !== null && <Text className="member-card__since">{formatDate(member.levelSince)} 起</Text>}
          </View>
          <View className="member-card__growth">
            累计消费 {formatFen(member.growth.spentFen)} · 邀请好友 {member.growth.invites} 位
          </View>
          <View className="member-card__progress">
            <Progress percent={member.next ? member.next.progressPercent : 100} color="#f3dcb2" background="rgba(255,255,255,0.2)" />
          </View>
          <View className="member-card__hint e2e-growth-hint">{growthHint(member.next)}</View>
          {member.next && member.next.unlocks.length > 0 && (
            <View className="member-card__unlocks">
              升级{member.next.name}后解锁：{member.next.unlocks.join('、')}
            </View>
          )}
        </View>

        <View className="card">
          <View className="card__title">我的积分</View>
          <View className="member-points">
            <View className="member-points__cell">
              <Text className="member-points__value e2e-center-points">{member.points.available}</Text>
              <Text className="muted">可用积分</Text>
            </View>
            <View className="member-points__cell">
              <Text className="member-points__value">{member.points.pending}</Text>
              <Text className="muted">待到账</Text>
            </View>
          </View>
          <View className="member-points__expiring muted e2e-expiring">
            {expiringText(member.points.expiringSoon)}
            {member.points.expiringSoon.firstAt !== null && `（最早 ${formatDate(member.points.expiringSoon.firstAt)}）`}
          </View>
          <View className="member-entries">
            {ENTRIES.map((e) => (
              <View key={e.url} className={`member-entries__item row row--between ${e.className}`} onClick={() => void Taro.navigateTo({ url: e.url })}>
                <Text>{e.label}</Text>
                <ArrowRight size={12} color="#999" />
              </View>
            ))}
          </View>
        </View>

        <View className="card">
          <View className="card__title">我的资料</View>
          <View className="member-entries">
            <BirthdayRow />
          </View>
        </View>

        <View className="card">
          <View className="card__title">当前权益</View>
          {member.benefits.length ? (
            <View className="member-benefits">
              {member.benefits.map((b) => (
                <Text key={b} className="member-benefits__item">
                  {b}
                </Text>
              ))}
            </View>
          ) : (
            <View className="muted">暂无专属权益</View>
          )}
        </View>

        <View className="card">
          <View className="card__title">等级权益对比</View>
          {tiersStatus === 'error' && tiers.length === 0 ? (
            <EmptyState status="error" text="等级权益加载失败" actionText="重新加载" onAction={() => void loadTiers()} />
          ) : tiers.length === 0 ? (
            <ListSkeleton count={1} />
          ) : (
            <ScrollView scrollX className="member-tiers">
              <View className="member-tiers__row">
                {tiers.map((t) => (
                  <View key={t.level} className={`member-tier e2e-tier${t.level === member.level ? ' member-tier--current' : ''}`} data-level={t.level}>
                    <View className="member-tier__name">
                      {t.name}
                      {t.level === member.level && <Text className="member-tier__mine">当前</Text>}
                    </View>
                    <View className="member-tier__threshold">{tierThreshold(t)}</View>
                    {t.benefits.map((b) => (
                      <View key={b} className="member-tier__benefit">
                        {b}
                      </View>
                    ))}
                  </View>
                ))}
              </View>
            </ScrollView>
          )}
        </View>
      </>
    );

  return (
    <View className="page member-center">
      <BackHome />
      {body}
    </View>
  );
}
