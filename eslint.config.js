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
}, {
  rules: {
    // It puts every item of a list, and each part of a ternary, on a line of its own as soon as one
    // item is a call or a nested list: command lists became columns of single words.
    'antfu/reasonable-newline': 'off',
    // It lower-cases a title's first letter, acronyms too: 'README' became 'rEADME'.
    'test/prefer-lowercase-title': 'off',
  },
})
