// The image used when a character has no PNG avatar to carry its card: a symmetric 8×8 pattern
// whose colour and shape come from the name, so the same character always gets the same picture.
import { PNG } from "pngjs";

const SIZE = 512;
const GRID = 8;
const CELL = SIZE / GRID;

export function placeholderAvatarPng(name: string): Uint8Array {
  const hash = fnv1a(name);
  const pattern = fnv1a(`${name}#pattern`);
  const hue = hash % 360;
  const foreground = hslToRgb(hue, 0.55, 0.45);
  const background = hslToRgb(hue, 0.35, 0.92);
  const png = new PNG({ width: SIZE, height: SIZE });
  for (let y = 0; y < SIZE; y++) {
    const row = Math.floor(y / CELL);
    for (let x = 0; x < SIZE; x++) {
      const column = Math.floor(x / CELL);
      // Mirror the left half onto the right: 8 rows × 4 columns = the 32 bits of the hash.
      const bit = row * (GRID / 2) + (column < GRID / 2 ? column : GRID - 1 - column);
      const [r, g, b] = (pattern >>> bit) & 1 ? foreground : background;
      const offset = (y * SIZE + x) * 4;
      png.data[offset] = r;
      png.data[offset + 1] = g;
      png.data[offset + 2] = b;
      png.data[offset + 3] = 255;
    }
  }
  return new Uint8Array(PNG.sync.write(png));
}

/** 32-bit FNV-1a over the UTF-16 code units: small, stable and well spread. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function hslToRgb(hue: number, saturation: number, lightness: number): [number, number, number] {
  const amount = saturation * Math.min(lightness, 1 - lightness);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    return Math.round((lightness - amount * Math.max(-1, Math.min(k - 3, 9 - k, 1))) * 255);
  };
  return [channel(0), channel(8), channel(4)];
}
