// @ts-check
const eslint = require('@eslint/js');
const tseslint = require('typescript-eslint');
const angular = require('angular-eslint');
const prettier = require('eslint-config-prettier');

// Frontend rooms. A feature folder builds on core/ and shared/ only, never on another feature;
// shell/ (the signed-in frame and the pages that combine features) composes them; nothing but the
// routes imports shell/. So no two folders can come to depend on each other again.
const APP = 'frontend/src/app';
const FEATURES = ['channels', 'chat', 'people', 'login', 'search'];
const rooms = [
  ...FEATURES.map((feature) => ({
    files: [`${APP}/${feature}/**/*.ts`],
    banned: [...FEATURES.filter((other) => other !== feature), 'shell'],
    why: `${feature}/ is a feature: it may import core/ and shared/ only. What needs two features belongs in shell/.`,
  })),
  {
    // files/ (uploads, attachments, images) is what a message carries: chat/ and shell/ build on it,
    // so like core/ and shared/ it imports no feature.
    files: [`${APP}/files/**/*.ts`],
    banned: [...FEATURES, 'shell'],
    why: 'files/ is used by chat/ and shell/: it may import core/ and shared/ only.',
  },
  {
    files: [`${APP}/core/**/*.ts`, `${APP}/shared/**/*.ts`],
    banned: [...FEATURES, 'shell'],
    why: 'core/ and shared/ are what the features build on: they import no feature and not shell/.',
  },
  {
    files: ['frontend/src/**/*.ts'],
    ignores: [
      `${APP}/shell/**`,
      `${APP}/app.routes.ts`,
      ...[...FEATURES, 'core', 'shared', 'files'].map((f) => `${APP}/${f}/**`),
    ],
    banned: ['shell'],
    why: 'Only the routes import shell/.',
  },
].map(({ files, ignores, banned, why }) => ({
  files,
  ...(ignores ? { ignores } : {}),
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: [{ regex: `^\\.{1,2}/(.*/)?(${banned.join('|')})/`, message: why }] },
    ],
  },
}));

module.exports = tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      '.angular/**',
      'test-results/**',
      'playwright-report/**',
      'e2e/artifacts/**',
      'bench/results/**',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [eslint.configs.recommended, ...tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['frontend/**/*.ts'],
    extends: [...angular.configs.tsRecommended],
    processor: angular.processInlineTemplates,
    rules: {
      '@angular-eslint/component-selector': [
        'error',
        { type: 'element', prefix: 'app', style: 'kebab-case' },
      ],
      '@angular-eslint/directive-selector': [
        'error',
        { type: 'attribute', prefix: 'app', style: 'camelCase' },
      ],
      '@angular-eslint/prefer-on-push-component-change-detection': 'error',
    },
  },
  ...rooms,
  {
    files: ['frontend/**/*.html'],
    extends: [...angular.configs.templateRecommended, ...angular.configs.templateAccessibility],
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [eslint.configs.recommended],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
  },
  prettier,
);
