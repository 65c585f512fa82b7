/**
 * Signatures of replies: a group's template with placeholders, and each person's own part of it. The same
 * rendering for the server (the e-mail adapter, which adds it to a reply's mail) and the agent app (the
 * preview in the composer and in Beheer). No runtime imports.
 *
 * The order: the group's template is the frame. Where it says {{agent.handtekening}}, the person's own part
 * goes; a template without that placeholder gets the person's own part above it. No template: the person's
 * own part alone. Neither: '' (the mail then gets the sending mailbox's signature).
 */
export const SIGNATURE_PLACEHOLDERS = [
  ['agent.naam', 'agent.name'],
  ['agent.handtekening', 'agent.signature'],
  ['groep.naam', 'group.name'],
  ['organisatie.naam', 'organisation.name'],
] as const

export interface SignatureValues {
  agentName: string
  /** The person's own part, from their profile page. */
  agentSignature: string
  groupName: string
  /** The organisation that runs the desk (Beheer → Huisstijl); '' when not set. */
  organisationName: string
}

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g
const OWN_PART = new Set<string>(SIGNATURE_PLACEHOLDERS[1])

/** The placeholders in a template that are not known (the server refuses those when a template is saved). */
export function unknownSignaturePlaceholders(template: string): string[] {
  const known = new Set<string>(SIGNATURE_PLACEHOLDERS.flat())
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]).filter((name) => !known.has(name))
}

/** The signature a reply gets, as plain text (lines); '' when there is none. */
export function renderSignature(template: string, values: SignatureValues): string {
  const own = values.agentSignature.trim()
  const frame = template.trim()
  if (!frame) return own
  const valueOf: Record<string, string> = {
    'agent.naam': values.agentName,
    'agent.handtekening': own,
    'groep.naam': values.groupName,
    'organisatie.naam': values.organisationName,
  }
  for (const [nl, en] of SIGNATURE_PLACEHOLDERS) valueOf[en] = valueOf[nl]
  const hasOwnPart = [...frame.matchAll(PLACEHOLDER)].some((m) => OWN_PART.has(m[1]))
  // A line that only an empty value made empty goes (no gap for a missing own part); blank lines of the template stay.
  const filled = frame
    .split('\n')
    .flatMap((line) => {
      const done = line.replace(PLACEHOLDER, (whole, name: string) => valueOf[name] ?? whole)
      return done.trim() === '' && line.trim() !== '' ? [] : [done.trimEnd()]
    })
    .join('\n')
    .trim()
  return hasOwnPart || !own ? filled : `${own}\n${filled}`
}
