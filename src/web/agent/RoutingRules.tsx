import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Organisation } from '../../shared/api/accounts.js'
import type { CreateRoutingRuleBody, RoutingRule, RoutingTestBody, RoutingTestResult } from '../../shared/api/routing.js'
import { CHANNELS, PRIORITIES, TICKET_TYPES } from '../../shared/api/tickets.js'
import { ErrorNote, errorText } from '../ui/ErrorNote.js'
import { Field } from '../ui/Field.js'
import { get, request } from './api.js'
import { DepartmentSelect, GroupSelect, useDepartments, useGroups } from './DeskSelects.js'
import { EnumOptions } from './EnumOptions.js'
import { mailboxApi } from './mailboxApi.js'
import './mailboxes.css'
import './routing.css'

const rulesApi = {
  list: () => get<{ items: RoutingRule[] }>('/routing-rules').then((r) => r.items),
  create: (body: CreateRoutingRuleBody) => request<RoutingRule>('/routing-rules', { method: 'POST', body }).then((r) => r.data),
  update: (id: string, body: Partial<CreateRoutingRuleBody>) => request<RoutingRule>(`/routing-rules/${id}`, { method: 'PATCH', body }).then((r) => r.data),
  remove: (id: string) => request<void>(`/routing-rules/${id}`, { method: 'DELETE' }),
  order: (ids: string[]) => request<{ items: RoutingRule[] }>('/routing-rules/order', { method: 'PUT', body: { ids } }).then((r) => r.data.items),
  test: (body: RoutingTestBody) => request<RoutingTestResult>('/routing-rules/test', { method: 'POST', body }).then((r) => r.data),
}
const useOrganisations = () =>
  useQuery({ queryKey: ['organisations', 'all'], queryFn: () => get<{ items: Organisation[] }>('/organisations?limit=200').then((r) => r.items), staleTime: 300_000 })

/** The form's state: lists as text (one per line), empty strings for "not set". */
interface Form {
  name: string
  enabled: boolean
  channels: string[]
  mailboxIds: string[]
  organisationIds: string[]
  requesters: string
  words: string
  wordsIn: 'both' | 'subject' | 'body'
  languages: string[]
  departmentId: string
  groupId: string
  priority: string
  type: string
  tags: string
}

const emptyForm: Form = {
  name: '', enabled: true, channels: [], mailboxIds: [], organisationIds: [], requesters: '', words: '', wordsIn: 'both', languages: [],
  departmentId: '', groupId: '', priority: '', type: '', tags: '',
}
const lines = (text: string) => [...new Set(text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean))]
const some = <T,>(values: T[]) => (values.length ? values : undefined)

function toForm(rule: RoutingRule): Form {
  const c = rule.conditions
  const a = rule.actions
  return {
    name: rule.name, enabled: rule.enabled, channels: c.channels ?? [], mailboxIds: c.mailboxIds ?? [], organisationIds: c.organisationIds ?? [],
    requesters: (c.requesters ?? []).join('\n'), words: (c.words ?? []).join('\n'), wordsIn: c.wordsIn ?? 'both', languages: c.languages ?? [],
    departmentId: a.departmentId ?? '', groupId: a.groupId ?? '', priority: a.priority ?? '', type: a.type ?? '', tags: (a.tags ?? []).join(', '),
  }
}

function toBody(f: Form): CreateRoutingRuleBody {
  const words = lines(f.words)
  const tags = lines(f.tags)
  return {
    name: f.name.trim(),
    enabled: f.enabled,
    conditions: {
      channels: some(f.channels) as CreateRoutingRuleBody['conditions']['channels'],
      mailboxIds: some(f.mailboxIds),
      organisationIds: some(f.organisationIds),
      requesters: some(lines(f.requesters)),
      words: some(words),
      ...(words.length && f.wordsIn !== 'both' ? { wordsIn: f.wordsIn } : {}),
      languages: some(f.languages) as CreateRoutingRuleBody['conditions']['languages'],
    },
    actions: {
      ...(f.groupId ? { groupId: f.groupId } : f.departmentId ? { departmentId: f.departmentId } : {}),
      ...(f.priority ? { priority: f.priority as CreateRoutingRuleBody['actions']['priority'] } : {}),
      ...(f.type ? { type: f.type as CreateRoutingRuleBody['actions']['type'] } : {}),
      ...(tags.length ? { tags } : {}),
    },
  }
}

