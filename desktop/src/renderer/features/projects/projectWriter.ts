import { useState } from 'react';
import { message } from 'antd';
import type { ProjectEventPayloads, ProjectEventType } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { writeErrorText } from '../../db/caseWrites';
import { writeProjectEvent } from '../../db/projectWrites';

/**
 * Records one project event as the signed-in user on this device (db/projectWrites.ts runs
 * the hub's checks first), then asks the engine to sync. Works offline: the event is stored
 * and pushed once the hub is reachable.
 */
export function useProjectWriter(projectId: string) {
  const { db, cfg, user, syncNow } = useApp();
  const [busy, setBusy] = useState(false);
  const write = async <T extends ProjectEventType>(
    type: T,
    payload: ProjectEventPayloads[T],
    okText: string,
  ): Promise<boolean> => {
    setBusy(true);
    try {
      await writeProjectEvent(db, projectId, type, payload, {
        actor: user,
        deviceId: cfg.deviceId,
      });
      void message.success(okText);
      syncNow();
      return true;
    } catch (e) {
      void message.error(writeErrorText(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { write, busy };
}
