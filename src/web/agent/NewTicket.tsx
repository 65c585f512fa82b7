import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useId, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { CreateTicketBody } from '../../shared/api/tickets.js'
import { CHANNELS, PRIORITIES, TICKET_TYPES } from './model.js'
import { errorText } from '../ui/ErrorNote.js'
import { api, type User } from './api.js'
import { GroupSelect, useGroups } from './DeskSelects.js'
import { changedValues, CustomFieldInputs, fieldsFor, useTicketFields } from './ticketFields.js'
import { navigate } from './router.js'
import { EnumOptions } from './EnumOptions.js'

/** Customer lookup as you type: an ARIA 1.2 combobox over GET /users?role=customer&q=. */
export function CustomerLookup({ onPick, label }: { onPick: (u: User) => void; label?: string }) {
  const { t } = useTranslation()
  const id = useId()
  const [text, setText] = useState('')
  const [debounced, setDebounced] = useState('')
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(0)
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(text.trim()), 200)
    return () => clearTimeout(timer)
  }, [text])
  const results = useQuery({
    queryKey: ['customers', debounced],
    queryFn: ({ signal }) => api.users({ q: debounced, role: 'customer', limit: 8 }, signal),
    enabled: debounced.length >= 2,
  })
  const items = results.data?.items ?? []
  const pick = (u: User) => {
    onPick(u)
    setText(u.name)
    setOpen(false)
  }
  const expanded = open && debounced.length >= 2
  return (
    <div className="combo">
      <label htmlFor={`${id}-input`}>{label ?? t('newTicket.lookup')}</label>
      <input
        id={`${id}-input`}
        role="combobox"
        aria-expanded={expanded}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={expanded && items[active] ? `${id}-opt-${active}` : undefined}
        autoComplete="off"
        value={text}
        placeholder={t('newTicket.lookupPlaceholder')}
        onChange={(e) => {
          setText(e.target.value)
          setOpen(true)
          setActive(0)
        }}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (!expanded) return
          if (e.key === 'ArrowDown') {
            e.preventDefault()
            setActive((a) => Math.min(items.length - 1, a + 1))
          } else if (e.key === 'ArrowUp') {
            e.preventDefault()
            setActive((a) => Math.max(0, a - 1))
          } else if (e.key === 'Enter' && items[active]) {
            e.preventDefault()
            pick(items[active])
          } else if (e.key === 'Escape') setOpen(false)
        }}
      />
      <ul id={`${id}-list`} role="listbox" className="combo-list" hidden={!expanded} aria-label={t('newTicket.lookupResults')}>
        {items.map((u, i) => (
          <li
            key={u.id}
            id={`${id}-opt-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : ''}
            onMouseDown={(e) => {
              e.preventDefault()
              pick(u)
            }}
          >
            <strong>{u.name}</strong> <span className="muted">{u.email ?? u.phone}</span>
          </li>
        ))}
        {results.isSuccess && items.length === 0 && (
          <li role="option" aria-selected={false} aria-disabled="true" className="muted">
            {t('newTicket.noMatch')}
          </li>
        )}
      </ul>
    </div>
  )
}

export function NewTicket() {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const [email, setEmail] = useState('')
  const [name, setName] = useState('')
  const [subject, setSubject] = useState('')
  const [body, setBody] = useState('')
  const [channel, setChannel] = useState<CreateTicketBody['channel']>('phone')
  const [priority, setPriority] = useState<CreateTicketBody['priority']>('normal')
  const [type, setType] = useState<CreateTicketBody['type']>('question')
  const [groupId, setGroupId] = useState('')
  const [custom, setCustom] = useState<Record<string, string>>({})
  // The ticket fields of the chosen group's department (without a group: the fields for every department).
  const groups = useGroups()
  const ticketFields = useTicketFields()
  const departmentId = groups.data?.find((g) => g.id === groupId)?.departmentId ?? null
  const shownFields = fieldsFor(ticketFields.data ?? [], { departmentId })
  const customFields = changedValues(shownFields, custom, {})
  const create = useMutation({
    mutationFn: () =>
      api.createTicket({
        subject: subject.trim(),
        body,
        requester: { email: email.trim(), ...(name.trim() ? { name: name.trim() } : {}) },
        channel,
        priority,
        type,
        ...(groupId ? { groupId } : {}),
        ...(customFields && { customFields }),
      }),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: ['tickets'] })
      navigate(`/tickets/${created.id}?queue=open`)
    },
  })
  useEffect(() => {
    document.title = `${t('newTicket.title')} · Loket`
  }, [t])
  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate()
  }
  return (
    <section className="new-ticket" aria-labelledby="new-title">
      <h1 id="new-title">{t('newTicket.title')}</h1>
      <form className="form-grid" onSubmit={submit}>
        <fieldset>
          <legend>{t('newTicket.customer')}</legend>
          <CustomerLookup
            onPick={(u) => {
              setEmail(u.email ?? '')
              setName(u.name)
            }}
          />
          <label htmlFor="nt-email">{t('newTicket.email')}</label>
          <input id="nt-email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          <label htmlFor="nt-name">{t('newTicket.name')}</label>
          <input id="nt-name" value={name} onChange={(e) => setName(e.target.value)} />
        </fieldset>
        <fieldset>
          <legend>{t('newTicket.question')}</legend>
          <label htmlFor="nt-subject">{t('fields.subject')}</label>
          <input id="nt-subject" required value={subject} onChange={(e) => setSubject(e.target.value)} />
          <label htmlFor="nt-body">{t('newTicket.body')}</label>
          <textarea id="nt-body" required rows={8} value={body} onChange={(e) => setBody(e.target.value)} />
          <div className="row wrap">
            <label className="inline-field">
              <span>{t('fields.channel')}</span>
              <select value={channel} onChange={(e) => setChannel(e.target.value as CreateTicketBody['channel'])}>
                <EnumOptions values={CHANNELS} ns="channel" />
              </select>
            </label>
            <label className="inline-field">
              <span>{t('fields.priority')}</span>
              <select value={priority} onChange={(e) => setPriority(e.target.value as CreateTicketBody['priority'])}>
                <EnumOptions values={PRIORITIES} ns="priority" />
              </select>
            </label>
            <label className="inline-field">
              <span>{t('fields.type')}</span>
              <select value={type} onChange={(e) => setType(e.target.value as CreateTicketBody['type'])}>
                <EnumOptions values={TICKET_TYPES} ns="type" />
              </select>
            </label>
            <label className="inline-field">
              <span>{t('fields.group')}</span>
              <GroupSelect value={groupId} onChange={(e) => setGroupId(e.target.value)} empty={t('fields.empty')} />
            </label>
          </div>
        </fieldset>
        {shownFields.length > 0 && (
          <fieldset className="new-ticket-fields">
            <legend>{t('customFields.title')}</legend>
            <CustomFieldInputs fields={shownFields} form={custom} status="new" onChange={(key, text) => setCustom((c) => ({ ...c, [key]: text }))} />
          </fieldset>
        )}
        {create.error && (
          <p className="error-note" role="alert">
            {errorText(create.error, t)}
          </p>
        )}
        <div className="row">
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? t('common.saving') : t('newTicket.create')}
          </button>
          <button type="button" className="btn btn-ghost" onClick={() => history.back()}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </section>
  )
}
