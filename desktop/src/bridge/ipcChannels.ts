/** IPC channel names shared by the preload bridge and the main process. */
export const IPC = {
  appVersion: 'sbt:app-version',
  deviceKey: 'sbt:device-key',
  print: 'sbt:print',
  printToPdf: 'sbt:print-to-pdf',
  protectSecret: 'sbt:protect-secret',
  unprotectSecret: 'sbt:unprotect-secret',
  setDirty: 'sbt:set-dirty',
  checkForUpdates: 'sbt:check-for-updates',
  installUpdateNow: 'sbt:install-update-now',
  /** main → renderer */
  updateState: 'sbt:update-state',
} as const;

export type IpcChannel = (typeof IPC)[keyof typeof IPC];
