import { BinaryReader } from "@bufbuild/protobuf/wire";

/** The scalars of one TensorFlow `Event`. */
export interface ScalarEvent {
  wallTime: number;
  step: number;
  scalars: { tag: string; value: number }[];
}

// Wire types (protobuf encoding spec).
const VARINT = 0;
const BIT64 = 1;
const LEN = 2;
const BIT32 = 5;

// TensorFlow DataType values (tensorflow/core/framework/types.proto).
const DT_FLOAT = 1;
const DT_DOUBLE = 2;
const DT_INT32 = 3;
const DT_INT64 = 9;

/** Reads each field of a message, skipping those `read` leaves alone (returns false for). */
function fields(bytes: Uint8Array, read: (r: BinaryReader, field: number, wire: number) => boolean): void {
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const [field, wire] = r.tag();
    if (!read(r, field, wire)) r.skip(wire, field);
  }
}

/** Reads a repeated numeric field, packed (proto3 default) or not. */
function repeated(r: BinaryReader, wire: number, element: number, read: (r: BinaryReader) => number, into: number[]): boolean {
  if (wire === element) {
    into.push(read(r));
    return true;
  }
  if (wire !== LEN) return false;
  const packed = new BinaryReader(r.bytes());
  while (packed.pos < packed.len) into.push(read(packed));
  return true;
}

/**
 * The value of a scalar `TensorProto` (TF2 `tf.summary.scalar`), or
 * `undefined` for any other tensor (histograms, images, text). TensorFlow
 * writes the value either in the typed list (`float_val`, `double_val`, …)
 * or as raw little-endian `tensor_content`.
 */
function scalarTensor(bytes: Uint8Array): number | undefined {
  let dtype = 0;
  let size = 1;
  let content: Uint8Array | undefined;
  const values: number[] = [];
  fields(bytes, (r, field, wire) => {
    if (field === 1 && wire === VARINT) dtype = r.int32();
    else if (field === 2 && wire === LEN) {
      fields(r.bytes(), (shape, f, w) => {
        if (f !== 1 || w !== LEN) return false;
        fields(shape.bytes(), (dim, g, v) => (g === 1 && v === VARINT ? ((size *= Number(dim.int64())), true) : false));
        return true;
      });
    } else if (field === 4 && wire === LEN) content = r.bytes();
    else if (field === 5) return repeated(r, wire, BIT32, (x) => x.float(), values);
    else if (field === 6) return repeated(r, wire, BIT64, (x) => x.double(), values);
    else if (field === 7) return repeated(r, wire, VARINT, (x) => x.int32(), values);
    else if (field === 10) return repeated(r, wire, VARINT, (x) => Number(x.int64()), values);
    else return false;
    return true;
  });
  if (size !== 1) return undefined;
  if (content !== undefined && content.length > 0) {
    const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
    if (dtype === DT_FLOAT && content.length === 4) return view.getFloat32(0, true);
    if (dtype === DT_DOUBLE && content.length === 8) return view.getFloat64(0, true);
    if (dtype === DT_INT32 && content.length === 4) return view.getInt32(0, true);
    if (dtype === DT_INT64 && content.length === 8) return Number(view.getBigInt64(0, true));
    return undefined;
  }
  const numeric = dtype === DT_FLOAT || dtype === DT_DOUBLE || dtype === DT_INT32 || dtype === DT_INT64;
  return numeric && values.length === 1 ? values[0] : undefined;
}

/** One `Summary.Value` as a tagged scalar, or `undefined` when it is not one. */
function summaryValue(bytes: Uint8Array): { tag: string; value: number } | undefined {
  let tag = "";
  let value: number | undefined;
  fields(bytes, (r, field, wire) => {
    if (field === 1 && wire === LEN) tag = r.string();
    else if (field === 2 && wire === BIT32) value = r.float();
    else if (field === 8 && wire === LEN) value = scalarTensor(r.bytes());
    else return false;
    return true;
  });
  return value === undefined ? undefined : { tag, value };
}

/**
 * Decodes the scalars of one serialized `Event` (tensorflow/core/util/
 * event.proto): `wall_time` (1), `step` (2) and `summary` (5), whose values
 * are read from `simple_value` (PyTorch's SummaryWriter, TF1) or from a
 * scalar `tensor` (TF2). Other events (`file_version`, graphs, histograms)
 * give no scalars. Throws on bytes that are not a protobuf message; the
 * caller reports that.
 */
export function decodeEvent(bytes: Uint8Array): ScalarEvent {
  const event: ScalarEvent = { wallTime: 0, step: 0, scalars: [] };
  fields(bytes, (r, field, wire) => {
    if (field === 1 && wire === BIT64) event.wallTime = r.double();
    else if (field === 2 && wire === VARINT) event.step = Number(r.int64());
    else if (field === 5 && wire === LEN) {
      fields(r.bytes(), (summary, f, w) => {
        if (f !== 1 || w !== LEN) return false;
        const value = summaryValue(summary.bytes());
        if (value !== undefined) event.scalars.push(value);
        return true;
      });
    } else return false;
    return true;
  });
  return event;
}
