// The plumbing every area module of the api layer shares: `call` turns a
// rejected binding promise into an ApiError and tells the registered
// listeners (the session store) about "locked" and "unauthorized".

import { ApiError, toApiError } from './errors';

type ErrorListener = (err: ApiError) => void;
const listeners = new Set<ErrorListener>();

/** Registers a listener called for every failed call; returns an unsubscribe function. */
export function onApiError(fn: ErrorListener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (reason) {
    const err = toApiError(reason);
    for (const fn of listeners) fn(err);
    throw err;
  }
}

// Data<T> is the plain-data shape of a generated model class (methods
// removed), so our interfaces are checked against the generated ones.
type Data<T> = T extends (infer U)[]
  ? Data<U>[] | null
  : T extends object
    ? { [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: Data<T[K]> }
    : T;

/** Builds the generated model class from our plain shape; a shape that drifted from Go fails to compile. */
export function toGo<T>(cls: { createFrom(source: unknown): T }, value: Data<T>): T {
  return cls.createFrom(value);
}

/** Go encodes an empty slice as null: lists come back as arrays. */
export const list = <T>(v: T[] | null | undefined): T[] => v ?? [];
