// What every part of the catalogue store shares: its setters and its dependencies.
import type { StoreApi } from 'zustand/vanilla';
import type { ErrorInfo } from '../../src-shared/errors';
import type { call as callFn } from '../api/call';
import type { CatalogueState } from './catalogue-store';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'failed';

export interface CatalogueDeps {
  call: typeof callFn;
  /** Opens a viewer URL in a new window (browser mode); returns null when blocked. */
  openWindow: (url: string) => Window | null;
  /** Saves text as a file the user downloads. */
  download: (fileName: string, text: string, mimeType: string) => void;
}

export interface SliceContext {
  set: StoreApi<CatalogueState>['setState'];
  get: StoreApi<CatalogueState>['getState'];
  deps: CatalogueDeps;
  /** Shows a failed action in the page's error banner. */
  fail(err: unknown): void;
  /** Says something to screen readers (polite). */
  announce(message: string): void;
}

export function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _removed, ...rest } = record;
  return rest;
}

/** An outcome a form shows itself instead of in the page banner. */
export type Outcome = { ok: true } | { ok: false; error: ErrorInfo };
