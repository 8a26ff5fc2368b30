/** Writes a small fake electron-builder output folder (installers + latest*.yml) for tests. */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

export interface FakeBuild {
  folder: string;
  version: string;
  files: Record<string, Buffer>;
}

export function sha512b64(data: Buffer): string {
  return createHash('sha512').update(data).digest('base64');
}

export async function writeFakeBuild(parent: string, version: string): Promise<FakeBuild> {
  const folder = path.join(parent, `build-${version}-${randomBytes(3).toString('hex')}`);
  await fs.mkdir(folder, { recursive: true });
  const date = '2026-11-22T04:00:00.000Z';
  const artifacts: Array<[string, string]> = [
    ['latest.yml', `Sibantong-${version}-win-x64.exe`],
    ['latest-linux.yml', `Sibantong-${version}-linux-x86_64.AppImage`],
    ['latest-linux-arm64.yml', `Sibantong-${version}-linux-arm64.AppImage`],
  ];
  const files: Record<string, Buffer> = {};
  for (const [feed, name] of artifacts) {
    const body = Buffer.concat([Buffer.from(`fake installer ${name}\n`), randomBytes(4096)]);
    files[name] = body;
    await fs.writeFile(path.join(folder, name), body);
    const sha512 = sha512b64(body);
    const info = {
      version,
      files: [{ url: name, sha512, size: body.length }],
      path: name,
      sha512,
      releaseDate: date,
    };
    await fs.writeFile(path.join(folder, feed), yaml.dump(info, { lineWidth: -1 }));
  }
  // A blockmap beside the Windows installer, as electron-builder writes it.
  const winName = artifacts[0]![1];
  await fs.writeFile(path.join(folder, `${winName}.blockmap`), randomBytes(64));
  return { folder, version, files };
}
