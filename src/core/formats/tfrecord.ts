import { crc32c } from "@aws-crypto/crc32c";

/** One record of a TFRecord file and where it starts. */
export interface TfRecord {
  /** Byte offset of the record's length field. */
  offset: number;
  data: Uint8Array;
}

/** Why reading stopped early or a record was left out. */
export interface FramingProblem {
  /** Byte offset of the record's length field. */
  offset: number;
  /**
   * `truncated`: the file ends inside the record (still being written);
   * `length-crc`: the length field is corrupt, so no later record can be found;
   * `data-crc`: the record's data is corrupt, and only that record is lost.
   */
  kind: "truncated" | "length-crc" | "data-crc";
}

/**
 * TFRecord's checksum: CRC-32C rotated right by 15 bits plus a constant, so
 * that a CRC of data that itself holds CRCs is not trivially zero (see
 * tensorflow/core/lib/hash/crc32c.h `Mask`).
 */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** True when `bytes` starts with a TFRecord length field whose checksum holds. */
export function isTfRecordStart(bytes: Uint8Array): boolean {
  if (bytes.length < 12) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return maskedCrc32c(bytes.subarray(0, 8)) === view.getUint32(8, true);
}

/**
 * Splits TFRecord framing: each record is a little-endian uint64 length, the
 * masked CRC-32C of those 8 bytes, the data, and the masked CRC-32C of the
 * data. Records whose data checksum fails are left out and reported; reading
 * stops at a corrupt length or at a record cut short by the end of the file.
 * Never throws.
 */
export function readTfRecords(bytes: Uint8Array): { records: TfRecord[]; problems: FramingProblem[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: TfRecord[] = [];
  const problems: FramingProblem[] = [];
  const n = bytes.length;
  let offset = 0;
  while (offset < n) {
    if (n - offset < 12) {
      problems.push({ offset, kind: "truncated" });
      break;
    }
    if (maskedCrc32c(bytes.subarray(offset, offset + 8)) !== view.getUint32(offset + 8, true)) {
      problems.push({ offset, kind: "length-crc" });
      break;
    }
    // A length over 2^53 cannot fit the file anyway; the truncation check below catches it.
    const length = view.getUint32(offset + 4, true) * 2 ** 32 + view.getUint32(offset, true);
    if (length + 16 > n - offset) {
      problems.push({ offset, kind: "truncated" });
      break;
    }
    const data = bytes.subarray(offset + 12, offset + 12 + length);
    if (maskedCrc32c(data) === view.getUint32(offset + 12 + length, true)) records.push({ offset, data });
    else problems.push({ offset, kind: "data-crc" });
    offset += length + 16;
  }
  return { records, problems };
}
