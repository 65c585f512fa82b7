import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState, type ComponentType, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { UpdateUserBody } from '../../shared/api/accounts.js'
import { ErrorNote } from '../ui/ErrorNote.js'
import { Field } from '../ui/Field.js'
import { request, type Me, type User } from './api.js'
import { setLanguage } from './i18n.js'
import { NotificationChoices } from './notifications.js'
import { OwnSignatureForm } from './signatures.js'

/**
 * More parts of the profile page (notification choices, signatures): each is one line here and is shown
 * below the person's own details, in this order.
 */
export const PROFILE_PARTS: readonly ComponentType<{ me: Me }>[] = [NotificationChoices, OwnSignatureForm]

const updateMe = (body: Omit<UpdateUserBody, 'role' | 'active' | 'groupIds' | 'organisationId'>) => request<User>('/me', { method: 'PATCH', body }).then((r) => r.data)

/** The signed-in person's own page (`/profile`): name, language, password. */
export function Profile({ me }: { me: Me }) {
  const { t } = useTranslation()
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  return (
    <div className="beheer">
      <h1 ref={heading} tabIndex={-1}>
        {t('profile.title')}
      </h1>
      <p className="muted">{t('profile.intro', { email: me.user.email })}</p>
      <Details me={me} />
      <PasswordChange />
      {PROFILE_PARTS.map((Part, i) => (
        <Part key={i} me={me} />
      ))}
    </div>
  )
}

function Details({ me }: { me: Me }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const [name, setName] = useState(me.user.name)
  const [language, setLang] = useState(me.user.language)
  const [state, setState] = useState<'idle' | 'busy' | 'saved' | { error: unknown }>('idle')

  const save = async (e: FormEvent) => {
    e.preventDefault()
    setState('busy')
    try {
      const user = await updateMe({ name, language })
      queryClient.setQueryData<Me>(['me'], (old) => (old ? { ...old, user } : old))
      await setLanguage(user.language)
      setState('saved')
    } catch (error) {
      setState({ error })
    }
  }

  return (
    <form className="panel admin-editor" onSubmit={(e) => void save(e)} aria-labelledby="profile-details">
      <h2 id="profile-details">{t('profile.details')}</h2>
      <div className="row wrap">
        <Field id="profile-name" label={t('beheer.name')}>
          <input id="profile-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoComplete="name" />
        </Field>
        <Field id="profile-language" label={t('common.language')}>
          <select id="profile-language" value={language} onChange={(e) => setLang(e.target.value as 'nl' | 'en')}>
            <option value="nl">{t('languages.nl')}</option>
            <option value="en">{t('languages.en')}</option>
          </select>
        </Field>
      </div>
      <p role="status" className="admin-notice">
        {state === 'saved' && <span className="notice">{t('profile.saved')}</span>}
      </p>
      {typeof state === 'object' && <ErrorNote error={state.error} />}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={state === 'busy'}>
          {t('beheer.save')}
        </button>
      </div>
    </form>
  )
}

function PasswordChange() {
  const { t } = useTranslation()
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [repeat, setRepeat] = useState('')
  const [state, setState] = useState<'idle' | 'busy' | 'saved' | 'mismatch' | { error: unknown }>('idle')

  const save = async (e: FormEvent) => {
    e.preventDefault()
    if (next !== repeat) return setState('mismatch')
    setState('busy')
    try {
      await updateMe({ password: next, currentPassword: current })
      setCurrent('')
      setNext('')
      setRepeat('')
      setState('saved')
    } catch (error) {
      setState({ error })
    }
  }

  return (
    <form className="panel admin-editor" onSubmit={(e) => void save(e)} aria-labelledby="profile-password">
      <h2 id="profile-password">{t('profile.password')}</h2>
      <div className="row wrap">
        <Field id="profile-current" label={t('profile.current')}>
          <input id="profile-current" type="password" value={current} onChange={(e) => setCurrent(e.target.value)} required autoComplete="current-password" />
        </Field>
        <Field id="profile-new" label={t('accountLink.password.new')} hint={t('accountLink.password.hint')}>
          <input id="profile-new" type="password" value={next} onChange={(e) => setNext(e.target.value)} required minLength={8} maxLength={200} autoComplete="new-password" aria-describedby="profile-new-hint" />
        </Field>
        <Field id="profile-repeat" label={t('accountLink.password.repeat')}>
          <input id="profile-repeat" type="password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required autoComplete="new-password" />
        </Field>
      </div>
      <p role="status" className="admin-notice">
        {state === 'saved' && <span className="notice">{t('profile.passwordSaved')}</span>}
      </p>
      {state === 'mismatch' && (
        <p className="error-note" role="alert">
          {t('accountLink.password.mismatch')}
        </p>
      )}
      {typeof state === 'object' &&
        ((state.error as { status?: number }).status === 403 ? (
          <p className="error-note" role="alert">
            {t('profile.wrongCurrent')}
          </p>
        ) : (
          <ErrorNote error={state.error} />
        ))}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={state === 'busy'}>
          {t('profile.changePassword')}
        </button>
      </div>
    </form>
  )
}
