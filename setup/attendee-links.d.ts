// The module scripts/deck/attendee-links.ts serves at build time (setup/vite-plugins.ts adds it
// in every mode): where attendees find the repository, the guide and the handout.
declare module 'virtual:attendee-links' {
  import type { AttendeeLinks } from '../model/attendee-links'

  const links: AttendeeLinks
  export default links
}
