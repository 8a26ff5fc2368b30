import { useEffect, useState } from 'react';
import { Button, Checkbox, Input, Result, Space, Typography } from 'antd';
import {
  BAD_RATING_REASON_LABELS_ZH,
  BAD_RATING_REASONS,
  isBadRating,
  ratingReasonProblem,
  type BadRatingReason,
  type RatingRequest,
} from '@sibantong/shared';
import { RATING_LABELS_ZH, type RatingLevel } from '@sibantong/shared';
import { listenForRatingRequest, sendCitizenRating } from './ratingChannel';

const LEVELS: RatingLevel[] = [1, 2, 3, 4, 5];
const LEVEL_COLORS: Record<RatingLevel, string> = {
  1: '#237804',
  2: '#389e0d',
  3: '#d4b106',
  4: '#d46b08',
  5: '#cf1322',
};

/**
 * The citizen's rating window (GB/T 39046 "一次一评"): big and simple, five levels, 差评
 * reasons to tick and a few words. It shows only which matter is rated, never the applicant's
 * data, holds no database and no login: the clerk's window writes the event it sends.
 */
export function RatingScreen() {
  const [request, setRequest] = useState<RatingRequest | null>(null);
  const [level, setLevel] = useState<RatingLevel | null>(null);
  const [reasons, setReasons] = useState<BadRatingReason[]>([]);
  const [text, setText] = useState('');
  const [realName, setRealName] = useState(true);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(
    () =>
      listenForRatingRequest((r) => {
        setRequest(r);
        setLevel(null);
        setReasons([]);
        setText('');
        setRealName(true);
        setDone(false);
        setError(null);
      }),
    [],
  );

  const big = { fontSize: 28 };
  if (done)
    return (
      <Result
        status="success"
        title={<span style={big}>感谢您的评价！</span>}
        data-testid="rating-thanks"
      />
    );
  if (!request)
    return (
      <Result
        status="info"
        title={<span style={big}>欢迎您！办理完成后，请在此屏幕上为我们的服务评价</span>}
        data-testid="rating-idle"
      />
    );

  const submit = async () => {
    if (level === null) return setError('请先选择您的评价');
    const problem = ratingReasonProblem(level, reasons, text);
    if (problem) return setError(problem);
    try {
      await sendCitizenRating({
        kind: 'rating-submit',
        sessionId: request.sessionId,
        caseId: request.caseId,
        level,
        reasons: isBadRating(level) ? reasons : [],
        ...(text.trim() ? { text: text.trim() } : {}),
        realName,
      });
      setDone(true);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <div
      style={{ padding: '32px 48px', maxWidth: 1100, margin: '0 auto' }}
      data-testid="rating-screen"
    >
      <Typography.Title level={1} style={{ textAlign: 'center' }}>
        请您对本次服务进行评价
      </Typography.Title>
      <p style={{ ...big, fontSize: 22, textAlign: 'center' }} data-testid="rating-matter">
        {request.unitName} · {request.matterName}（{request.provisionalNo}）
      </p>
      <Space wrap size={16} style={{ width: '100%', justifyContent: 'center', margin: '24px 0' }}>
        {LEVELS.map((l) => (
          <Button
            key={l}
            size="large"
            type={level === l ? 'primary' : 'default'}
            style={{
              ...big,
              height: 96,
              minWidth: 180,
              ...(level === l ? { background: LEVEL_COLORS[l], borderColor: LEVEL_COLORS[l] } : {}),
            }}
            onClick={() => {
              setLevel(l);
              setError(null);
              if (!isBadRating(l)) setReasons([]);
            }}
            data-testid={`rating-level-${l}`}
          >
            {RATING_LABELS_ZH[l]}
          </Button>
        ))}
      </Space>
      {level !== null && isBadRating(level) && (
        <div data-testid="rating-reasons">
          <Typography.Title level={3}>请告诉我们哪里做得不好（可多选）</Typography.Title>
          <Checkbox.Group
            value={reasons}
            onChange={(v) => {
              setReasons(v as BadRatingReason[]);
              setError(null);
            }}
            style={{ display: 'flex', flexWrap: 'wrap', gap: 16 }}
          >
            {BAD_RATING_REASONS.map((r) => (
              <Checkbox
                key={r}
                value={r}
                style={{ fontSize: 24 }}
                data-testid={`rating-reason-${r}`}
              >
                {BAD_RATING_REASON_LABELS_ZH[r]}
              </Checkbox>
            ))}
          </Checkbox.Group>
        </div>
      )}
      {level !== null && (
        <>
          <Input.TextArea
            rows={3}
            maxLength={500}
            placeholder="您的意见或建议（可不填）"
            value={text}
            onChange={(e) => setText(e.target.value)}
            style={{ fontSize: 22, marginTop: 24 }}
            data-testid="rating-text"
          />
          <Checkbox
            checked={realName}
            onChange={(e) => setRealName(e.target.checked)}
            style={{ fontSize: 22, marginTop: 16 }}
          >
            实名评价（不勾选则匿名）
          </Checkbox>
        </>
      )}
      {error && (
        <p style={{ color: '#cf1322', fontSize: 24 }} role="alert" data-testid="rating-error">
          {error}
        </p>
      )}
      <div style={{ textAlign: 'center', marginTop: 32 }}>
        <Button
          type="primary"
          size="large"
          style={{ ...big, height: 80, minWidth: 320 }}
          disabled={level === null}
          onClick={() => void submit()}
          data-testid="rating-submit"
        >
          提交评价
        </Button>
      </div>
    </div>
  );
}
