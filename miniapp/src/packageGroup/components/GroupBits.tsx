import { Image, Text, View } from '@tarojs/components';
import { resolveAsset } from '../../api/assets';
import { groupRemainingMs, useShop } from '../../store';
import { formatCountdown } from '../../utils/format';
import { useTicker } from '../../utils/hooks';
import './group.scss';

const GROUP_STATUS_TEXT: Record<string, string> = { OPEN: '拼团中', SUCCESS: '拼团成功', FAILED: '拼团失败' };

/** Milliseconds left until `deadlineAt` on the server's clock, ticking every second. */
export function useGroupRemaining(deadlineAt: number | null | undefined): number {
  const offset = useShop((s) => s.serverOffsetMs);
  const now = useTicker(!!deadlineAt);
  return deadlineAt ? groupRemainingMs(deadlineAt, now, offset) : 0;
}

export function GroupCountdown({ deadlineAt, className = '' }: { deadlineAt: number; className?: string }) {
  const left = useGroupRemaining(deadlineAt);
  return (
    <Text className={`e2e-group-countdown ${className}`} data-remaining-ms={String(left)}>
      {left > 0 ? `剩余 ${formatCountdown(left)}` : '已截止'}
    </Text>
  );
}

export function GroupStatusTag({ status, label }: { status: string; label?: string }) {
  return (
    <Text className={`group-status group-status--${status} e2e-group-status`} data-status={status}>
      {label || GROUP_STATUS_TEXT[status] || status}
    </Text>
  );
}

export interface MemberView {
  nickname: string;
  avatarUrl: string | null;
  leader: boolean;
  robot: boolean;
}

/** Members' avatars with their masked nicknames, then an empty seat per place still free. */
export function GroupAvatars({ members, seatsLeft }: { members: MemberView[]; seatsLeft: number }) {
  return (
    <View className="group-avatars">
      {members.map((m, i) => (
        <View className="group-avatar e2e-group-member" data-robot={m.robot ? 'true' : 'false'} key={`${m.nickname}-${i}`}>
          {m.avatarUrl ? (
            <Image className="group-avatar__img" src={resolveAsset(m.avatarUrl)} mode="aspectFill" />
          ) : (
            <View className="group-avatar__img">{m.robot ? '补' : Array.from(m.nickname)[0] ?? '?'}</View>
          )}
          <Text className="ellipsis">{m.nickname}</Text>
          {m.leader && <Text className="group-avatar__tag">团长</Text>}
          {m.robot && <Text className="group-avatar__tag group-avatar__tag--robot">系统补位</Text>}
        </View>
      ))}
      {Array.from({ length: seatsLeft }, (_, i) => (
        <View className="group-avatar" key={`seat-${i}`}>
          <View className="group-avatar__img">?</View>
          <Text>待加入</Text>
        </View>
      ))}
    </View>
  );
}
