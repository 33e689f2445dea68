// The bundle's icon, drawn here rather than kept as a binary: a board of three columns whose cards
// move towards done, on a teal tile. A PNG of SIZE × SIZE (512: what Claude Desktop asks for),
// anti-aliased by sampling each pixel on a 4 × 4 grid.
import { crc32, deflateSync } from 'node:zlib';

const SIZE = 512;
const SAMPLES = 4;

type Rgba = readonly [number, number, number, number];
interface Box { x: number; y: number; w: number; h: number; r: number; color: Rgba }

const TILE: Rgba = [23, 106, 98, 255];
const COLUMN: Rgba = [255, 255, 255, 40];
const CARD: Rgba = [255, 255, 255, 255];
const DONE: Rgba = [255, 200, 87, 255];

/** Back to front: the tile, three columns, then their cards (3 to do, 2 doing, 1 done). */
function shapes(): Box[] {
  const boxes: Box[] = [{ x: 0, y: 0, w: SIZE, h: SIZE, r: 112, color: TILE }];
  const columnWidth = 104;
  const cards = [3, 2, 1];
  cards.forEach((count, i) => {
    const x = 76 + i * (columnWidth + 22);
    boxes.push({ x, y: 96, w: columnWidth, h: 320, r: 20, color: COLUMN });
    for (let c = 0; c < count; c++) {
      boxes.push({ x: x + 12, y: 110 + c * 70, w: columnWidth - 24, h: 56, r: 12, color: i === 2 ? DONE : CARD });
    }
  });
  return boxes;
}

function inside(box: Box, px: number, py: number): boolean {
  const dx = Math.max(box.x + box.r - px, 0, px - (box.x + box.w - box.r));
  const dy = Math.max(box.y + box.r - py, 0, py - (box.y + box.h - box.r));
  return dx * dx + dy * dy <= box.r * box.r && px >= box.x && px <= box.x + box.w && py >= box.y && py <= box.y + box.h;
}

/** Straight-alpha RGBA of one pixel: the average of its samples, each composited back to front. */
function pixel(boxes: Box[], x: number, y: number): Rgba {
  const sum = [0, 0, 0, 0];
  for (let sy = 0; sy < SAMPLES; sy++) {
    for (let sx = 0; sx < SAMPLES; sx++) {
      const px = x + (sx + 0.5) / SAMPLES;
      const py = y + (sy + 0.5) / SAMPLES;
      let [r, g, b, a] = [0, 0, 0, 0];
      for (const box of boxes) {
        if (!inside(box, px, py)) continue;
        const alpha = box.color[3] / 255;
        [r, g, b] = [r * (1 - alpha) + box.color[0] * alpha, g * (1 - alpha) + box.color[1] * alpha, b * (1 - alpha) + box.color[2] * alpha];
        a = a + alpha * (1 - a);
      }
      sum[0]! += r * a;
      sum[1]! += g * a;
      sum[2]! += b * a;
      sum[3]! += a;
    }
  }
  const a = sum[3]!;
  if (a === 0) return [0, 0, 0, 0];
  return [Math.round(sum[0]! / a), Math.round(sum[1]! / a), Math.round(sum[2]! / a), Math.round((a / SAMPLES ** 2) * 255)];
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function iconPng(): Buffer {
  const boxes = shapes();
  const rows = Buffer.alloc(SIZE * (1 + SIZE * 4));
  for (let y = 0; y < SIZE; y++) {
    const row = y * (1 + SIZE * 4); // each row starts with its filter type, 0 (none)
    for (let x = 0; x < SIZE; x++) rows.set(pixel(boxes, x, y), row + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, RGBA, deflate, no filter method, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}
