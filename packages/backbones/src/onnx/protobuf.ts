/**
 * The few pieces of the protobuf wire format needed to read an ONNX graph's node names and to add
 * graph outputs. onnxruntime-node cannot add outputs to a session, and a full protobuf library
 * plus the ONNX schema would be the largest dependency here for four field numbers; the wire
 * format itself is frozen, so this stays correct for every ONNX file.
 */

export interface WireField {
  /** Field number. */
  no: number;
  /** Wire type: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
  wire: number;
  /** Byte range of the whole field (tag included), for splicing. */
  start: number;
  end: number;
  /** Payload range of a length-delimited field. */
  dataStart: number;
}

function readVarint(buf: Uint8Array, pos: number): [value: number, next: number] {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    const byte = buf[pos + i];
    if (byte === undefined) throw new Error('truncated protobuf (varint)');
    value += (byte & 0x7f) * mul; // multiplication, not shifts: lengths can pass 2^31
    mul *= 128;
    if (byte < 0x80) return [value, pos + i + 1];
  }
  throw new Error('malformed protobuf varint');
}

export function encodeVarint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/** The top-level fields of a message (payloads are not parsed). */
export function* fields(buf: Uint8Array, from = 0, to = buf.length): Generator<WireField> {
  let pos = from;
  while (pos < to) {
    const start = pos;
    const [tag, afterTag] = readVarint(buf, pos);
    const no = Math.floor(tag / 8);
    const wire = tag % 8;
    let end: number;
    let dataStart = afterTag;
    switch (wire) {
      case 0: end = readVarint(buf, afterTag)[1]; break;
      case 1: end = afterTag + 8; break;
      case 5: end = afterTag + 4; break;
      case 2: {
        const [len, next] = readVarint(buf, afterTag);
        dataStart = next;
        end = next + len;
        break;
      }
      default: throw new Error(`unsupported protobuf wire type ${wire} (field ${no})`);
    }
    if (end > to) throw new Error('truncated protobuf (field runs past its message)');
    yield { no, wire, start, end, dataStart };
    pos = end;
  }
}

/** A length-delimited field's payload. */
export function payload(buf: Uint8Array, f: WireField): Uint8Array {
  return buf.subarray(f.dataStart, f.end);
}

/** A length-delimited field, encoded. */
export function encodeBytesField(no: number, data: Uint8Array): Uint8Array {
  const head = [...encodeVarint(no * 8 + 2), ...encodeVarint(data.length)];
  const out = new Uint8Array(head.length + data.length);
  out.set(head, 0);
  out.set(data, head.length);
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
