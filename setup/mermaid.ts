import { defineMermaidSetup } from '@slidev/types'

// One visual style for every diagram. Sizes are in CSS pixels of the 980px canvas:
// 16px keeps labels readable from the back of a room. No drop shadows: Chromium prints a
// filtered box as a bitmap (a third of the PDF's bytes) and repaints it on every slide change.
export default defineMermaidSetup(() => ({
  theme: 'neutral',
  fontFamily: 'Inter, ui-sans-serif, system-ui, sans-serif',
  themeVariables: {
    fontSize: '16px',
    dropShadow: 'none',
  },
  flowchart: { htmlLabels: true, curve: 'basis' },
  sequence: { mirrorActors: false },
}))
