#!/usr/bin/env node
// Draws the 四办通 icon (a red rounded tile, a white form with red lines and a gold seal) and
// writes installers/build/icon.png (512×512), icons/<n>x<n>.png for Linux, and icon.ico
// (16, 24, 32, 48, 64 as 32-bit BMP entries and 256 as PNG) for Windows and NSIS.
// Pure Node (zlib), no ImageMagick: `node installers/scripts/make-icons.mjs`.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'build');

const RED = [200, 16, 46];
const WHITE = [255, 255, 255];
const GOLD = [240, 184, 40];

function roundedRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** Colour of the unit-square point (u, v) in [0,1]², or null for transparent. */
function shade(u, v) {
  if (!roundedRect(u, v, 0.03, 0.03, 0.97, 0.97, 0.18)) return null;
  // gold seal, lower right
  if ((u - 0.7) ** 2 + (v - 0.72) ** 2 <= 0.13 ** 2) {
    if ((u - 0.7) ** 2 + (v - 0.72) ** 2 >= 0.085 ** 2) return GOLD;
    return Math.abs(u - 0.7) < 0.022 || Math.abs(v - 0.72) < 0.022 ? GOLD : RED;
  }
  // white form
  if (roundedRect(u, v, 0.22, 0.17, 0.68, 0.83, 0.04)) {
    for (const line of [0.3, 0.42, 0.54, 0.66]) {
      if (v > line - 0.025 && v < line + 0.025 && u > 0.3 && u < (line > 0.6 ? 0.48 : 0.6))
        return RED;
    }
    return WHITE;
  }
  return RED;
}

function render(size) {
  const px = Buffer.alloc(size * size * 4);
  const S = 4; // supersampling for smooth edges
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const c = shade((x + (sx + 0.5) / S) / size, (y + (sy + 0.5) / S) / size);
          if (c) {
            r += c[0];
            g += c[1];
            b += c[2];
            a++;
          }
        }
      }
      const i = (y * size + x) * 4;
      if (a > 0) {
        px[i] = Math.round(r / a);
        px[i + 1] = Math.round(g / a);
        px[i + 2] = Math.round(b / a);
      }
      px[i + 3] = Math.round((255 * a) / (S * S));
    }
  }
  return px;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++)
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
function bmpEntry(size, rgba) {
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // XOR + AND masks
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const s = (y * size + x) * 4;
      const d = ((size - 1 - y) * size + x) * 4; // bottom-up, BGRA
      pixels[d] = rgba[s + 2];
      pixels[d + 1] = rgba[s + 1];
      pixels[d + 2] = rgba[s];
      pixels[d + 3] = rgba[s + 3];
    }
  }
  const maskRow = Math.ceil(size / 32) * 4;
  return Buffer.concat([header, pixels, Buffer.alloc(maskRow * size)]);
}
function ico(sizes) {
  const images = sizes.map((s) => (s >= 256 ? png(s, render(s)) : bmpEntry(s, render(s))));
  const head = Buffer.alloc(6 + 16 * sizes.length);
  head.writeUInt16LE(0, 0);
  head.writeUInt16LE(1, 2);
  head.writeUInt16LE(sizes.length, 4);
  let offset = head.length;
  sizes.forEach((s, i) => {
    const e = 6 + 16 * i;
    head[e] = s >= 256 ? 0 : s;
    head[e + 1] = s >= 256 ? 0 : s;
    head.writeUInt16LE(1, e + 4);
    head.writeUInt16LE(32, e + 6);
    head.writeUInt32LE(images[i].length, e + 8);
    head.writeUInt32LE(offset, e + 12);
    offset += images[i].length;
  });
  return Buffer.concat([head, ...images]);
}

mkdirSync(join(out, 'icons'), { recursive: true });
writeFileSync(join(out, 'icon.png'), png(512, render(512)));
for (const s of [16, 32, 48, 64, 128, 256, 512])
  writeFileSync(join(out, 'icons', `${s}x${s}.png`), png(s, render(s)));
writeFileSync(join(out, 'icon.ico'), ico([16, 24, 32, 48, 64, 256]));
console.log(`icons written to ${out}`);
