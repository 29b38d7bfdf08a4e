import { ApiError } from '../contract/errors.ts';

/**
 * Sheet XML one import may unpack. 10,000 rows of a wide sheet are a few MB of XML; a workbook whose
 * sheet unpacks to more than this is far over the row limit, and unpacking it first (the reader
 * parses the whole sheet) is what costs gigabytes.
 */
export const MAX_SHEET_XML_BYTES = 40 * 1024 * 1024;
/** Real sheets compress 5-30 times; far beyond that is a file built to expand. */
const MAX_RATIO = 200;
const RATIO_APPLIES_FROM = 1024 * 1024;

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const ZIP64 = 0xffffffff;

const fileError = (message: string) => ApiError.invalid('file', message);
const unreadable = () => fileError('the file is not a readable .xlsx workbook');

/**
 * Refuses a workbook whose parts would unpack too large, from the sizes its zip directory declares,
 * before anything is unpacked. The directory is at the end of the file and small.
 */
export function checkXlsxSizes(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record is 22 bytes plus a comment of at most 65,535.
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === EOCD) {
      end = at;
      break;
    }
  }
  if (end < 0) throw unreadable();
  const entries = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  for (let i = 0; i < entries; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) throw unreadable();
    const packed = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    if (size === ZIP64 || packed === ZIP64 || size > MAX_SHEET_XML_BYTES) {
      throw fileError(`the workbook's ${name} unpacks to more than ${MAX_SHEET_XML_BYTES / 1024 / 1024} MB: far over the row limit: split it`);
    }
    if (size > RATIO_APPLIES_FROM && size > packed * MAX_RATIO) {
      throw fileError(`the workbook's ${name} unpacks ${Math.round(size / Math.max(packed, 1))} times its packed size: not a spreadsheet as saved by a spreadsheet program`);
    }
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
}
