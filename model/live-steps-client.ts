import type { LiveEvent, LiveState } from './live-steps'
import { applyLiveEvent, emptyLiveState, LIVE_STEPS_EVENTS, LIVE_STEPS_RUN, LIVE_STEPS_STOP, LIVE_STEPS_TOKEN_HEADER, LIVE_STEPS_TOKEN_META } from './live-steps'

// The deck page's side of live steps (`npm run present`), in the browser: the token from the
// page's meta tag, one event stream per page shared by every terminal on it, and the requests
// that run or stop a step. No Vue here: SnippetRun subscribes and renders the state.

export type LiveListener = (state: LiveState) => void

let state = emptyLiveState()
let events: EventSource | undefined
const listeners = new Set<LiveListener>()

/** The token the step server put in the page; none outside present mode. */
export function liveToken(): string | undefined {
  if (typeof document === 'undefined')
    return undefined
  return document.querySelector<HTMLMetaElement>(`meta[name="${LIVE_STEPS_TOKEN_META}"]`)?.content || undefined
}

function receive(event: LiveEvent): void {
  state = applyLiveEvent(state, event)
  for (const listener of listeners)
    listener(state)
}

/** Calls `listener` with the current state and on every change; opens the page's stream on first use. */
export function subscribeLive(token: string, listener: LiveListener): () => void {
  listeners.add(listener)
  listener(state)
  if (!events) {
    events = new EventSource(`${LIVE_STEPS_EVENTS}?token=${encodeURIComponent(token)}`)
    events.onmessage = message => receive(JSON.parse(message.data as string) as LiveEvent)
    events.onerror = () => receive({
      type: 'lost',
      message: events?.readyState === EventSource.CLOSED
        ? 'live steps refused this page: reload it (npm run present restarted?)'
        : 'live steps: no connection to npm run present, retrying…',
    })
  }
  return () => listeners.delete(listener)
}

async function post(path: string, token: string, step: string): Promise<void> {
  try {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [LIVE_STEPS_TOKEN_HEADER]: token },
      body: JSON.stringify({ step }),
    })
    if (!response.ok) {
      const { error } = await response.json().catch(() => ({})) as { error?: string }
      receive({ type: 'refused', step, message: error ?? `HTTP ${response.status}` })
    }
  }
  catch (error) {
    receive({ type: 'refused', step, message: `npm run present did not answer (${(error as Error).message})` })
  }
}

/** Asks the step server to run `step`; its output and mark arrive on the stream, a refusal here. */
export function requestRun(token: string, step: string): Promise<void> {
  return post(LIVE_STEPS_RUN, token, step)
}

export function requestStop(token: string, step: string): Promise<void> {
  return post(LIVE_STEPS_STOP, token, step)
}
