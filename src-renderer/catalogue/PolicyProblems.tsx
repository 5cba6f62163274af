// What the administrator's policy (or the packaged defaults) got wrong: shown to
// everyone, so it gets noticed and fixed. The lines' fixed words are translated; the names of
// keys, files and the validator's own detail stay as written (they are what the admin edits).
import { reportLines } from '../i18n/error-text';
import { useT } from '../i18n/i18n';
import { useCatalogue } from './store-context';

export function PolicyProblems({ testId = 'policy-problems' }: { testId?: string }) {
  const t = useT();
  const english = useCatalogue((s) => s.settings?.policyProblems);
  const texts = useCatalogue((s) => s.settings?.policyProblemTexts);
  if (!english || english.length === 0) return null;
  const problems = reportLines(english, texts);
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
