import { useState } from 'react';
import { message } from 'antd';
import { DomainError, type ProjectEventPayloads, type ProjectEventType } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { writeErrorText } from '../../db/caseWrites';
import { writeProjectEvent } from '../../db/projectWrites';

/**
 * Records one project event as the signed-in user on this device (db/projectWrites.ts runs
 * the hub's checks first), then asks the engine to sync. Works offline: the event is stored
 * and pushed once the hub is reachable. A refusal is shown as a message and kept in `error`
 * (the rule's Chinese text and code) for a dialog to show next to its fields.
 */
/** Why the last write was refused: the rule's Chinese text and its stable code. */
export interface WriteRefusal {
  messageZh: string;
  code: string | null;
}

export function useProjectWriter(projectId: string) {
  const { db, cfg, user, syncNow } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<WriteRefusal | null>(null);
  const write = async <T extends ProjectEventType>(
    type: T,
    payload: ProjectEventPayloads[T],
    /** Null when a later write of the same save says it. */
    okText: string | null,
  ): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await writeProjectEvent(db, projectId, type, payload, {
        actor: user,
        deviceId: cfg.deviceId,
      });
      if (okText) void message.success(okText);
      syncNow();
      return true;
    } catch (e) {
      const text = writeErrorText(e);
      setError({ messageZh: text, code: e instanceof DomainError ? e.code : null });
      void message.error(text);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { write, busy, error, clearError: () => setError(null) };
}
