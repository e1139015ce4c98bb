// An error already in Alibaba's terms (HTTP status, Code, Message). Raised by
// the api layer itself (signing, parameters); domain errors are mapped to
// this in errors.ts.
export class WireError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'WireError';
  }
}
