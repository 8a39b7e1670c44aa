import { Input, Switch, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { FEEDBACK_LIMITS, FEEDBACK_TYPES, FEEDBACK_TYPE_LABEL, type FeedbackType } from '@shop/shared/src/reviews';
import { PhotoPicker } from '../../../components/PhotoPicker';
import { useShop } from '../../../store';
import { useRequireLogin } from '../../../utils/hooks';
import '../review.scss';

/**
 * 意见反馈: type, text, up to 6 photos (uploaded straight to storage as they are chosen), and whether customer service
 * may call back (only then is a phone number sent).
 */
export default function FeedbackPage() {
  const loggedIn = useRequireLogin();
  const submitting = useShop((s) => s.reviewSubmitting);
  const [type, setType] = useState<FeedbackType | null>(null);
  const [text, setText] = useState('');
  const [consent, setConsent] = useState(false);
  const [phone, setPhone] = useState('');
  const [photoKeys, setPhotoKeys] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  if (!loggedIn) return null;

  const length = [...text.trim()].length;
  const phoneOk = !consent || /^1\d{10}$/.test(phone);
  const ready = type !== null && length >= FEEDBACK_LIMITS.minText && phoneOk && !submitting && !uploading;
  const hint =
    type === null
      ? '请选择反馈类型'
      : length < FEEDBACK_LIMITS.minText
        ? `请至少填写 ${FEEDBACK_LIMITS.minText} 个字`
        : !phoneOk
          ? '请填写正确的手机号'
          : uploading
            ? '图片上传中，请稍候'
            : '';

  const submit = async () => {
    if (!ready || type === null) return;
    const message = await useShop
      .getState()
      .submitFeedback({ type, text: text.trim(), photoKeys, contactConsent: consent, ...(consent ? { phone } : {}) });
    if (!message) return;
    await Taro.showModal({ title: '提交成功', content: message, showCancel: false });
    void Taro.navigateBack();
  };

  return (
    <View className="page review-write">
      <View className="card">
        <View className="review-write__label">反馈类型</View>
        <View className="review-write__tags e2e-feedback-types">
          {FEEDBACK_TYPES.map((t) => (
            <Text key={t} className={`review-write__tag${t === type ? ' review-write__tag--on' : ''}`} onClick={() => setType(t)}>
              {FEEDBACK_TYPE_LABEL[t]}
            </Text>
          ))}
        </View>
        <Textarea
          className="review-write__text e2e-feedback-text"
          value={text}
          maxlength={FEEDBACK_LIMITS.maxText}
          placeholder="请描述你遇到的问题或建议，我们会认真查看"
          onInput={(e) => setText(e.detail.value)}
        />
        <View className="muted review-write__count">
          {[...text].length}/{FEEDBACK_LIMITS.maxText}
        </View>
        <PhotoPicker purpose="feedback" max={FEEDBACK_LIMITS.maxPhotos} hook="feedback" onChange={setPhotoKeys} onUploading={setUploading} />
        <View className="row review-write__anon">
          <Text className="grow">允许客服联系我</Text>
          <Switch checked={consent} color="#e93b3d" onChange={(e) => setConsent(e.detail.value)} />
        </View>
        {consent && (
          <Input
            className="review-write__phone e2e-feedback-phone"
            type="number"
            maxlength={11}
            value={phone}
            placeholder="联系手机号"
            onInput={(e) => setPhone(e.detail.value)}
          />
        )}
      </View>
      <View className="muted review-write__note">每天首次提交反馈可获得积分</View>
      <View className="bottom-bar">
        <View className={`btn grow e2e-feedback-submit${ready ? '' : ' btn--disabled'}`} onClick={() => (ready ? void submit() : hint && Taro.showToast({ title: hint, icon: 'none' }))}>
          {submitting ? '提交中…' : '提交反馈'}
        </View>
      </View>
    </View>
  );
}
