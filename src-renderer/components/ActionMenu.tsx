// A "more" menu (the WAI-ARIA menu button): the button opens a list of actions; arrow keys,
// Home and End move between them, Escape and a click outside close it, and focus returns
// to the button before an action runs, so a dialog the action opens gives focus back there.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

export interface MenuAction {
  /** data-testid of the item. */
  testId: string;
  label: string;
  /** The item's accessible name when the label alone is ambiguous (Delete → Delete Firefox). */
  ariaLabel?: string;
  title?: string;
  /** Shown, and announced as unavailable, but not run. */
  disabled?: boolean;
  busy?: boolean;
  danger?: boolean;
  onSelect: () => void;
}

export interface ActionMenuProps {
  /** The button's accessible name, e.g. "More actions for Firefox". */
  label: string;
  testId: string;
  actions: MenuAction[];
}

export function ActionMenu({ label, testId, actions }: ActionMenuProps) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);
  const menuId = useId();

  const items = () => [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];

  useEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    const outside = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };

  const onMenuKey = (event: KeyboardEvent<HTMLUListElement>) => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLButtonElement);
    const move = (index: number) => {
      event.preventDefault();
      list[(index + list.length) % list.length]?.focus();
    };
    if (event.key === 'ArrowDown') move(at + 1);
    else if (event.key === 'ArrowUp') move(at - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(list.length - 1);
    else if (event.key === 'Escape') {
      // The menu closes, not the dialog or page around it.
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (event.key === 'Tab') setOpen(false);
  };

  return (
    <div className="action-menu">
      <button
        ref={buttonRef}
        type="button"
        className="button button-ghost button-small action-menu-button"
        data-testid={testId}
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((was) => !was)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !open) {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      {open ? (
        <ul ref={menuRef} id={menuId} role="menu" aria-label={label} className="action-menu-list" onKeyDown={onMenuKey}>
          {actions.map((action) => (
            <li role="none" key={action.testId}>
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                className={`action-menu-item${action.danger ? ' action-menu-danger' : ''}`}
                data-testid={action.testId}
                aria-label={action.ariaLabel}
                title={action.title}
                // Not disabled: a disabled item could not be reached to learn why.
                aria-disabled={action.disabled || undefined}
                aria-busy={action.busy || undefined}
                onClick={() => {
                  if (action.disabled) return;
                  close();
                  action.onSelect();
                }}
              >
                {action.label}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
