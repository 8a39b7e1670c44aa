import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { BackHome } from '../../../components/BackHome';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { useShop } from '../../../store';
import { useRequireLogin } from '../../../utils/hooks';
import { calendarCells, monthTitle, shiftMonth } from '../../../utils/members';
import './index.scss';

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** 签到: the month's calendar with the days checked, the streak, and the button that checks in today once. */
export default function CheckInPage() {
  const loggedIn = useRequireLogin();
  const view = useShop((s) => s.checkInView);
  const status = useShop((s) => s.checkInStatus);
  const busy = useShop((s) => s.checkingIn);
  const { loadCheckIn, checkIn } = useShop.getState();
  /** What the last tap gave, as the server said. */
  const [result, setResult] = useState<string | null>(null);

  useDidShow(() => {
    if (useShop.getState().isLoggedIn()) void loadCheckIn();
  });

  const tap = async () => {
    const r = await checkIn();
    if (!r) return;
    if (r.awarded) setResult(r.bonus ? `今日签到获得 ${r.awarded} 积分（含连续签到奖励 ${r.bonus} 积分）` : `今日签到获得 ${r.awarded} 积分`);
    else setResult('今天已经签到过了，明天再来吧');
  };

  let body;
  if (!loggedIn || (!view && (status === 'idle' || status === 'loading'))) body = <ListSkeleton count={2} />;
  else if (!view) body = <EmptyState status="error" text="签到信息加载失败" actionText="重新加载" onAction={() => void loadCheckIn()} />;
  else {
    const thisMonth = view.today.slice(0, 7);
    const cells = calendarCells(view.month, view.days, view.today);
    body = (
      <>
        <View className="check-in__head">
          <View className="check-in__streak">
            已连续签到 <Text className="check-in__streak-days e2e-streak">{view.streak}</Text> 天
          </View>
          <View className="check-in__balance">
            当前积分 <Text className="e2e-check-in-points">{view.available}</Text>
          </View>
          <View className="check-in__hint">{view.hint}</View>
          <View
            className={`btn check-in__button e2e-check-in${view.checkedInToday || busy ? ' btn--disabled check-in__button--done' : ''}`}
            aria-disabled={view.checkedInToday || busy}
            onClick={() => !view.checkedInToday && !busy && void tap()}
          >
            {view.checkedInToday ? '今日已签到' : busy ? '签到中…' : '立即签到'}
          </View>
          {result && <View className="check-in__result e2e-check-in-result">{result}</View>}
        </View>

        <View className="card">
          <View className="row row--between check-in__month">
            <Text className="check-in__month-nav e2e-month-prev" onClick={() => void loadCheckIn(shiftMonth(view.month, -1))}>
              上个月
            </Text>
            <Text className="check-in__month-title">{monthTitle(view.month)}</Text>
            <Text
              className={`check-in__month-nav${view.month >= thisMonth ? ' check-in__month-nav--off' : ''}`}
              onClick={() => view.month < thisMonth && void loadCheckIn(shiftMonth(view.month, 1))}
            >
              下个月
            </Text>
          </View>
          <View className="check-in__grid">
            {WEEKDAYS.map((w) => (
              <View key={w} className="check-in__weekday">
                {w}
              </View>
            ))}
            {cells.map((c, i) => (
              <View
                key={c.day ?? `blank-${i}`}
                className={`check-in__day${c.checked ? ' check-in__day--checked e2e-day-checked' : ''}${c.today ? ' check-in__day--today' : ''}`}
                data-day={c.day ?? ''}
              >
                {c.date !== null && <Text>{c.date}</Text>}
                {c.checked && <Text className="check-in__tick">已签</Text>}
              </View>
            ))}
          </View>
        </View>
      </>
    );
  }

  return (
    <View className="page check-in">
      <BackHome />
      {body}
    </View>
  );
}
