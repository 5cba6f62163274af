// Local "are you sure?" state: render `dialog`, call `ask` to open it.
import { useState, type ReactNode } from 'react';
import { ConfirmDialog, type ConfirmRequest } from './ConfirmDialog';

export function useConfirm(): { dialog: ReactNode; ask: (request: ConfirmRequest) => void } {
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const dialog = request ? <ConfirmDialog request={request} onDone={() => setRequest(null)} /> : null;
  return { dialog, ask: setRequest };
}
