import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { OwnSignature } from '../../shared/api/desk.js'
import { renderSignature, SIGNATURE_PLACEHOLDERS } from '../../shared/signature.js'
import { ErrorNote } from '../ui/ErrorNote.js'
import { Field } from '../ui/Field.js'
import { get, request, type Me } from './api.js'
import { brandingApi } from './brandingApi.js'

/**
 * Reply signatures in the agent app: one's own part on the profile page, a group's template in
 * Beheer → Groepen (with a preview), and the signature a reply will get, shown under the composer.
 * The rendering and its order are in shared/signature.ts; the server adds the signature to the mail.
 */
export const signatureApi = {
  own: () => get<OwnSignature>('/me/signature'),
  setOwn: (signature: string) => request<OwnSignature>('/me/signature', { method: 'PUT', body: { signature } }).then((r) => r.data),
  forTicket: (ticketId: string, signal?: AbortSignal) => get<OwnSignature>(`/tickets/${encodeURIComponent(ticketId)}/signature`, signal),
}

/** Profile page: one's own part of the groups' signatures. */
export function OwnSignatureForm({ me }: { me: Me }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const own = useQuery({ queryKey: ['signature', 'own'], queryFn: signatureApi.own })
  const [text, setText] = useState<string | null>(null)
  const [state, setState] = useState<'idle' | 'busy' | 'saved' | { error: unknown }>('idle')
  if (me.user.role === 'customer') return null
  const value = text ?? own.data?.signature ?? ''

  const save = async (e: FormEvent) => {
    e.preventDefault()
    setState('busy')
    try {
      const saved = await signatureApi.setOwn(value)
      setText(saved.signature)
      queryClient.setQueryData(['signature', 'own'], saved)
      void queryClient.invalidateQueries({ queryKey: ['signature', 'ticket'] })
      setState('saved')
    } catch (error) {
      setState({ error })
    }
  }
  return (
    <form className="panel admin-editor" onSubmit={(e) => void save(e)} aria-labelledby="profile-signature">
      <h2 id="profile-signature">{t('signature.ownTitle')}</h2>
      <p className="muted">{t('signature.ownIntro')}</p>
      {own.isError && <ErrorNote error={own.error} />}
      <Field id="profile-signature-text" label={t('signature.ownLabel')} hint={t('signature.ownHint')}>
        <textarea
          id="profile-signature-text"
          rows={4}
          maxLength={1000}
          value={value}
          disabled={!own.isSuccess}
          aria-describedby="profile-signature-text-hint"
          onChange={(e) => {
            setText(e.target.value)
            setState('idle')
          }}
        />
      </Field>
      <p role="status" className="admin-notice">
        {state === 'saved' && <span className="notice">{t('signature.ownSaved')}</span>}
      </p>
      {typeof state === 'object' && <ErrorNote error={state.error} />}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={state === 'busy' || !own.isSuccess}>
          {t('beheer.save')}
        </button>
      </div>
    </form>
  )
}

/** Beheer → Groepen: the group's signature template, with the placeholders listed and a preview with the editor's own part. */
export function GroupSignatureField({ value, onChange, groupName }: { value: string; onChange: (value: string) => void; groupName: string }) {
  const { t } = useTranslation()
  const own = useQuery({ queryKey: ['signature', 'own'], queryFn: signatureApi.own })
  const branding = useQuery({ queryKey: ['branding'], queryFn: ({ signal }) => brandingApi.get(signal) })
  const me = useQueryClient().getQueryData<Me>(['me'])
  const preview = renderSignature(value, {
    agentName: me?.user.name ?? '',
    agentSignature: own.data?.signature ?? '',
    groupName: groupName || t('signature.groupNameExample'),
    organisationName: branding.data?.name ?? '',
  })
  return (
    <div className="signature-field">
      <Field id="group-signature" label={t('signature.groupLabel')} hint={t('signature.groupHint', { names: SIGNATURE_PLACEHOLDERS.map(([nl]) => `{{${nl}}}`).join(', '), own: '{{agent.handtekening}}' })}>
        <textarea id="group-signature" rows={4} maxLength={2000} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby="group-signature-hint" />
      </Field>
      {value.trim() && (
        <figure className="signature-preview">
          <figcaption className="muted small">{t('signature.previewMine')}</figcaption>
          <pre>{preview}</pre>
        </figure>
      )}
    </div>
  )
}

/** Under the composer: the signature this public reply gets in its mail. */
export function ReplySignature({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation()
  const signature = useQuery({ queryKey: ['signature', 'ticket', ticketId], queryFn: ({ signal }) => signatureApi.forTicket(ticketId, signal), staleTime: 60_000 })
  if (!signature.isSuccess) return null
  return (
    <details className="signature-preview">
      <summary className="muted small">{signature.data.signature ? t('signature.composerSummary') : t('signature.composerMailbox')}</summary>
      {signature.data.signature && <pre>{signature.data.signature}</pre>}
    </details>
  )
}
