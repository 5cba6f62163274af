// What the administrator's policy (or the packaged defaults) got wrong: shown to
// everyone, so it gets noticed and fixed. The lines come from the main process as written.
import { useT } from '../i18n/i18n';
import { useCatalogue } from './store-context';

export function PolicyProblems({ testId = 'policy-problems' }: { testId?: string }) {
  const t = useT();
  const problems = useCatalogue((s) => s.settings?.policyProblems);
  if (!problems || problems.length === 0) return null;
  return (
    <div className="notice notice-warning policy-problems" role="status" data-testid={testId}>
      <div className="notice-text">
        <strong>{t('policy.problemsTitle', { count: problems.length })}</strong> <span>{t('policy.problemsAction')}</span>
        <ul className="policy-problem-list">
          {problems.map((problem, i) => (
            <li key={i}>
              <code>{problem}</code>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
