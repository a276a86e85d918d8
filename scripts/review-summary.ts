import { appendFile, readFile } from 'node:fs/promises'
import process from 'node:process'
import { parseArgs } from 'node:util'
import { parseArtifacts, reviewSummary } from './pages/summary'

// tsx scripts/review-summary.ts --subject TEXT [--artifact "LABEL|URL|HINT"]... [--slide-diff report.md] [--site-url URL]
// Appends the reviewers' job summary to $GITHUB_STEP_SUMMARY (or prints it): see scripts/pages/README.md.

const { values } = parseArgs({
  options: {
    'subject': { type: 'string', default: 'this run' },
    'artifact': { type: 'string', multiple: true, default: [] },
    'slide-diff': { type: 'string' },
    'site-url': { type: 'string' },
  },
})

const slideDiff = values['slide-diff']
  ? await readFile(values['slide-diff'], 'utf8').catch(() => `_The slide diff did not finish: no ${values['slide-diff']} (see the step's log)._`)
  : undefined
const text = reviewSummary({
  subject: values.subject,
  artifacts: parseArtifacts(values.artifact),
  slideDiff,
  siteUrl: values['site-url'],
})
if (process.env.GITHUB_STEP_SUMMARY)
  await appendFile(process.env.GITHUB_STEP_SUMMARY, text)
else
  process.stdout.write(text)
