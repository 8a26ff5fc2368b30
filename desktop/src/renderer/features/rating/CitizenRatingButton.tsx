import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Modal, Spin, message } from 'antd';
import { RATING_LABELS_ZH, type CaseDoc } from '@sibantong/shared';
import { ratePayloadOf, type RatingSubmission } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { appendCaseEvents, makeEvent, writeErrorText } from '../../db/caseWrites';
import { requestCitizenRating, type RatingSession } from './ratingChannel';

const WHERE_ZH: Record<RatingSession['where'], string> = {
  second: '评价屏已在面向申请人的显示器上打开',
  same: '未检测到第二块显示器：评价屏已在本显示器全屏打开，请将屏幕转向申请人',
  window: '评价窗口已打开，请将其移到面向申请人的显示器上',
};

/**
 * The clerk's part of a 好差评: open the citizen's rating screen and wait. The clerk has no
 * input for the rating itself; the event is written from what the citizen's window sent, with
 * `channel: 'citizen_screen'` (shared ratePayloadOf), through the one local write path.
 */
export function CitizenRatingButton({
  doc,
  matterName,
  unitName,
}: {
  doc: CaseDoc;
  matterName: string;
  unitName: string;
}) {
  const { db, cfg, user, syncNow } = useApp();
  const [session, setSession] = useState<RatingSession | null>(null);
  const [error, setError] = useState<string | null>(null);
  const live = useRef<RatingSession | null>(null);
  useEffect(() => () => live.current?.cancel(), []);

  const record = async (s: RatingSubmission) => {
    live.current?.detach();
    live.current = null;
    try {
      await appendCaseEvents(db, doc.id, { actor: user, deviceId: cfg.deviceId }, (current) => [
        makeEvent(current, 'rate', ratePayloadOf(s), user, cfg.deviceId),
      ]);
    } catch (e) {
      setError(writeErrorText(e));
      return;
    }
    setSession(null);
    void message.success(`申请人已评价：${RATING_LABELS_ZH[s.level]}`);
    syncNow();
  };

  const open = async () => {
    setError(null);
    try {
      const s = await requestCitizenRating(
        {
          kind: 'rating-request',
          sessionId: `${cfg.deviceId}:${Date.now()}`,
          caseId: doc.id,
          provisionalNo: doc.provisionalNo,
          matterName: matterName.slice(0, 200),
          unitName: unitName.slice(0, 200),
        },
        (r) => void record(r),
        setError,
      );
      live.current = s;
      setSession(s);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const cancel = () => {
    live.current?.cancel();
    live.current = null;
    setSession(null);
  };

  return (
    <>
      <Button type="primary" onClick={() => void open()} data-testid="open-citizen-rating">
        请申请人评价
      </Button>
      {error && !session && (
        <Alert
          type="error"
          showIcon
          title={error}
          style={{ marginTop: 8 }}
          data-testid="rating-open-error"
        />
      )}
      <Modal
        open={session !== null}
        title="等待申请人评价"
        onCancel={cancel}
        footer={<Button onClick={cancel}>取消评价</Button>}
        maskClosable={false}
      >
        <div data-testid="rating-waiting">
          <p>{session && WHERE_ZH[session.where]}</p>
          <p>
            <Spin size="small" />{' '}
            请申请人在评价屏上选择评价并提交，结果将自动记录（工作人员不能代为评价）。
          </p>
          {error && <Alert type="error" showIcon title={error} />}
        </div>
      </Modal>
    </>
  );
}