/** Checkboxes for a few fixed values. */
function Choices({ legend, values, checked, label, onChange }: { legend: string; values: readonly string[]; checked: string[]; label: (v: string) => string; onChange: (next: string[]) => void }) {
  return (
    <fieldset className="rr-choices">
      <legend>{legend}</legend>
      {values.map((v) => (
        <label key={v} className="inline-field">
          <input type="checkbox" checked={checked.includes(v)} onChange={(e) => onChange(e.target.checked ? [...checked, v] : checked.filter((x) => x !== v))} />
          <span>{label(v)}</span>
        </label>
      ))}
    </fieldset>
  )
}

/** A list to pick several from (mailboxes, organisations). */
function MultiSelect({ id, items, value, onChange }: { id: string; items: { id: string; name: string }[]; value: string[]; onChange: (next: string[]) => void }) {
  return (
    <select id={id} multiple size={Math.min(5, Math.max(2, items.length))} value={value} onChange={(e) => onChange([...e.target.selectedOptions].map((o) => o.value))}>
      {items.map((item) => (
        <option key={item.id} value={item.id}>
          {item.name}
        </option>
      ))}
    </select>
  )
}

/** One line per condition and action of a rule, in words. */
function useSummary() {
  const { t } = useTranslation()
  const groups = useGroups().data ?? []
  const departments = useDepartments().data ?? []
  const organisations = useOrganisations().data ?? []
  const mailboxes = useQuery({ queryKey: ['mailboxes'], queryFn: ({ signal }) => mailboxApi.list(signal) }).data ?? []
  const name = (items: { id: string; name: string }[], id: string) => items.find((i) => i.id === id)?.name ?? id
  return (rule: RoutingRule) => {
    const c = rule.conditions
    const a = rule.actions
    const when = [
      c.channels && t('routing.when.channels', { list: c.channels.map((v) => t(`channel.${v}`)).join(', ') }),
      c.mailboxIds && t('routing.when.mailboxes', { list: c.mailboxIds.map((id) => name(mailboxes, id)).join(', ') }),
      c.organisationIds && t('routing.when.organisations', { list: c.organisationIds.map((id) => name(organisations, id)).join(', ') }),
      c.requesters && t('routing.when.requesters', { list: c.requesters.join(', ') }),
      c.words && t(`routing.when.words.${c.wordsIn ?? 'both'}`, { list: c.words.map((w) => `“${w}”`).join(', ') }),
      c.languages && t('routing.when.languages', { list: c.languages.map((l) => t(`routing.language.${l}`)).join(', ') }),
    ].filter(Boolean) as string[]
    const then = [
      a.groupId && t('routing.then.group', { group: name(groups, a.groupId), department: a.departmentId ? name(departments, a.departmentId) : '' }),
      a.priority && t('routing.then.priority', { priority: t(`priority.${a.priority}`) }),
      a.type && t('routing.then.type', { type: t(`type.${a.type}`) }),
      a.tags && t('routing.then.tags', { list: a.tags.join(', ') }),
    ].filter(Boolean) as string[]
    return { when: when.length ? when : [t('routing.when.always')], then }
  }
}

