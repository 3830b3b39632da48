// Reading zip archives from strangers. fflate's unzipSync inflates each entry into a buffer of
// its declared size and keeps inflating past the end when the size lies, so the central directory
// is read here (every name and declared size is checked before anything is inflated) and each
// entry is inflated by node:zlib with `maxOutputLength`, which stops as soon as it overflows.
import { crc32, inflateRawSync } from "node:zlib";
import { type CardLimits, formatBytes, formatCount } from "./limits";
import { CardImportError } from "./report";

export interface ZipEntry {
  name: string;
  method: number;
  encrypted: boolean;
  compressedSize: number;
  size: number;
  crc: number;
  localHeaderOffset: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

function damaged(detail: string): CardImportError {
  return new CardImportError("unprocessable:card_archive", `the CHARX archive is damaged: ${detail}`);
}

/** Lists the files (not folders) in the archive, enforcing the entry-count and size limits. */
export function readZipDirectory(bytes: Uint8Array, limits: CardLimits): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndOfDirectory(bytes, view);
  const count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  if (count === 0xffff || offset === 0xffffffff) {
    throw new CardImportError("unprocessable:card_archive", "the CHARX archive uses ZIP64, which Troupe does not read");
  }
  if (count > limits.maxArchiveEntries) {
    throw new CardImportError(
      "payload_too_large:card_archive",
      `the CHARX archive has ${formatCount(count)} files; the limit is ${formatCount(limits.maxArchiveEntries)}`,
    );
  }
  const entries = new Map<string, ZipEntry>();
  let declaredTotal = 0;
  for (let index = 0; index < count; index++) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== DIRECTORY_ENTRY) {
      throw damaged("its file list is cut short");
    }
    const flags = view.getUint16(offset + 8, true);
    const nameLength = view.getUint16(offset + 28, true);
    const next = offset + 46 + nameLength + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true);
    if (next > bytes.length) throw damaged("its file list is cut short");
    const nameBytes = bytes.subarray(offset + 46, offset + 46 + nameLength);
    // Bit 11 marks UTF-8 names; older tools write CP437, read here as Latin-1 (card paths are ASCII).
    const name = Buffer.from(nameBytes).toString(flags & 0x800 ? "utf8" : "latin1");
    checkSafeName(name);
    const entry: ZipEntry = {
      name,
      method: view.getUint16(offset + 10, true),
      encrypted: (flags & 1) === 1,
      crc: view.getUint32(offset + 16, true),
      compressedSize: view.getUint32(offset + 20, true),
      size: view.getUint32(offset + 24, true),
      localHeaderOffset: view.getUint32(offset + 42, true),
    };
    declaredTotal += entry.size;
    if (declaredTotal > limits.maxArchiveBytes) {
      throw new CardImportError(
        "payload_too_large:card_archive",
        `the CHARX archive unpacks to more than ${formatBytes(limits.maxArchiveBytes)} (the limit)`,
      );
    }
    if (!name.endsWith("/") && !entries.has(name)) entries.set(name, entry);
    offset = next;
  }
  return entries;
}

function findEndOfDirectory(bytes: Uint8Array, view: DataView): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  const last = bytes.length - 22;
  for (let offset = last; offset >= 0 && offset >= last - 0xffff; offset--) {
    if (view.getUint32(offset, true) === END_OF_DIRECTORY) return offset;
  }
  throw damaged("its file list (central directory) is missing");
}

/** Nothing is written to disk, but a name that climbs out of the archive marks a hostile file. */
function checkSafeName(name: string): void {
  const unsafe =
    name.startsWith("/") ||
    name.includes("\\") ||
    name.includes("\0") ||
    /^[a-zA-Z]:/.test(name) ||
    name.split("/").includes("..");
  if (unsafe) {
    throw new CardImportError(
      "unprocessable:card_archive_path",
      `the CHARX archive contains an unsafe file name: ${JSON.stringify(name)}`,
    );
  }
}

/** The entry's bytes, never more than its declared size, checked against its CRC. */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const where = `${entry.name} in the CHARX archive`;
  if (entry.encrypted) throw new CardImportError("unprocessable:card_archive", `${where} is encrypted`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = entry.localHeaderOffset;
  if (header + 30 > bytes.length || view.getUint32(header, true) !== LOCAL_HEADER) {
    throw damaged(`${entry.name} is not where its file list says`);
  }
  const start = header + 30 + view.getUint16(header + 26, true) + view.getUint16(header + 28, true);
  const compressed = bytes.subarray(start, start + entry.compressedSize);
  if (compressed.length !== entry.compressedSize) throw damaged(`${entry.name} is cut short`);

  let data: Uint8Array;
  // A copy for stored entries, so the result does not keep the whole archive alive.
  if (entry.method === STORED) data = compressed.slice();
  else if (entry.method === DEFLATED) data = inflateBounded(compressed, entry, where);
  else {
    throw new CardImportError(
      "unprocessable:card_archive",
      `${where} uses compression method ${entry.method}, which Troupe does not read`,
    );
  }
  if (data.length !== entry.size) throw damaged(`${entry.name} is not the size its file list says`);
  if (crc32(data) !== entry.crc) throw damaged(`${entry.name} fails its checksum`);
  return data;
}

function inflateBounded(compressed: Uint8Array, entry: ZipEntry, where: string): Uint8Array {
  try {
    const inflated = inflateRawSync(compressed, { maxOutputLength: Math.max(entry.size, 1) });
    return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
  } catch (error) {
    if (error instanceof RangeError && "code" in error && error.code === "ERR_BUFFER_TOO_LARGE") {
      throw new CardImportError(
        "payload_too_large:card_archive",
        `${where} unpacks to more than the ${formatBytes(entry.size)} it declares (a decompression bomb?)`,
      );
    }
    throw damaged(`${entry.name} cannot be decompressed`);
  }
}
