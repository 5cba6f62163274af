// Lint: typescript-eslint's recommended rules on every TypeScript file.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Core errors reach windows in their own language: their words come from src-shared/error-texts.ts.
    files: ['src-main/**/*.ts', 'src-shared/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "NewExpression[callee.name=/^(DaasError|ProxmoxError)$/][arguments.1.type=/^(Literal|TemplateLiteral)$/], NewExpression[callee.name=/^(DaasError|ProxmoxError)$/][arguments.2.type=/^(Literal|TemplateLiteral)$/]",
          message:
            "Give DaasError and ProxmoxError errorText('error.…') and errorText('fix.…') (src-shared/error-texts.ts) so windows can translate them; Proxmox's own words go in as parameters.",
        },
      ],
    },
  },
);