/** Administrators' routing rules: the ordered list, a form to add or change one, and a test with a sample ticket. */
export function RoutingRules() {
  const { t } = useTranslation()
  const id = useId()
  const queryClient = useQueryClient()
  const rules = useQuery({ queryKey: ['routing-rules'], queryFn: rulesApi.list })
  const summary = useSummary()
  const [editing, setEditing] = useState<{ id: string | null; form: Form } | null>(null)
  const [notice, setNotice] = useState('')
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null)
  useEffect(() => {
    document.title = `${t('routing.title')} · Loket`
  }, [t])
  const refresh = (items?: RoutingRule[]) => (items ? queryClient.setQueryData(['routing-rules'], items) : queryClient.invalidateQueries({ queryKey: ['routing-rules'] }))
  const save = useMutation({
    mutationFn: (e: { id: string | null; form: Form }) => (e.id ? rulesApi.update(e.id, toBody(e.form)) : rulesApi.create(toBody(e.form))),
    onSuccess: (rule) => {
      void refresh()
      setEditing(null)
      setNotice(t('routing.saved', { name: rule.name }))
    },
  })
  const move = useMutation({
    mutationFn: (ids: string[]) => rulesApi.order(ids),
    onSuccess: (items, ids) => {
      void refresh(items)
      setNotice(t('routing.moved', { name: items.find((r) => r.id === ids.find((x, i) => rules.data?.[i]?.id !== x))?.name ?? '' }))
    },
  })
  const remove = useMutation({
    mutationFn: (ruleId: string) => rulesApi.remove(ruleId),
    onSuccess: () => {
      void refresh()
      setConfirmDelete(null)
      setNotice(t('routing.deleted'))
    },
  })

  if (rules.error) return <ErrorNote error={rules.error} onRetry={() => void rules.refetch()} />
  if (!rules.data) return <p aria-busy="true">{t('common.loading')}</p>
  const list = rules.data
  const moveTo = (index: number, by: -1 | 1) => {
    const ids = list.map((r) => r.id)
    ;[ids[index], ids[index + by]] = [ids[index + by], ids[index]]
    move.mutate(ids)
  }

  return (
    <section className="mailboxes routing" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('routing.title')}</h1>
      <p>{t('routing.intro')}</p>
      <div aria-live="polite" className="mb-saved">
        {notice && <span className="notice">{notice}</span>}
      </div>
      {(move.error ?? remove.error) != null && <p className="error-note" role="alert">{errorText((move.error ?? remove.error)!, t)}</p>}
      {list.length === 0 ? (
        <p className="muted">{t('routing.none')}</p>
      ) : (
        <ol className="mb-list rr-list">
          {list.map((rule, i) => {
            const s = summary(rule)
            return (
              <li key={rule.id} className="mb-card" aria-labelledby={`${id}-rule-${rule.id}`}>
                <div className="mb-card-head">
                  <h2 className="mb-card-title" id={`${id}-rule-${rule.id}`}>
                    {rule.position}. {rule.name} {!rule.enabled && <span className="badge mb-state-disabled">{t('routing.off')}</span>}
                  </h2>
                  <div className="row wrap">
                    <button type="button" className="btn" disabled={i === 0 || move.isPending} onClick={() => moveTo(i, -1)} aria-label={t('routing.up', { name: rule.name })}>
                      ↑ {t('routing.upShort')}
                    </button>
                    <button type="button" className="btn" disabled={i === list.length - 1 || move.isPending} onClick={() => moveTo(i, 1)} aria-label={t('routing.down', { name: rule.name })}>
                      ↓ {t('routing.downShort')}
                    </button>
                    <button type="button" className="btn" onClick={() => setEditing({ id: rule.id, form: toForm(rule) })} aria-label={t('routing.edit', { name: rule.name })}>
                      {t('routing.editShort')}
                    </button>
                    <button type="button" className="btn btn-danger" onClick={() => setConfirmDelete(rule.id)} aria-label={t('routing.delete', { name: rule.name })}>
                      {t('routing.deleteShort')}
                    </button>
                  </div>
                </div>
                <p className="rr-when">
                  <strong>{t('routing.whenLabel')}</strong> {s.when.join(t('routing.and'))}
                </p>
                <p className="rr-then">
                  <strong>{t('routing.thenLabel')}</strong> {s.then.join('; ')}
                </p>
                {rule.neverMatches && (
                  <p className="rr-never" role="note">
                    {t('routing.neverMatches', { name: rule.neverMatches.name })}
                  </p>
                )}
                {confirmDelete === rule.id && (
                  <div className="mb-confirm" role="alertdialog" aria-labelledby={`${id}-confirm-${rule.id}`}>
                    <p id={`${id}-confirm-${rule.id}`}>{t('routing.confirmDelete', { name: rule.name })}</p>
                    <div className="row wrap">
                      <button type="button" className="btn btn-danger-solid" onClick={() => remove.mutate(rule.id)} disabled={remove.isPending}>
                        {t('routing.deleteShort')}
                      </button>
                      <button type="button" className="btn" onClick={() => setConfirmDelete(null)}>
                        {t('common.cancel')}
                      </button>
                    </div>
                  </div>
                )}
              </li>
            )
          })}
        </ol>
      )}
      {!editing && (
        <p>
          <button type="button" className="btn btn-primary" onClick={() => setEditing({ id: null, form: emptyForm })}>
            {t('routing.add')}
          </button>
        </p>
      )}
      {editing && (
        <RuleForm
          key={editing.id ?? 'new'}
          initial={editing.form}
          isNew={!editing.id}
          saving={save.isPending}
          error={save.error}
          onCancel={() => {
            save.reset()
            setEditing(null)
          }}
          onSave={(form) => save.mutate({ id: editing.id, form })}
        />
      )}
      <RuleTest />
    </section>
  )
}

