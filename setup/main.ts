import { defineAppSetup } from '@slidev/types'

// Fonts are bundled from npm so that no slide ever asks a font CDN for anything:
// the venue's wifi must never decide what the deck looks like.
import '@fontsource/inter/latin-400.css'
import '@fontsource/inter/latin-600.css'
import '@fontsource/inter/latin-700.css'
import '@fontsource/fira-code/latin-400.css'
import '@fontsource/fira-code/latin-600.css'
import './style.css'
import './print.css'

export default defineAppSetup(() => {})
