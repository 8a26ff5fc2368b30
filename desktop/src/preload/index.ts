/**
 * Sandboxed preload: exposes exactly SibantongBridge as window.sibantong. No ipcRenderer, no
 * Node, no generic "send any channel" function reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { SibantongBridge, UpdateState } from '../bridge/bridgeApi';
import { IPC } from '../bridge/ipcChannels';

const bridge: SibantongBridge = {
  appVersion: () => ipcRenderer.invoke(IPC.appVersion),
  deviceKey: () => ipcRenderer.invoke(IPC.deviceKey),
  print: () => ipcRenderer.invoke(IPC.print),
  printToPdf: (suggestedName) => ipcRenderer.invoke(IPC.printToPdf, String(suggestedName)),
  protectSecret: (plain) => ipcRenderer.invoke(IPC.protectSecret, String(plain)),
  unprotectSecret: (sealed) => ipcRenderer.invoke(IPC.unprotectSecret, String(sealed)),
  setDirty: (dirty) => ipcRenderer.send(IPC.setDirty, dirty === true),
  checkForUpdates: (hubUrl) => ipcRenderer.invoke(IPC.checkForUpdates, String(hubUrl)),
  installUpdateNow: () => ipcRenderer.invoke(IPC.installUpdateNow),
  onUpdateState: (listener) => {
    const wrapped = (_e: IpcRendererEvent, state: UpdateState) => listener(state);
    ipcRenderer.on(IPC.updateState, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC.updateState, wrapped);
    };
  },
  openRatingScreen: (request) => ipcRenderer.invoke(IPC.ratingOpen, request),
  cancelRating: () => ipcRenderer.invoke(IPC.ratingCancel),
  onRatingResult: (listener) => subscribe(IPC.ratingResult, listener),
  onRatingRequest: (listener) => subscribe(IPC.ratingShow, listener),
  currentRatingRequest: () => ipcRenderer.invoke(IPC.ratingCurrent),
  submitRating: (submission) => ipcRenderer.invoke(IPC.ratingSubmit, submission),
};

/** A main → page message, handed on as untyped data: the page schema-checks it. */
function subscribe(channel: string, listener: (data: unknown) => void): () => void {
  const wrapped = (_e: IpcRendererEvent, data: unknown) => listener(data);
  ipcRenderer.on(channel, wrapped);
  return () => {
    ipcRenderer.removeListener(channel, wrapped);
  };
}

contextBridge.exposeInMainWorld('sibantong', bridge);