function RuleForm({ initial, isNew, saving, error, onSave, onCancel }: { initial: Form; isNew: boolean; saving: boolean; error: Error | null; onSave: (f: Form) => void; onCancel: () => void }) {
  const { t } = useTranslation()
  const id = useId()
  const [form, setForm] = useState(initial)
  const organisations = useOrganisations().data ?? []
  const mailboxes = useQuery({ queryKey: ['mailboxes'], queryFn: ({ signal }) => mailboxApi.list(signal) }).data ?? []
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((old) => ({ ...old, [key]: value }))
  const f = (name: string) => `${id}-${name}`
  const submit = (e: FormEvent) => {
    e.preventDefault()
    onSave(form)
  }
  return (
    <form className="form-grid mb-editor" onSubmit={submit} aria-labelledby={f('title')}>
      <h2 id={f('title')}>{isNew ? t('routing.newRule') : t('routing.editRule', { name: initial.name })}</h2>
      <Field id={f('name')} label={t('routing.f.name')}>
        <input id={f('name')} value={form.name} onChange={(e) => set('name', e.target.value)} required maxLength={100} />
      </Field>
      <label className="inline-field">
        <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        <span>{t('routing.f.enabled')}</span>
      </label>
      <fieldset>
        <legend>{t('routing.conditions')}</legend>
        <p className="muted small">{t('routing.conditionsHint')}</p>
        <Choices legend={t('routing.f.channels')} values={CHANNELS} checked={form.channels} label={(v) => t(`channel.${v}`)} onChange={(v) => set('channels', v)} />
        <div className="mb-row">
          <Field id={f('mailboxes')} label={t('routing.f.mailboxes')}>
            <MultiSelect id={f('mailboxes')} items={mailboxes} value={form.mailboxIds} onChange={(v) => set('mailboxIds', v)} />
          </Field>
          <Field id={f('organisations')} label={t('routing.f.organisations')}>
            <MultiSelect id={f('organisations')} items={organisations} value={form.organisationIds} onChange={(v) => set('organisationIds', v)} />
          </Field>
        </div>
        <div className="mb-row">
          <Field id={f('requesters')} label={t('routing.f.requesters')} hint={t('routing.f.requestersHint')}>
            <textarea id={f('requesters')} rows={3} value={form.requesters} onChange={(e) => set('requesters', e.target.value)} aria-describedby={`${f('requesters')}-hint`} spellCheck={false} />
          </Field>
          <Field id={f('words')} label={t('routing.f.words')} hint={t('routing.f.wordsHint')}>
            <textarea id={f('words')} rows={3} value={form.words} onChange={(e) => set('words', e.target.value)} aria-describedby={`${f('words')}-hint`} />
          </Field>
        </div>
        <div className="mb-row">
          <Field id={f('wordsIn')} label={t('routing.f.wordsIn')}>
            <select id={f('wordsIn')} value={form.wordsIn} onChange={(e) => set('wordsIn', e.target.value as Form['wordsIn'])}>
              <option value="both">{t('routing.wordsIn.both')}</option>
              <option value="subject">{t('routing.wordsIn.subject')}</option>
              <option value="body">{t('routing.wordsIn.body')}</option>
            </select>
          </Field>
          <Choices legend={t('routing.f.languages')} values={['nl', 'en']} checked={form.languages} label={(v) => t(`routing.language.${v}`)} onChange={(v) => set('languages', v)} />
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('routing.actions')}</legend>
        <div className="mb-row">
          <Field id={f('department')} label={t('routing.f.department')} hint={t('routing.f.departmentHint')}>
            <DepartmentSelect id={f('department')} value={form.departmentId} onChange={(e) => setForm((old) => ({ ...old, departmentId: e.target.value, groupId: '' }))} empty={t('routing.keep')} aria-describedby={`${f('department')}-hint`} />
          </Field>
          <Field id={f('group')} label={t('routing.f.group')}>
            <GroupSelect id={f('group')} value={form.groupId} onChange={(e) => set('groupId', e.target.value)} empty={t('routing.keep')} />
          </Field>
        </div>
        <div className="mb-row">
          <Field id={f('priority')} label={t('routing.f.priority')}>
            <select id={f('priority')} value={form.priority} onChange={(e) => set('priority', e.target.value)}>
              <EnumOptions values={PRIORITIES} ns="priority" empty={t('routing.keep')} />
            </select>
          </Field>
          <Field id={f('type')} label={t('routing.f.type')}>
            <select id={f('type')} value={form.type} onChange={(e) => set('type', e.target.value)}>
              <EnumOptions values={TICKET_TYPES} ns="type" empty={t('routing.keep')} />
            </select>
          </Field>
          <Field id={f('tags')} label={t('routing.f.tags')} hint={t('routing.f.tagsHint')}>
            <input id={f('tags')} value={form.tags} onChange={(e) => set('tags', e.target.value)} aria-describedby={`${f('tags')}-hint`} />
          </Field>
        </div>
      </fieldset>
      <div className="row wrap">
        <button type="submit" className="btn btn-primary" disabled={saving}>
          {saving ? t('common.saving') : t('routing.save')}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
      {error != null && (
        <p className="error-note" role="alert">
          {errorText(error, t)}
        </p>
      )}
    </form>
  )
}

