import process from 'node:process'
import { defineVitePluginsSetup } from '@slidev/types'
import { attendeeLinksPlugin } from '../scripts/deck/attendee-links'
import { liveStepsEnabled, liveStepsPlugin } from '../scripts/talk/step-server-plugin'

// Attendee links (every mode: dev, build, export): `virtual:attendee-links`, the repository's
// address from package.json with its QR code made at build time, for <RepoLink>.
// Live steps (`npm run present`, which sets SLIDEV_LIVE_STEPS=1): the endpoint that runs a
// hands-on step from its slide. Only on the dev server and only in that mode: `npm run dev`,
// `build` and `export` get no live-steps plugin, so no endpoint, no token and no run controls.
export default defineVitePluginsSetup(options => [
  attendeeLinksPlugin(options),
  ...(liveStepsEnabled(process.env, options.mode) ? [liveStepsPlugin(options)] : []),
])
