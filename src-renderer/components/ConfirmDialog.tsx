// "Are you sure?" for actions that cannot be undone. Focus starts on Cancel.
import { useId, useRef, type ReactNode } from 'react';
import { useT } from '../i18n/i18n';
import { Dialog } from './Dialog';

export interface ConfirmRequest {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  /** Red confirm button for destructive actions. */
  danger?: boolean;
  onConfirm: () => void;
}

export function ConfirmDialog({ request, onDone }: { request: ConfirmRequest; onDone: () => void }) {
  const t = useT();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const messageId = useId();
  return (
    <Dialog
      title={request.title}
      onClose={onDone}
      size="small"
      alert
      initialFocus={cancelRef}
      describedBy={messageId}
      testId="confirm-dialog"
      footer={
        <>
          <button ref={cancelRef} type="button" className="button button-secondary" onClick={onDone}>
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className={`button ${request.danger ? 'button-danger' : 'button-primary'}`}
            data-testid="confirm-dialog-confirm"
            onClick={() => {
              onDone();
              request.onConfirm();
            }}
          >
            {request.confirmLabel}
          </button>
        </>
      }
    >
      <div id={messageId} className="confirm-message">
        {request.message}
      </div>
    </Dialog>
  );
}
