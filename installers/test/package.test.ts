/**
 * Runs electron-builder itself on this configuration as far as this machine allows: the `dir`
 * target for Linux x64 with a stand-in Electron distribution (electronDist) and a small fake
 * desktop/out. Proves the `files` selection (only out/** and package.json, no node_modules),
 * the asar, the executable name and the generic update feed baked into app-update.yml.
 * Fuses are left out here: they patch the real Electron binary, which is not present.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sbt-eb-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(file: string, text: string, mode?: number) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, mode ? { mode } : undefined);
}

describe('electron-builder packaging (dir target, stand-in Electron)', () => {
  it('packs only desktop/out and package.json into app.asar, with the hub feed', async () => {
    const app = path.join(tmp, 'app');
    write(
      path.join(app, 'package.json'),
      JSON.stringify({
        name: '@sibantong/desktop',
        version: '1.2.3',
        type: 'module',
        description: '四办通',
        main: './out/main/index.js',
      }),
    );
    write(path.join(app, 'out/main/index.js'), 'export {};\n');
    write(path.join(app, 'out/main/index.js.map'), '{}');
    write(path.join(app, 'out/preload/index.cjs'), '"use strict";\n');
    write(path.join(app, 'out/renderer/index.html'), '<!doctype html><title>四办通</title>');
    write(path.join(app, 'src/main/index.ts'), 'export {};\n');
    write(path.join(app, 'node_modules/left-pad/index.js'), 'module.exports = 1;\n');
    const dist = path.join(tmp, 'electron-dist');
    write(path.join(dist, 'electron'), '#!/bin/sh\necho stand-in\n', 0o755);
    write(path.join(dist, 'LICENSE'), 'stand-in');

    const { build, Platform, Arch } =
      require('electron-builder') as typeof import('electron-builder');
    const base = require('../electron-builder.config.cjs') as Record<string, unknown> & {
      directories: Record<string, string>;
    };
    const config = {
      ...base,
      electronDist: dist,
      directories: { ...base.directories, app, output: path.join(tmp, 'out') },
    };
    delete (config as Record<string, unknown>).electronFuses;
    await build({
      targets: Platform.LINUX.createTarget(['dir'], Arch.x64),
      config,
      publish: 'never',
      projectDir: app,
    });

    const unpacked = path.join(tmp, 'out', 'linux-unpacked');
    expect(fs.existsSync(path.join(unpacked, 'sibantong'))).toBe(true);
    const asar = require('@electron/asar') as {
      listPackage(p: string): string[];
      extractFile(p: string, f: string): Buffer;
    };
    const archive = path.join(unpacked, 'resources', 'app.asar');
    const files = asar.listPackage(archive).map((f) => f.replace(/\\/g, '/'));
    expect(files).toContain('/out/main/index.js');
    expect(files).toContain('/out/preload/index.cjs');
    expect(files).toContain('/out/renderer/index.html');
    expect(files).toContain('/package.json');
    expect(
      files.filter((f) => f.includes('node_modules') || f.startsWith('/src') || f.endsWith('.map')),
    ).toEqual([]);
    const pkg = JSON.parse(asar.extractFile(archive, 'package.json').toString());
    expect(pkg).toMatchObject({ name: 'sibantong', version: '1.2.3', main: './out/main/index.js' });
    const feed = fs.readFileSync(path.join(unpacked, 'resources', 'app-update.yml'), 'utf8');
    expect(feed).toContain('provider: generic');
    expect(feed).toMatch(/url: .*\/updates\/(stable|pilot)/);
  }, 120_000);
});
