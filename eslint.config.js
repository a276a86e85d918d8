import antfu from '@antfu/eslint-config'

export default antfu({
  vue: true,
  typescript: true,
  // Slides are prose; their code lives in snippets/, which the snippet checker lints.
  markdown: false,
  ignores: [
    'dist/**',
    'snippets/**',
    'test/fixtures/**',
    '*.pdf',
  ],
}, {
  // Command-line tools talk to a person on the console and run as ES modules.
  files: ['scripts/**/*.ts', 'test/**/*.ts'],
  rules: {
    'no-console': 'off',
    'antfu/no-top-level-await': 'off',
  },
})
