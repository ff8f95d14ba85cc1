import { v5 as uuidv5, v7 as uuidv7, validate as uuidValidate } from 'uuid';

/** Injection token for the id generator. */
export const ID_GENERATOR = Symbol('ID_GENERATOR');

export interface IdGenerator {
  /** A fresh UUID (v7: time-ordered, so the events table stays append-friendly). */
  next(): string;
}

export const uuidV7Generator: IdGenerator = { next: () => uuidv7() };

/** Namespace for ids derived from other ids (RFC 9562 name-based, SHA-1). */
const DERIVED_NS = '8f1c7c1e-3f0a-5d3b-9a55-4c1b8e6a2d10';

/** A stable id derived from another: the same input always gives the same uuid. */
export function deriveId(kind: string, from: string): string {
  return uuidv5(`${kind}:${from}`, DERIVED_NS);
}

export function isUuid(value: string): boolean {
  return uuidValidate(value);
}
