import { useState, type ReactNode } from 'react';
import { Alert, Card, Typography } from 'antd';

/**
 * The one centred card of the screens before a session exists (enrolment, login): a title, a
 * line saying what to do, the last error in words staff can act on, and the form.
 */
export function AuthCard(props: {
  title: string;
  width: number;
  testId: string;
  hint: ReactNode;
  error: string | null;
  children: ReactNode;
}) {
  return (
    <div style={{ display: 'flex', justifyContent: 'center', paddingTop: 80 }}>
      <Card title={props.title} style={{ width: props.width }} data-testid={props.testId}>
        <Typography.Paragraph type="secondary">{props.hint}</Typography.Paragraph>
        {props.error && (
          <Alert
            type="error"
            showIcon
            title={props.error}
            style={{ marginBottom: 16 }}
            data-testid="form-error"
          />
        )}
        {props.children}
      </Card>
    </div>
  );
}

/**
 * Runs a submission against the hub once at a time: `busy` while it runs (the button shows a
 * spinner and cannot be pressed twice), the thrown message as `error` when it fails.
 */
export function useSubmission() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<unknown>) => {
    setError(null);
    setBusy(true);
    try {
      await work();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return { error, setError, busy, run };
}
