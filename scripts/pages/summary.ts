/** One artifact a workflow run uploaded, with the address GitHub gives it (upload-artifact's `artifact-url`). */
export interface ArtifactLink {
  label: string
  /** Empty when the upload did not happen (a step skipped or failed). */
  url: string
  /** What to do with it once downloaded. */
  hint?: string
}

function parseArtifact(arg: string): ArtifactLink {
  const [label, url = '', hint] = arg.split('|')
  return {
    label: label!.trim(),
    url: url.trim(),
    hint: hint?.trim(),
  }
}

/** `--artifact "LABEL|URL|HINT"`, as the workflow passes them. */
export function parseArtifacts(args: readonly string[]): ArtifactLink[] {
  return args.map(parseArtifact)
}

export interface ReviewSummary {
  /** e.g. "pull request #12" or a commit. */
  subject: string
  artifacts: ArtifactLink[]
  /** The slide diff's report.md, when there is one. */
  slideDiff?: string
  /** The deployed site's address (the Pages workflow). */
  siteUrl?: string
}

/** The job summary reviewers read: where the deck, its PDFs and the slide diff are, then the slide diff itself. */
export function reviewSummary(summary: ReviewSummary): string {
  const lines = [`# What this run made for review: ${summary.subject}`, '']
  if (summary.siteUrl)
    lines.push(`The deck is online at <${summary.siteUrl}> (front page: PDF and handout).`, '')
  if (summary.artifacts.length) {
    lines.push('| Artifact | Download | Then |', '|---|---|---|')
    for (const artifact of summary.artifacts) {
      const link = /^https:\/\/\S+$/.test(artifact.url)
        ? `[download](${artifact.url})`
        : 'not uploaded (see the step\'s log)'
      lines.push(`| ${artifact.label} | ${link} | ${artifact.hint ?? ''} |`)
    }
    lines.push('')
  }
  lines.push(summary.slideDiff?.trim() ? summary.slideDiff.trim() : '_No slide diff in this run._')
  lines.push('')
  return lines.join('\n')
}

export interface SiteSummary {
  base: string
  slides: number
  downloads: Array<{ label: string, href: string }>
  commit?: string
}

/** What the Pages build made, for its job summary; the deploy job adds the address. */
export function siteSummary(site: SiteSummary): string {
  const lines = [
    `## The deck as a site${site.commit ? ` (commit ${site.commit.slice(0, 12)})` : ''}`,
    '',
    `${site.slides} slides under \`${site.base}\`: the front page at \`${site.base}\`, slide N at \`${site.base}N\` (a page each), anything else from \`404.html\`; \`.nojekyll\` included.`,
  ]
  if (site.downloads.length) {
    lines.push('', 'Linked from the front page:', '')
    lines.push(...site.downloads.map(download => `- ${download.label}: \`${site.base}${download.href}\``))
  }
  lines.push('')
  return lines.join('\n')
}
