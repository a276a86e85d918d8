import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  plugins: [vue()],
  test: {
    include: ['test/**/*.test.ts'],
    // Browser tests build decks and drive Chromium: two at a time is what two cores take.
    maxWorkers: 2,
    testTimeout: 20_000,
    // A browser test polls a Playwright call that first waits for its element (up to 30 s).
    // Vitest 5 counts that wait against the poll's timeout (1 s unless told), Vitest 4 did not.
    expect: {
      poll: { timeout: 30_000 },
    },
    hookTimeout: 240_000,
  },
})
