import { useCallback, useEffect, useState } from 'react';
import { Alert, Spin } from 'antd';
import { loadDeviceConfig, type DeviceConfig } from './auth/deviceConfig';
import { useSession } from './hooks/useExternal';
import { EnrolPage } from './features/auth/EnrolPage';
import { LoginPage } from './features/auth/LoginPage';
import { AppShell } from './features/shell/AppShell';
import { openDatabase, type AppDatabase } from './db/database';
import { loadOrCreateDataKey } from './crypto/fieldCipher';
import { addProjectCollections } from './db/projectsCollection';
import { addAttachmentCollections } from './db/attachmentsCollection';
import { startAttachmentSync } from './db/attachmentSync';

/** Top-level flow: enrol the device once → log in (online or offline) → work. */
export function App() {
  const [cfg, setCfg] = useState<DeviceConfig | null>(() => loadDeviceConfig());
  const session = useSession();
  const [db, setDb] = useState<AppDatabase | null>(null);
  const [dbError, setDbError] = useState<string | null>(null);

  // The database opens as soon as the device is enrolled (before login), so the login screen
  // can already show how many changes wait to upload.
  const deviceId = cfg?.deviceId ?? null;
  useEffect(() => {
    // Keyed on the device id only: a new hub address (Settings) keeps the same database.
    if (!deviceId) return;
    let cancelled = false;
    loadOrCreateDataKey()
      .then((key) => openDatabase(deviceId, key))
      .then(addProjectCollections)
      .then(addAttachmentCollections)
      .then((d) => {
        if (!cancelled) setDb(d);
      })
      .catch((e: unknown) =>
        setDbError(`本地数据库无法打开：${e instanceof Error ? e.message : String(e)}`),
      );
    return () => {
      cancelled = true;
    };
  }, [deviceId]);

  // Attached files go up on their own loop, apart from the case sync (docs/materials.md).
  const loggedIn = session !== null;
  useEffect(() => {
    if (!db || !cfg || !loggedIn) return;
    const uploads = startAttachmentSync(db, cfg);
    return uploads.stop;
  }, [db, cfg, loggedIn]);

  const onEnrolled = useCallback((c: DeviceConfig) => setCfg(c), []);

  if (!cfg) return <EnrolPage onEnrolled={onEnrolled} />;
  if (dbError) return <Alert type="error" showIcon title={dbError} style={{ margin: 40 }} />;
  if (!session) return <LoginPage cfg={cfg} />;
  if (!db) return <Spin fullscreen tip="正在打开本地数据库…" />;
  return <AppShell db={db} cfg={cfg} user={session.user} onConfigChange={onEnrolled} />;
}
