import process from 'node:process'
import { defineVitePluginsSetup } from '@slidev/types'
import { liveStepsEnabled, liveStepsPlugin } from '../scripts/talk/step-server-plugin'

// Live steps (`npm run present`, which sets SLIDEV_LIVE_STEPS=1): the endpoint that runs a
// hands-on step from its slide. Only on the dev server and only in that mode: `npm run dev`,
// `build` and `export` get no plugin, so no endpoint, no token and no run controls.
export default defineVitePluginsSetup(options => liveStepsEnabled(process.env, options.mode)
  ? [
      liveStepsPlugin(options),
    ]
  : [])
