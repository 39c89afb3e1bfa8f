import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import type { History, Series } from "../../../src/core/history.ts";
import { maskedCrc32c } from "../../../src/core/formats/tfrecord.ts";

const corpus = fileURLToPath(new URL("../../fixtures/corpus/", import.meta.url));

/** The bytes of a corpus fixture, e.g. `corpusBytes("lightning_metrics/camels_lr_adam.csv")`. */
export function corpusBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(corpus + path));
}

/** The text of a corpus fixture. */
export function corpusText(path: string): string {
  return readFileSync(corpus + path, "utf8");
}

/** The series called `name` in `attempt`; fails the test when there is none. */
export function seriesOf(history: History | null, name: string, attempt = 0): Series {
  const found = history?.series.find((s) => s.name === name && s.attempt === attempt);
  if (found === undefined) throw new Error(`no series ${name} in attempt ${attempt}`);
  return found;
}

/** One scalar of a test event: a `simple_value` (number) or the serialized `TensorProto` bytes. */
export type TestValue = [tag: string, value: number | Uint8Array];

/** Serializes an `Event` with a summary of scalar values (tensorflow/core/util/event.proto). */
export function encodeEvent(step: number, wallTime: number, values: TestValue[]): Uint8Array {
  const w = new BinaryWriter();
  w.tag(1, WireType.Bit64).double(wallTime);
  w.tag(2, WireType.Varint).int64(step);
  if (values.length > 0) {
    w.tag(5, WireType.LengthDelimited).fork();
    for (const [tag, value] of values) {
      w.tag(1, WireType.LengthDelimited).fork();
      w.tag(1, WireType.LengthDelimited).string(tag);
      if (typeof value === "number") w.tag(2, WireType.Bit32).float(value);
      else w.tag(8, WireType.LengthDelimited).bytes(value);
      w.join();
    }
    w.join();
  }
  return w.finish();
}

/** The `file_version` event every writer starts with. */
export function encodeVersionEvent(wallTime: number): Uint8Array {
  return new BinaryWriter().tag(1, WireType.Bit64).double(wallTime).tag(3, WireType.LengthDelimited).string("brain.Event:2").finish();
}

/** A scalar `TensorProto` as TF2's `tf.summary.scalar` writes it. */
export function encodeScalarTensor(dtype: number, field: "float_val" | "double_val" | "tensor_content", value: number): Uint8Array {
  const w = new BinaryWriter();
  w.tag(1, WireType.Varint).int32(dtype);
  w.tag(2, WireType.LengthDelimited).fork().join(); // empty TensorShapeProto: a scalar
  if (field === "float_val") w.tag(5, WireType.LengthDelimited).fork().float(value).join();
  else if (field === "double_val") w.tag(6, WireType.LengthDelimited).fork().double(value).join();
  else {
    const content = new Uint8Array(dtype === 2 ? 8 : 4);
    const view = new DataView(content.buffer);
    if (dtype === 2) view.setFloat64(0, value, true);
    else view.setFloat32(0, value, true);
    w.tag(4, WireType.LengthDelimited).bytes(content);
  }
  return w.finish();
}

/** Frames records the TFRecord way: uint64 length, masked CRC of it, data, masked CRC of the data. */
export function frameRecords(records: Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const data of records) {
    const header = new Uint8Array(12);
    const view = new DataView(header.buffer);
    view.setUint32(0, data.length, true);
    view.setUint32(8, maskedCrc32c(header.subarray(0, 8)), true);
    const footer = new Uint8Array(4);
    new DataView(footer.buffer).setUint32(0, maskedCrc32c(data), true);
    parts.push(header, data, footer);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
