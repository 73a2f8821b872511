/**
 * A volume file that cannot be read as what it claims to be: the error names the file, the header
 * field (or the decoded quantity) at fault, the value found and the value expected, so the message
 * can be shown to a user as is.
 */
export class VolumeFormatError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly found: string | number,
    readonly expected: string,
  ) {
    super(`${file}: ${field} is ${String(found)}, expected ${expected}`);
    this.name = 'VolumeFormatError';
  }
}
