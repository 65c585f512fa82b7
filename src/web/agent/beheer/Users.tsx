import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { Role } from '../../../shared/api/accounts.js'
import { ErrorNote } from '../../ui/ErrorNote.js'
import { Field } from '../../ui/Field.js'
import type { User } from '../api.js'
import { useGroups } from '../DeskSelects.js'
import { beheerApi } from './beheerApi.js'
import { ScreenHead } from './ScreenHead.js'

const ROLES: readonly Role[] = ['agent', 'supervisor', 'admin', 'customer']
type Status = 'active' | 'inactive' | 'all'

/** People: staff and customers. Find, add (with an invitation by mail), change role, groups and language, switch off. */
export function Users() {
  const { t } = useTranslation()
  const [q, setQ] = useState('')
  const [role, setRole] = useState<Role | ''>('')
  const [status, setStatus] = useState<Status>('active')
  const [editing, setEditing] = useState<User | 'new' | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const groups = useGroups()
  const list = useQuery({
    queryKey: ['users', 'beheer', q, role],
    queryFn: ({ signal }) => beheerApi.users({ q: q.trim() || undefined, role: role || undefined, limit: 200 }, signal),
    placeholderData: (previous) => previous,
  })
  const shown = list.data?.items.filter((u) => status === 'all' || u.active === (status === 'active')) ?? []
  const groupNames = (u: User) => u.groupIds.map((id) => groups.data?.find((g) => g.id === id)?.name).filter(Boolean).join(', ')

  return (
    <div className="beheer">
      <ScreenHead title={t('beheer.users.title')} notice={notice}>
        {editing === null && (
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
            {t('beheer.users.add')}
          </button>
        )}
      </ScreenHead>
      {editing !== null && (
        <UserEditor
          key={editing === 'new' ? 'new' : editing.id}
          user={editing === 'new' ? null : editing}
          onDone={(message) => {
            setEditing(null)
            setNotice(message)
          }}
        />
      )}
      <form className="row wrap admin-filters" role="search" onSubmit={(e) => e.preventDefault()} aria-label={t('beheer.users.filters')}>
        <Field id="users-q" label={t('beheer.users.search')}>
          <input id="users-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </Field>
        <Field id="users-role" label={t('beheer.users.role')}>
          <select id="users-role" value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
            <option value="">{t('beheer.users.allRoles')}</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`beheer.roles.${r}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="users-status" label={t('beheer.users.status')}>
          <select id="users-status" value={status} onChange={(e) => setStatus(e.target.value as Status)}>
            {(['active', 'inactive', 'all'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`beheer.users.statuses.${s}`)}
              </option>
            ))}
          </select>
        </Field>
      </form>
      <ErrorNote error={list.error} onRetry={() => void list.refetch()} />
      {list.isSuccess && shown.length === 0 && <p className="empty">{t('beheer.users.none')}</p>}
      <ul className="admin-list" aria-label={t('beheer.users.title')}>
        {shown.map((u) => (
          <li key={u.id} className="panel">
            <h2 className="admin-item-title">
              {u.name} {!u.active && <span className="badge status-closed">{t('beheer.users.statuses.inactive')}</span>}
            </h2>
            <p className="muted small admin-wrap">
              {u.email} · {t(`beheer.roles.${u.role}`)}
              {u.groupIds.length > 0 && ` · ${groupNames(u)}`}
            </p>
            <button type="button" className="btn" onClick={() => setEditing(u)} aria-label={t('beheer.editNamed', { name: u.name })}>
              {t('beheer.edit')}
            </button>
          </li>
        ))}
      </ul>
      {list.data?.nextCursor && <p className="muted small">{t('beheer.users.more')}</p>}
    </div>
  )
}

function UserEditor({ user, onDone }: { user: User | null; onDone: (message: string | null) => void }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const groups = useGroups()
  const [name, setName] = useState(user?.name ?? '')
  const [email, setEmail] = useState(user?.email ?? '')
  const [role, setRole] = useState<Role>(user?.role ?? 'agent')
  const [language, setLanguage] = useState<'nl' | 'en'>(user?.language ?? 'nl')
  const [groupIds, setGroupIds] = useState<string[]>(user?.groupIds ?? [])
  const [invite, setInvite] = useState(true)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const staff = role !== 'customer'

  const run = async (work: () => Promise<string>) => {
    setBusy(true)
    setError(null)
    try {
      const message = await work()
      await queryClient.invalidateQueries({ queryKey: ['users'] })
      await queryClient.invalidateQueries({ queryKey: ['staff'] })
      await queryClient.invalidateQueries({ queryKey: ['groups'] })
      onDone(message)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  const save = (e: FormEvent) => {
    e.preventDefault()
    void run(async () => {
      const fields = { name, role, language, groupIds: staff ? groupIds : [] }
      if (user) {
        const saved = await beheerApi.updateUser(user.id, { ...fields, ...(email.trim().toLowerCase() !== user.email && { email }) })
        return t('beheer.saved', { name: saved.name })
      }
      const created = await beheerApi.createUser({ ...fields, email })
      if (!invite) return t('beheer.saved', { name: created.name })
      await beheerApi.invite(created.id)
      return t('beheer.users.invited', { name: created.name, email: created.email })
    })
  }

  return (
    <form className="panel admin-editor" onSubmit={save} aria-label={user ? t('beheer.editNamed', { name: user.name }) : t('beheer.users.add')}>
      <div className="row wrap">
        <Field id="user-name" label={t('beheer.name')}>
          <input id="user-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoFocus />
        </Field>
        <Field id="user-email" label={t('beheer.users.email')} hint={user ? t('beheer.users.emailHint') : undefined}>
          <input id="user-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required maxLength={254} aria-describedby={user ? 'user-email-hint' : undefined} />
        </Field>
      </div>
      <div className="row wrap">
        <Field id="user-role" label={t('beheer.users.role')}>
          <select id="user-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`beheer.roles.${r}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="user-language" label={t('common.language')}>
          <select id="user-language" value={language} onChange={(e) => setLanguage(e.target.value as 'nl' | 'en')}>
            <option value="nl">{t('languages.nl')}</option>
            <option value="en">{t('languages.en')}</option>
          </select>
        </Field>
      </div>
      {staff && (
        <fieldset className="checks">
          <legend>{t('beheer.users.groups')}</legend>
          {groups.data?.length === 0 && <p className="muted small">{t('beheer.groups.none')}</p>}
          {groups.data?.map((g) => (
            <label key={g.id} className="check">
              <input type="checkbox" checked={groupIds.includes(g.id)} onChange={(e) => setGroupIds(e.target.checked ? [...groupIds, g.id] : groupIds.filter((id) => id !== g.id))} />
              <span>{g.name}</span>
            </label>
          ))}
        </fieldset>
      )}
      {!user && (
        <label className="check">
          <input type="checkbox" checked={invite} onChange={(e) => setInvite(e.target.checked)} />
          <span>{t('beheer.users.sendInvite')}</span>
        </label>
      )}
      <ErrorNote error={error} />
      <div className="row wrap">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('common.saving') : t('beheer.save')}
        </button>
        <button type="button" className="btn" onClick={() => onDone(null)}>
          {t('common.cancel')}
        </button>
        {user && user.active && (
          <button type="button" className="btn" disabled={busy} onClick={() => void run(async () => (await beheerApi.invite(user.id), t('beheer.users.invited', { name: user.name, email: user.email })))}>
            {t('beheer.users.inviteAgain')}
          </button>
        )}
        {user && (
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                const saved = await beheerApi.updateUser(user.id, { active: !user.active })
                return t(saved.active ? 'beheer.users.activated' : 'beheer.users.deactivated', { name: saved.name })
              })
            }
          >
            {user.active ? t('beheer.users.deactivate') : t('beheer.users.activate')}
          </button>
        )}
      </div>
      {user && <p className="muted small">{t('beheer.users.whyDeactivate')}</p>}
    </form>
  )
}
