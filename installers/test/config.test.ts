/**
 * The electron-builder configuration, checked the way electron-builder itself checks it (its
 * JSON schema, scheme.json, and its own validateConfiguration), plus what the product needs:
 * every target and arch, artifact names with version and arch, fuses, icons.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const installers = path.resolve(here, '..');
const repo = path.resolve(installers, '..');

type Target = { target: string; arch: string[] };
type Config = Record<string, unknown> & {
  artifactName: string;
  directories: { app: string; output: string; buildResources: string };
  win: { target: Target[]; icon: string; artifactName: string };
  nsis: Record<string, unknown>;
  linux: { target: Target[]; icon: string; artifactName: string };
  deb: { artifactName: string };
  appImage: { artifactName: string };
  electronFuses: Record<string, boolean>;
  publish: Array<{ provider: string; url: string }>;
  files: string[];
};

const config = require('../electron-builder.config.cjs') as Config;
const schemePath = require.resolve('app-builder-lib/scheme.json');

describe('electron-builder configuration', () => {
  it("is valid against electron-builder's own JSON schema (app-builder-lib/scheme.json)", () => {
    const scheme = JSON.parse(fs.readFileSync(schemePath, 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
    const validate = ajv.compile(scheme);
    const ok = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it("passes electron-builder's validateConfiguration", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration(c: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
    };
    await expect(
      validateConfiguration(config, { isEnabled: false, add() {} }),
    ).resolves.toBeUndefined();
  });

  it('a broken configuration fails the same schema (the check is real)', () => {
    const scheme = JSON.parse(fs.readFileSync(schemePath, 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(
      scheme,
    );
    expect(validate({ ...config, nsis: { ...config.nsis, oneClik: false } })).toBe(false);
    expect(validate({ ...config, electronFuses: { runAsNod: false } })).toBe(false);
  });

  it('lists every target: NSIS x64, deb x64+arm64, AppImage x64+arm64', () => {
    const targets = [...config.win.target, ...config.linux.target].flatMap((t) =>
      t.arch.map((a) => `${t.target}:${a}`),
    );
    expect(targets.sort()).toEqual(
      ['nsis:x64', 'deb:x64', 'deb:arm64', 'AppImage:x64', 'AppImage:arm64'].sort(),
    );
  });

  it('names every artifact with version and arch', () => {
    for (const name of [
      config.artifactName,
      config.win.artifactName,
      config.nsis.artifactName as string,
      config.linux.artifactName,
      config.deb.artifactName,
      config.appImage.artifactName,
    ]) {
      expect(name).toContain('${version}');
      expect(name).toContain('${arch}');
      expect(name).toMatch(/^[A-Za-z0-9${}._-]+$/); // ASCII: URLs in latest.yml stay plain
    }
  });

  it('installs per machine with a Chinese NSIS UI and both shortcuts', () => {
    expect(config).toMatchObject({
      appId: 'cn.gov.sibantong.desktop',
      productName: '四办通',
      asar: true,
    });
    expect(config.nsis).toMatchObject({
      oneClick: false,
      perMachine: true,
      installerLanguages: ['zh_CN'],
      language: '2052',
      createDesktopShortcut: 'always',
      createStartMenuShortcut: true,
      shortcutName: '四办通',
    });
  });

  it('sets the fuses of the security checklist', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
    });
  });

  it('publishes a generic feed under <hub>/updates/<channel>', () => {
    expect(config.publish).toEqual([
      { provider: 'generic', url: expect.stringMatching(/\/updates\/(stable|pilot)$/) },
    ]);
  });

  it('packs desktop/out: main entry and preload match the electron-vite build', () => {
    expect(config.directories.app).toBe(path.join(repo, 'desktop'));
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'desktop/package.json'), 'utf8'));
    expect(pkg.main).toMatch(/^(\.\/)?out\/main\/index\.js$/);
    expect(config.files).toContain('out/**/*');
    const main = fs.readFileSync(path.join(repo, 'desktop/src/main/index.ts'), 'utf8');
    const vite = fs.readFileSync(path.join(repo, 'desktop/electron.vite.config.ts'), 'utf8');
    expect(main).toContain("'../preload/index.cjs'");
    expect(vite).toContain("entryFileNames: '[name].cjs'");
  });

  it('ships the icons it names (512 PNG, Linux sizes, ICO with 256)', () => {
    const build = config.directories.buildResources;
    const png = fs.readFileSync(path.join(build, 'icon.png'));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(512);
    expect(png.readUInt32BE(20)).toBe(512);
    for (const s of [16, 32, 48, 64, 128, 256, 512]) {
      expect(fs.existsSync(path.join(build, config.linux.icon, `${s}x${s}.png`))).toBe(true);
    }
    const ico = fs.readFileSync(path.join(build, config.win.icon));
    expect(ico.readUInt16LE(2)).toBe(1); // icon
    const count = ico.readUInt16LE(4);
    const widths = Array.from({ length: count }, (_, i) => ico[6 + 16 * i] || 256);
    expect(widths).toContain(256);
    expect(widths).toContain(16);
  });
});
