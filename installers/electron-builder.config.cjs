/**
 * electron-builder configuration for 四办通 (Sibantong).
 *
 *   npm run -w @sibantong/installers build:win     # Windows NSIS x64 (per-machine, Chinese UI)
 *   npm run -w @sibantong/installers build:linux   # deb + AppImage, x64 and arm64
 *
 * Packaging needs Electron's zip and electron-builder's tools (NSIS, fpm, appimagetool): on a
 * machine with network, or point ELECTRON_MIRROR / ELECTRON_BUILDER_BINARIES_MIRROR at an
 * intranet mirror, or give a local unpacked Electron with SIBANTONG_ELECTRON_DIST. See
 * docs/it-guide.md. The configuration itself is validated against electron-builder's schema
 * in installers/test/.
 *
 * Updates: builds carry `publish: generic` so electron-builder writes latest.yml /
 * latest-linux.yml / latest-linux-arm64.yml beside the installers; IT then runs
 * `sibantong-hub release publish <release folder> --channel stable|pilot`. At run time the
 * client ignores the URL baked in here and uses `<hub address>/updates/<channel>` from its
 * settings (desktop/src/main/updates). See docs/updates.md.
 */
// @ts-check
/* eslint-disable @typescript-eslint/no-require-imports -- electron-builder loads this file as CommonJS */
const path = require('node:path');

const repo = path.resolve(__dirname, '..');
const electronVersion = require('electron/package.json').version;
const hub = (process.env.SIBANTONG_HUB_URL || 'https://sibantong-hub.invalid').replace(/\/+$/, '');
const channel = process.env.SIBANTONG_UPDATE_CHANNEL === 'pilot' ? 'pilot' : 'stable';

/** @type {import('app-builder-lib').Configuration} */
const config = {
  appId: 'cn.gov.sibantong.desktop',
  productName: '四办通',
  executableName: 'sibantong',
  copyright: 'Copyright © 2026 四办通',
  electronVersion,
  ...(process.env.SIBANTONG_ELECTRON_DIST
    ? { electronDist: process.env.SIBANTONG_ELECTRON_DIST }
    : {}),
  directories: {
    app: path.join(repo, 'desktop'),
    output: path.join(repo, 'release'),
    buildResources: path.join(__dirname, 'build'),
  },
  // desktop/out holds everything the app runs (main bundles electron-updater; the renderer
  // bundles its libraries), so no node_modules go into the package.
  files: ['out/**/*', 'package.json', '!out/**/*.map', '!**/node_modules/**'],
  asar: true,
  // ASCII package name inside the asar (the workspace name is scoped): also names the updater's cache folder.
  extraMetadata: { name: 'sibantong' },
  npmRebuild: false,
  buildDependenciesFromSource: false,
  compression: 'normal',
  artifactName: 'Sibantong-${version}-${os}-${arch}.${ext}',
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false,
    loadBrowserProcessSpecificV8Snapshot: false,
  },
  publish: [{ provider: 'generic', url: `${hub}/updates/${channel}` }],
  win: {
    target: [{ target: 'nsis', arch: ['x64'] }],
    icon: 'icon.ico',
    artifactName: 'Sibantong-${version}-win-${arch}.${ext}',
  },
  nsis: {
    oneClick: false,
    perMachine: true,
    allowElevation: true,
    allowToChangeInstallationDirectory: true,
    createDesktopShortcut: 'always',
    createStartMenuShortcut: true,
    shortcutName: '四办通',
    uninstallDisplayName: '四办通 ${version}',
    installerLanguages: ['zh_CN'],
    language: '2052',
    multiLanguageInstaller: false,
    displayLanguageSelector: false,
    unicode: true,
    installerIcon: 'icon.ico',
    uninstallerIcon: 'icon.ico',
    deleteAppDataOnUninstall: false,
    runAfterFinish: true,
    artifactName: 'Sibantong-${version}-win-${arch}.${ext}',
  },
  linux: {
    target: [
      { target: 'deb', arch: ['x64', 'arm64'] },
      { target: 'AppImage', arch: ['x64', 'arm64'] },
    ],
    icon: 'icons',
    category: 'Office',
    executableName: 'sibantong',
    maintainer: '县数据局信息科 <it@example.gov.cn>',
    vendor: '四办通',
    synopsis: '乡镇（街道）、村（社区）便民服务“四办”协同办理',
    description: '四办通：离线优先的基层政务服务桌面端，村居帮办、镇街领办、中心代办、部门协办。',
    desktop: {
      entry: {
        Name: '四办通',
        'Name[zh_CN]': '四办通',
        Comment: '基层政务服务四办协同',
      },
    },
    artifactName: 'Sibantong-${version}-linux-${arch}.${ext}',
  },
  deb: {
    packageName: 'sibantong',
    priority: 'optional',
    packageCategory: 'office',
    artifactName: 'Sibantong-${version}-linux-${arch}.${ext}',
  },
  appImage: {
    artifactName: 'Sibantong-${version}-linux-${arch}.${ext}',
  },
};

module.exports = config;
