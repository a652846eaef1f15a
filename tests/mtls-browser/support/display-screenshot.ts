/**
 * A screenshot of the whole virtual display, browser UI included (the PIN dialog is no page
 * content, so playwright cannot capture it): Xvfb keeps its screen as an XWD file (-fbdir, see
 * scripts/chromium/start-xvfb.sh), which this turns into a PNG with node:zlib alone.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

/** PNG chunk: length, type, data, CRC-32 of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * Writes the XWD screen dump `xwdFile` (TrueColor, 32 bits a pixel, as Xvfb's 24-bit screens
 * are) to `pngFile` as an RGB PNG. Throws on any other layout rather than writing a wrong image.
 */
export function xwdToPng(xwdFile: string, pngFile: string): void {
  const xwd = readFileSync(xwdFile);
  const field = (index: number) => xwd.readUInt32BE(index * 4);
  const [headerSize, version, format] = [field(0), field(1), field(2)];
  const [width, height, byteOrder, bitsPerPixel, bytesPerLine] = [
    field(4),
    field(5),
    field(7),
    field(11),
    field(12),
  ];
  const [redMask, greenMask, blueMask, colors] = [field(14), field(15), field(16), field(19)];
  if (version !== 7 || format !== 2 || bitsPerPixel !== 32) {
    throw new Error(`not a 32-bit ZPixmap XWD dump (v${version}, format ${format})`);
  }
  const shift = (mask: number) => 31 - Math.clz32(mask & -mask);
  const pixels = headerSize + colors * 12;
  if (xwd.length < pixels + bytesPerLine * height) throw new Error('XWD dump cut short');
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const out = y * (width * 3 + 1); // filter byte 0 (none), then RGB
    for (let x = 0; x < width; x++) {
      const at = pixels + y * bytesPerLine + x * 4;
      const value = byteOrder === 0 ? xwd.readUInt32LE(at) : xwd.readUInt32BE(at);
      rows[out + 1 + x * 3] = (value & redMask) >>> shift(redMask);
      rows[out + 2 + x * 3] = (value & greenMask) >>> shift(greenMask);
      rows[out + 3 + x * 3] = (value & blueMask) >>> shift(blueMask);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits a sample, RGB, deflate, no filter method, no interlace
  writeFileSync(
    pngFile,
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(rows)),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}
