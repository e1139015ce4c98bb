// An error already in Alibaba's terms (HTTP status, Code, Message). Built only
// through the catalogue in errors.ts (`wireErrors.*`, `toWireError`); eslint
// forbids `new WireError(` anywhere else.
export class WireError<C extends string = string> extends Error {
  constructor(
    readonly status: number,
    readonly code: C,
    message: string,
  ) {
    super(message);
    this.name = 'WireError';
  }
}
