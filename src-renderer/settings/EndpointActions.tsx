// The buttons of an endpoint row (Docker or Proxmox): test the connection, and edit or
// delete it when the administrator allows endpoint editing.
import { useT } from '../i18n/i18n';

export interface EndpointActionsProps {
  name: string;
  /** data-testid of each button: the two endpoint kinds keep their own hooks. */
  testIds: { test: string; edit: string; delete: string };
  testing: boolean;
  canEdit: boolean;
  /** Defaults to canEdit; a policy endpoint may be edited (its secret) but never deleted. */
  canDelete?: boolean;
  onTest: () => void;
  onEdit: () => void;
  onDelete: () => void;
}

export function EndpointActions({ name, testIds, testing, canEdit, canDelete = canEdit, onTest, onEdit, onDelete }: EndpointActionsProps) {
  const t = useT();
  return (
    <div className="endpoint-actions" role="group" aria-label={t('instance.actionsLabel', { name })}>
      <button
        type="button"
        className="button button-secondary button-small"
        data-testid={testIds.test}
        disabled={testing}
        aria-busy={testing}
        onClick={onTest}
      >
        {testing ? (
          <>
            <span className="spinner spinner-small" aria-hidden="true" />
            {t('endpoints.testing')}
          </>
        ) : (
          t('endpoints.test')
        )}
      </button>
      {canEdit ? (
        <button type="button" className="button button-ghost button-small" data-testid={testIds.edit} aria-label={t('card.editLabel', { name })} onClick={onEdit}>
          {t('common.edit')}
        </button>
      ) : null}
      {canDelete ? (
        <>
          <button
            type="button"
            className="button button-ghost button-small button-ghost-danger"
            data-testid={testIds.delete}
            aria-label={t('card.deleteLabel', { name })}
            onClick={onDelete}
          >
            {t('common.delete')}
          </button>
        </>
      ) : null}
    </div>
  );
}
