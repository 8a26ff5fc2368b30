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
  /** clerk's window → main: open the citizen's rating screen for a case */
  ratingOpen: 'sbt:rating-open',
  ratingCancel: 'sbt:rating-cancel',
  /** rating window → main: the citizen's choice */
  ratingSubmit: 'sbt:rating-submit',
  /** rating window → main: the open request, if any (on start) */
  ratingCurrent: 'sbt:rating-current',
  /** main → renderer */
  updateState: 'sbt:update-state',
  /** main → rating window: the case to rate (null: idle) */
  ratingShow: 'sbt:rating-show',
  /** main → clerk's window: the citizen's rating */
  ratingResult: 'sbt:rating-result',
} as const;

export type IpcChannel = (typeof IPC)[keyof typeof IPC];