/** A sample ticket: which rule would take it, and what it would set. */
function RuleTest() {
  const { t } = useTranslation()
  const id = useId()
  const groups = useGroups().data ?? []
  const departments = useDepartments().data ?? []
  const [sample, setSample] = useState<RoutingTestBody>({ channel: 'email', requester: '', subject: '', body: '' })
  const test = useMutation({ mutationFn: () => rulesApi.test(sample) })
  const set = <K extends keyof RoutingTestBody>(key: K, value: RoutingTestBody[K]) => setSample((old) => ({ ...old, [key]: value }))
  const f = (name: string) => `${id}-${name}`
  const name = (items: { id: string; name: string }[], itemId: string | undefined) => items.find((i) => i.id === itemId)?.name ?? itemId
  const result = test.data
  return (
    <form
      className="form-grid rr-test"
      aria-labelledby={f('title')}
      onSubmit={(e) => {
        e.preventDefault()
        test.mutate()
      }}
    >
      <h2 id={f('title')}>{t('routing.test.title')}</h2>
      <p className="muted small">{t('routing.test.intro')}</p>
      <div className="mb-row">
        <Field id={f('channel')} label={t('routing.test.channel')}>
          <select id={f('channel')} value={sample.channel} onChange={(e) => set('channel', e.target.value as RoutingTestBody['channel'])}>
            <EnumOptions values={CHANNELS} ns="channel" />
          </select>
        </Field>
        <Field id={f('requester')} label={t('routing.test.requester')}>
          <input id={f('requester')} type="email" required value={sample.requester} onChange={(e) => set('requester', e.target.value)} spellCheck={false} />
        </Field>
      </div>
      <Field id={f('subject')} label={t('routing.test.subject')}>
        <input id={f('subject')} value={sample.subject} onChange={(e) => set('subject', e.target.value)} />
      </Field>
      <Field id={f('body')} label={t('routing.test.body')}>
        <textarea id={f('body')} rows={3} value={sample.body} onChange={(e) => set('body', e.target.value)} />
      </Field>
      <div className="row wrap">
        <button type="submit" className="btn" disabled={test.isPending}>
          {t('routing.test.run')}
        </button>
      </div>
      <div aria-live="polite" data-testid="routing-test-result">
        {result &&
          (result.rule ? (
            <p className="mb-test mb-test-ok">
              {t('routing.test.hit', { position: result.rule.position, name: result.rule.name })}{' '}
              {[
                result.sets.groupId && t('routing.then.group', { group: name(groups, result.sets.groupId), department: name(departments, result.sets.departmentId) ?? '' }),
                result.sets.priority && t('routing.then.priority', { priority: t(`priority.${result.sets.priority}`) }),
                result.sets.type && t('routing.then.type', { type: t(`type.${result.sets.type}`) }),
                result.sets.tags && t('routing.then.tags', { list: result.sets.tags.join(', ') }),
              ]
                .filter(Boolean)
                .join('; ')}
            </p>
          ) : (
            <p className="mb-test">{t('routing.test.miss')}</p>
          ))}
      </div>
      {test.error != null && (
        <p className="error-note" role="alert">
          {errorText(test.error, t)}
        </p>
      )}
    </form>
  )
}
