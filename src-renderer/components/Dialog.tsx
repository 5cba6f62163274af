// A modal dialog on the native <dialog> element: the page behind is inert, focus stays
// inside, Escape asks to close, and focus returns to where it was.
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { useT } from '../i18n/i18n';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/** Tab from the last control goes to the first and Shift+Tab from the first to the last. */
export function trapTab(event: KeyboardEvent<HTMLDialogElement>): void {
  if (event.key !== 'Tab') return;
  const focusable = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => el.offsetParent !== null && !el.closest('[inert]') && !el.closest('fieldset[disabled]'),
  );
  // Only this dialog's own controls: a nested dialog traps its own.
  const own = focusable.filter((el) => el.closest('dialog') === event.currentTarget);
  if (own.length === 0) return;
  const first = own[0]!;
  const last = own[own.length - 1]!;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

export interface DialogProps {
  title: ReactNode;
  /** Called for Escape and the close button; the parent unmounts the dialog. */
  onClose: () => void;
  children: ReactNode;
  /** Buttons along the bottom edge. */
  footer?: ReactNode;
  /** Gets focus when the dialog opens (otherwise the first focusable element). */
  initialFocus?: RefObject<HTMLElement | null>;
  size?: 'small' | 'medium' | 'large';
  /** A role="alertdialog" for confirmations. */
  alert?: boolean;
  testId?: string;
  /** Wraps body and footer, e.g. a <form>, so the footer's buttons can submit it. */
  wrap?: (content: ReactNode) => ReactNode;
  describedBy?: string;
  /** Extra class on the <dialog>, for a layout of its own. */
  className?: string;
}

export function Dialog({ title, onClose, children, footer, initialFocus, size = 'medium', alert, testId, wrap, describedBy, className }: DialogProps) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    initialFocus?.current?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (previous?.isConnected) previous.focus();
    };
    // Opened once per mount; initialFocus is a ref.
  }, []);

  const content = (
    <>
      <div className="dialog-body">{children}</div>
      {footer ? <div className="dialog-footer">{footer}</div> : null}
    </>
  );

  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${size}${className ? ` ${className}` : ''}`}
      role={alert ? 'alertdialog' : undefined}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      data-testid={testId}
      onKeyDown={trapTab}
      onCancel={(event) => {
        // Escape: the parent decides (it may ask about unsaved changes).
        event.preventDefault();
        onCloseRef.current();
      }}
    >
      <div className="dialog-header">
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        <button type="button" className="icon-button" aria-label={t('common.close')} onClick={() => onCloseRef.current()}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      {wrap ? wrap(content) : content}
    </dialog>
  );
}
