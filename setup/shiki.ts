import { defineShikiSetup } from '@slidev/types'

export default defineShikiSetup(() => ({
  themes: {
    light: 'github-light',
    dark: 'github-dark',
  },
}))
